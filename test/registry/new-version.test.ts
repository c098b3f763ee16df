// A new version made from the previous one: files and BOM carried by reference (existing, existingBom), and a
// publish that drops safety notes, the safety-critical flag or a licence succeeds with warnings the version keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  publish,
  publishForm,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';

const sha = (b: string) => createHash('sha256').update(b).digest('hex');
const bomCsv = 'Part Number,Name,Qty,Unit\nFR-01,Frame,1,pcs\nBL-M12,Bolt M12,16,pcs\n';

const firstManifest = {
  version: '1.0.0',
  function: 'Presses earth blocks',
  safetyCritical: true,
  safety: ['Keep hands clear of the ram'],
  licenses: { software: 'GPL-3.0-or-later' },
};

describe.each(databaseKinds)('new version from the previous one on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
    await createDesign(t.app, ana, 'press', { licenses: { hardware: 'CERN-OHL-S-2.0' } });
    await createDesign(t.app, ben, 'other');
    const r = await publish(t.app, ana, 'ana', 'press', firstManifest, [{ path: 'frame.txt', bytes: 'frame' }], {
      name: 'bom.csv',
      bytes: bomCsv,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().warnings).toEqual([]);
  });
  afterAll(async () => {
    await t.close();
  });

  async function publishCarrying(user: TestUser, slug: string, manifest: unknown, fields: Record<string, unknown>) {
    const fd = publishForm(manifest, []);
    for (const [name, value] of Object.entries(fields)) fd.append(name, JSON.stringify(value));
    const { payload, headers } = await formPayload(fd);
    return t.app.inject({
      method: 'POST',
      url: `/api/designs/${user.handle}/${slug}/versions`,
      headers: { ...headers, ...user.auth },
      payload,
    });
  }

  it('carries the previous BOM by sha256: the new version has the same lines and checksum, no bytes resent', async () => {
    const r = await publishCarrying(
      ana,
      'press',
      { ...firstManifest, version: '1.0.1' },
      {
        existing: [{ path: 'frame.txt', sha256: sha('frame') }],
        existingBom: { path: 'bom.csv', sha256: sha(bomCsv) },
      },
    );
    expect(r.statusCode).toBe(201);
    expect(r.json().bom).toMatchObject({ filename: 'bom.csv', sha256: sha(bomCsv) });
    expect(r.json().warnings).toEqual([]);
    const before = (await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.0/bom' })).json();
    const after = (await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.1/bom' })).json();
    expect(after.checksum).toBe(before.checksum);
    expect(after.lines.map((l: any) => [l.partNumber, String(l.quantity)])).toEqual([
      ['FR-01', '1'],
      ['BL-M12', '16'],
    ]);
  });

  it('refuses an existingBom no published version holds as a BOM, a malformed one, and a BOM sent twice', async () => {
    const fileNotBom = await publishCarrying(
      ana,
      'press',
      { version: '1.0.2' },
      { existingBom: { path: 'bom.csv', sha256: sha('frame') } },
    );
    expect(fileNotBom.statusCode).toBe(400);
    expect(fileNotBom.json().errors[0]).toMatchObject({ field: 'existingBom', message: 'unknown sha256' });
    expect(
      (await publishCarrying(ana, 'press', { version: '1.0.2' }, { existingBom: [{ path: 'bom.csv' }] })).statusCode,
    ).toBe(400);
    const fd = publishForm({ version: '1.0.2' }, [], { name: 'bom.csv', bytes: bomCsv });
    fd.append('existingBom', JSON.stringify({ path: 'bom.csv', sha256: sha(bomCsv) }));
    const { payload, headers } = await formPayload(fd);
    const twice = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/versions',
      headers: { ...headers, ...ana.auth },
      payload,
    });
    expect(twice.statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.2' })).statusCode).toBe(404);
  });

  it('publishes a version that drops safety notes, the safety-critical flag and a licence, with a warning for each', async () => {
    const r = await publishCarrying(
      ana,
      'press',
      { version: '1.1.0', function: 'Presses earth blocks' },
      { existing: [{ path: 'frame.txt', sha256: sha('frame') }] },
    );
    expect(r.statusCode).toBe(201);
    const fields = r.json().warnings.map((w: any) => w.field);
    expect(fields).toEqual(['/manifest/safety', '/manifest/safetyCritical', '/manifest/licenses/software']);
    for (const w of r.json().warnings) expect(w.message).toContain('1.0.1');
    // a code and its values, for the web to word each warning in the reader's language
    expect(r.json().warnings.map((w: any) => [w.code, w.values])).toEqual([
      ['safety-notes-removed', { previousVersion: '1.0.1' }],
      ['safety-critical-removed', { previousVersion: '1.0.1' }],
      ['licence-dropped', { previousVersion: '1.0.1', kind: 'software', spdx: expect.any(String) }],
    ]);
    // kept with the version: every later reader sees them
    const again = (await t.app.inject({ url: '/api/designs/ana/press/versions/1.1.0' })).json();
    expect(again.warnings).toEqual(r.json().warnings);
    // the hardware licence comes from the design, so it was never dropped
    expect(fields).not.toContain('/manifest/licenses/hardware');
  });

  it('compares with the highest published version below the new one, not with yanked ones', async () => {
    // 1.1.0 has no safety notes: a 1.2.0 without them drops nothing more
    const r = await publishCarrying(ana, 'press', { version: '1.2.0' }, {});
    expect(r.json().warnings).toEqual([]);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/designs/ana/press/versions/1.2.0/yank', headers: ana.auth }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/designs/ana/press/versions/1.1.0/yank', headers: ana.auth }))
        .statusCode,
    ).toBe(200);
    // with 1.1.0 and 1.2.0 yanked, 1.3.0 follows 1.0.1, which had safety notes
    const next = await publishCarrying(
      ana,
      'press',
      {
        version: '1.3.0',
        safety: ['Keep hands clear of the ram'],
        safetyCritical: true,
        licenses: { software: 'MIT' },
      },
      {},
    );
    expect(next.json().warnings).toEqual([]);
  });
});
