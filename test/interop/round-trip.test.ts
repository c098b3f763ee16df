// Round trip: a version exported (okh.toml + files + BOM, or the version archive) and imported into a fresh
// instance gives the same files (sha256), the same BOM checksum and the same manifest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { importForm, zip } from './fixtures.js';

const manifest = {
  version: '1.2.0',
  title: 'Compressed Earth Brick Press',
  summary: 'Hydraulic brick press with a 5 in cylinder.',
  function: 'Presses moist soil into compressed earth blocks, up to 5 a minute.',
  category: 'construction',
  tags: ['ceb', 'hydraulics'],
  licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
  readiness: { technology: 'OTRL-5', documentation: 'ODRL-4' },
  safety: ['Hydraulic oil at 175 bar: look for leaks with cardboard, never a hand.'],
  safetyCritical: true,
  changelog: 'Stronger hopper.',
  readme: 'README.md',
  units: 'mm',
  'outer-dimensions': { width: 2000, depth: 600, height: 1500, unit: 'mm' },
  mass: { value: 360, unit: 'kg' },
  'manufacturing-instructions': 'docs/assembly.md',
  'documentation-language': 'en',
  vendor: { press: { stroke: 150, nested: [1, 'two'] } },
};
const files = [
  { path: 'README.md', bytes: '# Brick press\n\nBuild the frame first, then the hydraulics.\n' },
  { path: 'cad/frame.step', bytes: 'ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n' },
  { path: 'drawings/cut.dxf', bytes: '0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n' },
  { path: 'docs/assembly.md', bytes: '# Assembly\n' },
  { path: 'photos/press.png', bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]) },
];
const bom =
  'Position,Qty,Unit,Name,Unit cost,Currency\n1,1,pcs,Frame,,\n1.1,4,m,Square tube 4x4 in,12.50,USD\n1.2,16,pcs,Bolt M12x40,0.40,USD\n2,1,pcs,Cylinder 5 in,420.00,USD\n';

describe.each(databaseKinds)('round trip on %s', (kind) => {
  let a: TestApp;
  let b: TestApp;
  let ana: TestUser;
  let zoe: TestUser;
  let original: any;
  beforeAll(async () => {
    a = await createTestApp(kind);
    b = await createTestApp(kind);
    ana = await registerUser(a.app, 'ana');
    zoe = await registerUser(b.app, 'zoe');
    await createDesign(a.app, ana, 'brick-press', {
      title: 'Compressed Earth Brick Press',
      licenses: { hardware: 'CERN-OHL-S-2.0' },
    });
    const r = await publish(a.app, ana, 'ana', 'brick-press', manifest, files, { name: 'bom.csv', bytes: bom });
    expect(r.statusCode).toBe(201);
    original = r.json();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const importInto = async (parts: { name: string; bytes: string | Uint8Array }[]) => {
    const { payload, headers } = await formPayload(importForm(parts));
    const r = await b.app.inject({ method: 'POST', url: '/api/import', headers: { ...headers, ...zoe.auth }, payload });
    expect(r.statusCode).toBe(201);
    const [d] = r.json().designs;
    return (await b.app.inject({ url: `/api/designs/${d.owner}/${d.slug}/versions/${d.version}` })).json();
  };
  const same = (copy: any) => {
    expect(copy.files.map((f: any) => [f.path, f.sha256])).toEqual(original.files.map((f: any) => [f.path, f.sha256]));
    expect(copy.bom.checksum).toBe(original.bom.checksum);
    expect(copy.manifest).toEqual(original.manifest);
    expect(copy.completeness).toEqual(original.completeness);
  };

  it('exports a valid OKH-LOSH okh.toml with the standard fields', async () => {
    const r = await a.app.inject({ url: '/api/designs/ana/brick-press/versions/1.2.0/okh.toml' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/toml/);
    const okh = parseToml(r.body) as Record<string, any>;
    expect(okh).toMatchObject({
      okhv: 'OKH-LOSHv1.0',
      name: 'Compressed Earth Brick Press',
      repo: 'http://127.0.0.1:3000/ana/brick-press',
      version: '1.2.0',
      license: 'CERN-OHL-S-2.0',
      licensor: 'ana',
      function: manifest.function,
      readme: 'README.md',
      bom: 'bom.csv',
      'technology-readiness-level': 'OTRL-5',
      'documentation-readiness-level': 'ODRL-4',
      'outer-dimensions': { width: 2000, depth: 600, height: 1500 },
      mass: 360000,
      'manufacturing-instructions': 'docs/assembly.md',
      'documentation-language': 'en',
    });
    expect(okh.andecha.generated).toEqual(['repo', 'licensor']);
    expect(okh.andecha).toMatchObject({
      category: 'construction',
      tags: ['ceb', 'hydraulics'],
      mass: { value: 360, unit: 'kg' },
      safetyCritical: true,
    });
  });

  it('okh.toml + files + BOM imported into a fresh instance give the same files, BOM checksum and manifest', async () => {
    const okh = (await a.app.inject({ url: '/api/designs/ana/brick-press/versions/1.2.0/okh.toml' })).body;
    const folder: Record<string, string | Uint8Array> = { 'okh.toml': okh };
    for (const f of original.files)
      folder[f.path] = (
        await a.app.inject({ url: `/api/designs/ana/brick-press/versions/1.2.0/files/${f.path}` })
      ).rawPayload;
    folder['bom.csv'] = (
      await a.app.inject({ url: '/api/designs/ana/brick-press/versions/1.2.0/bom?format=csv' })
    ).body;
    same(
      await importInto([
        {
          name: 'brick-press.zip',
          bytes: zip(Object.fromEntries(Object.entries(folder).map(([k, v]) => [`brick-press/${k}`, v]))),
        },
      ]),
    );
  });

  it('the version archive holds okh.toml and the BOM as CSV, and imports to the same version', async () => {
    const r = await a.app.inject({ url: '/api/designs/ana/brick-press/versions/1.2.0/archive.zip' });
    expect(r.statusCode).toBe(200);
    const { unzipSync, strFromU8 } = await import('fflate');
    const entries = unzipSync(r.rawPayload);
    expect(Object.keys(entries)).toEqual(
      expect.arrayContaining([
        'brick-press-1.2.0/okh.toml',
        'brick-press-1.2.0/bom/bom.csv',
        'brick-press-1.2.0/manifest.json',
      ]),
    );
    expect(parseToml(strFromU8(entries['brick-press-1.2.0/okh.toml']))).toMatchObject({
      readme: 'files/README.md',
      bom: 'bom/bom.csv',
    });
    same(await importInto([{ name: 'archive.zip', bytes: r.rawPayload }]));
  });
});
