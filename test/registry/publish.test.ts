// Publishing and downloading versions on both databases: one multipart request, all-or-nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  isProblem,
  publish,
  publishForm,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

async function counts(t: TestApp) {
  const v = await t.deps.db.raw('select count(*)::int as n from design_versions');
  const f = await t.deps.db.raw('select count(*)::int as n from files');
  return { versions: v.rows[0].n, files: f.rows[0].n };
}

describe.each(databaseKinds)('publish on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind, { maxFileBytes: 64 * 1024, maxVersionBytes: 160 * 1024, maxFilesPerVersion: 5 });
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
    await createDesign(t.app, ana, 'press', { licenses: { hardware: 'CERN-OHL-S-2.0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes manifest, bom and files in one request and serves the version document', async () => {
    const stl = bytes(3000);
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.0.0', changelog: 'first', vendorField: { kept: true } },
      [
        { path: 'frame/base.stl', bytes: stl },
        { path: 'README.md', bytes: '# Press\n' },
      ],
      { name: 'bom.csv', bytes: 'Qty,Name\n1,Frame\n' },
    );
    expect(r.statusCode).toBe(201);
    const doc = r.json();
    expect(doc).toMatchObject({ version: '1.0.0', state: 'published', changelog: 'first' });
    expect(doc.manifest.vendorField).toEqual({ kept: true });
    expect(doc.manifest.licenses).toEqual({ hardware: 'CERN-OHL-S-2.0' });
    expect(doc.files.map((f: any) => [f.path, f.sha256, f.size])).toEqual([
      ['README.md', sha('# Press\n'), 8],
      ['frame/base.stl', sha(stl), 3000],
    ]);
    for (const f of doc.files) expect(['queued', 'running', 'done', 'failed']).toContain(f.pipeline.state);
    expect(doc.bom.sha256).toBe(sha('Qty,Name\n1,Frame\n'));
    const again = await t.app.inject({ url: '/api/designs/ana/press/versions/latest' });
    expect(again.json().version).toBe('1.0.0');
    const list = await t.app.inject({ url: '/api/designs/ana/press/versions' });
    expect(list.json().items.map((v: any) => v.version)).toEqual(['1.0.0']);
  });

  it('downloads raw files with type, ETag, disposition and ranges', async () => {
    const stl = bytes(3000);
    const url = '/api/designs/ana/press/versions/1.0.0/files/frame/base.stl';
    const r = await t.app.inject({ url });
    expect(r.statusCode).toBe(200);
    expect(sha(r.rawPayload)).toBe(sha(stl));
    expect(r.headers['content-type']).toBe('model/stl');
    expect(r.headers.etag).toBe(`"${sha(stl)}"`);
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="base.stl"/);
    const part = await t.app.inject({ url, headers: { range: 'bytes=10-19' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 10-19/3000');
    expect([...part.rawPayload]).toEqual([...stl.subarray(10, 20)]);
    const tail = await t.app.inject({ url, headers: { range: 'bytes=-5' } });
    expect([...tail.rawPayload]).toEqual([...stl.subarray(2995)]);
    const bad = await t.app.inject({ url, headers: { range: 'bytes=5000-6000' } });
    expect(bad.statusCode).toBe(416);
    const cached = await t.app.inject({ url, headers: { 'if-none-match': `"${sha(stl)}"` } });
    expect(cached.statusCode).toBe(304);
    const missing = await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.0/files/nope.stl' });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses a duplicate version (409), bad semver (400) and another user (403), storing no rows', async () => {
    const before = await counts(t);
    const dup = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'x.stl', bytes: 'x' }]);
    expect(dup.statusCode).toBe(409);
    expect(isProblem(dup)).toBe(true);
    const semverBad = await publish(t.app, ana, 'ana', 'press', { version: '1.0' }, [{ path: 'x.stl', bytes: 'x' }]);
    expect(semverBad.statusCode).toBe(400);
    expect(semverBad.json().errors[0].field).toBe('/manifest/version');
    const notJson = await publish(t.app, ana, 'ana', 'press', '{oops', []);
    expect(notJson.statusCode).toBe(400);
    const wrongType = await publish(t.app, ana, 'ana', 'press', { version: '2.0.0', tags: 'x' }, []);
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors[0].field).toBe('/manifest/tags');
    const other = await publish(t.app, ben, 'ana', 'press', { version: '3.0.0' }, [{ path: 'x.stl', bytes: 'x' }]);
    expect(other.statusCode).toBe(403);
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/versions',
      ...(await formPayload(publishForm({ version: '3.0.1' }, []))),
    });
    expect(anon.statusCode).toBe(401);
    expect(await counts(t)).toEqual(before);
  });

  it.each([
    ['../x.stl', 'climbs out'],
    ['/etc/passwd', 'absolute'],
    ['a\\b.stl', 'backslash'],
    ['a//b.stl', 'empty segment'],
    ['a/./b.stl', '"." segment'],
    ['a\u0001b.stl', 'control character'],
    ['x'.repeat(513), 'longer than 512 bytes'],
  ])('refuses the path %j with 400 and stores nothing', async (path, why) => {
    const before = await counts(t);
    const r = await publish(t.app, ana, 'ana', 'press', { version: '9.9.9' }, [
      { path: 'ok.stl', bytes: 'fine' },
      { path, bytes: 'x' },
    ]);
    expect(r.statusCode).toBe(400);
    expect(isProblem(r)).toBe(true);
    expect(r.json().detail).toContain(why);
    expect(await counts(t)).toEqual(before);
  });

  it('refuses duplicate paths and too many files', async () => {
    const dup = await publish(t.app, ana, 'ana', 'press', { version: '9.9.8' }, [
      { path: 'a.stl', bytes: '1' },
      { path: 'a.stl', bytes: '2' },
    ]);
    expect(dup.statusCode).toBe(400);
    const many = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '9.9.7' },
      Array.from({ length: 6 }, (_, i) => ({ path: `f${i}.txt`, bytes: 'x' })),
    );
    expect(many.statusCode).toBe(413);
  });

  it('refuses an oversize file and an oversize version with 413 naming the limit, storing nothing', async () => {
    const before = await counts(t);
    const big = await publish(t.app, ana, 'ana', 'press', { version: '9.0.0' }, [
      { path: 'big.stl', bytes: bytes(64 * 1024 + 1) },
    ]);
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toContain(String(64 * 1024));
    const three = [0, 1, 2].map((i) => ({ path: `p${i}.bin`, bytes: bytes(60 * 1024, i) }));
    const tooMuch = await publish(t.app, ana, 'ana', 'press', { version: '9.0.1' }, three);
    expect(tooMuch.statusCode).toBe(413);
    expect(tooMuch.json().detail).toContain(String(160 * 1024));
    expect(await counts(t)).toEqual(before);
    // exactly at the limit is fine
    const exact = await publish(t.app, ana, 'ana', 'press', { version: '9.0.2' }, [
      { path: 'edge.bin', bytes: bytes(64 * 1024) },
    ]);
    expect(exact.statusCode).toBe(201);
  });

  it('shares blobs across versions and designs (content-addressed)', async () => {
    await createDesign(t.app, ana, 'copy');
    const same = bytes(2000, 7);
    expect(
      (await publish(t.app, ana, 'ana', 'copy', { version: '0.1.0' }, [{ path: 'a.stl', bytes: same }])).statusCode,
    ).toBe(201);
    expect(
      (await publish(t.app, ana, 'ana', 'copy', { version: '0.2.0' }, [{ path: 'b/a.stl', bytes: same }])).statusCode,
    ).toBe(201);
    const { rows } = await t.deps.db.raw('select count(*)::int as n from blobs where sha256 = $1', [sha(same)]);
    expect(rows[0].n).toBe(1);
    expect(await t.deps.blobs.has(sha(same))).toBe(true);
  });

  it('yanks a version: still downloadable, marked, never latest', async () => {
    await createDesign(t.app, ana, 'yank');
    await publish(t.app, ana, 'ana', 'yank', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'one' }]);
    await publish(t.app, ana, 'ana', 'yank', { version: '1.1.0' }, [{ path: 'a.txt', bytes: 'two' }]);
    expect((await t.app.inject({ url: '/api/designs/ana/yank/versions/latest' })).json().version).toBe('1.1.0');
    const byBen = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/yank/versions/1.1.0/yank',
      headers: ben.auth,
    });
    expect(byBen.statusCode).toBe(403);
    const y = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/yank/versions/1.1.0/yank',
      headers: ana.auth,
    });
    expect(y.json().state).toBe('yanked');
    expect((await t.app.inject({ url: '/api/designs/ana/yank/versions/latest' })).json().version).toBe('1.0.0');
    expect((await t.app.inject({ url: '/api/designs/ana/yank/versions/1.1.0/files/a.txt' })).body).toBe('two');
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/designs/ana/yank/versions/1.1.0/yank', headers: ana.auth }))
        .statusCode,
    ).toBe(409);
  });

  it('keeps no rows when the client aborts mid-upload, and keeps serving', async () => {
    const before = await counts(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as any).port;
    const { payload, headers } = await formPayload(
      publishForm({ version: '7.0.0' }, [{ path: 'a.bin', bytes: bytes(40 * 1024) }]),
    );
    await new Promise<void>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write(
          `POST /api/designs/ana/press/versions HTTP/1.1\r\nhost: x\r\nauthorization: ${ana.auth.authorization}\r\ncontent-type: ${headers['content-type']}\r\ncontent-length: ${payload.length}\r\n\r\n`,
        );
        sock.write(payload.subarray(0, payload.length / 2));
        setTimeout(() => {
          sock.destroy();
          resolve();
        }, 200);
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await counts(t)).toEqual(before);
    const ok = await fetch(`http://127.0.0.1:${port}/api/designs/ana/press`);
    expect(ok.status).toBe(200);
  });
});
