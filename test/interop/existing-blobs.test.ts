// POST /api/blobs/exists and the publish `existing` field: files already stored are referenced, not resent.
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

describe.each(databaseKinds)('existing blobs on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    expect(
      (await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'alpha' }])).statusCode,
    ).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const publishWith = async (version: string, existing: unknown) => {
    const fd = publishForm({ version }, [{ path: 'b.txt', bytes: 'beta' }]);
    fd.append('existing', JSON.stringify(existing));
    const { payload, headers } = await formPayload(fd);
    return t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/versions',
      headers: { ...headers, ...ana.auth },
      payload,
    });
  };

  it('answers which sha256s a published version holds, to signed-in callers only', async () => {
    const body = { sha256s: [sha('alpha'), sha('never uploaded')] };
    expect((await t.app.inject({ method: 'POST', url: '/api/blobs/exists', payload: body })).statusCode).toBe(401);
    const r = await t.app.inject({ method: 'POST', url: '/api/blobs/exists', headers: ana.auth, payload: body });
    expect(r.json()).toEqual({ present: [sha('alpha')] });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/blobs/exists',
          headers: ana.auth,
          payload: { sha256s: ['xyz'] },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('publishes a file referenced by sha256 next to uploaded ones, and refuses an unknown or malformed reference', async () => {
    const ok = await publishWith('1.1.0', [{ path: 'docs/a.txt', sha256: sha('alpha') }]);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().files.map((f: any) => [f.path, f.sha256, f.size])).toEqual([
      ['b.txt', sha('beta'), 4],
      ['docs/a.txt', sha('alpha'), 5],
    ]);
    const unknown = await publishWith('1.2.0', [{ path: 'c.txt', sha256: sha('never uploaded') }]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/no published version holds; send the file itself/);
    expect((await publishWith('1.2.0', [{ path: 'b.txt', sha256: sha('alpha') }])).json().detail).toMatch(
      /appears twice/,
    );
    expect((await publishWith('1.2.0', [{ path: '../x', sha256: sha('alpha') }])).statusCode).toBe(400);
    expect((await publishWith('1.2.0', { path: 'x' })).statusCode).toBe(400);
  });
});
