// Publishing through the API with BLOB_STORE=s3 on a real S3-compatible server: the stored bytes are the uploaded bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  createDesign,
  createTestApp,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { startS3, type TestS3 } from '../helpers/s3.js';
import { S3BlobStore } from '../../server/src/storage/s3-store.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

describe('publish with BLOB_STORE=s3', () => {
  let s3: TestS3;
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    s3 = await startS3();
    t = await createTestApp('pglite', { blobStore: 's3', s3: s3.s3, maxFileBytes: 8 * 1024 * 1024 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('opens the S3 store from the configuration', () => {
    expect(t.deps.blobs).toBeInstanceOf(S3BlobStore);
  });

  it('stores each file under its sha256 and serves it whole and by range', async () => {
    const big = Uint8Array.from({ length: 6 * 1024 * 1024 + 5 }, (_, i) => (i * 13) & 255);
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [
      { path: 'cad/big.stl', bytes: big },
      { path: 'README.md', bytes: '# hi\n' },
    ]);
    expect(r.statusCode).toBe(201);
    expect(r.json().files.map((f: any) => [f.path, f.sha256, f.size])).toEqual([
      ['README.md', sha('# hi\n'), 5],
      ['cad/big.stl', sha(big), big.length],
    ]);
    // read back from the bucket itself, not from what publish answered
    expect(sha(await t.deps.blobs.getBuffer(sha(big)))).toBe(sha(big));
    const whole = await t.app.inject({ method: 'GET', url: '/api/designs/ana/press/versions/1.0.0/files/cad/big.stl' });
    expect(whole.statusCode).toBe(200);
    expect(sha(whole.rawPayload)).toBe(sha(big));
    const part = await t.app.inject({
      method: 'GET',
      url: '/api/designs/ana/press/versions/1.0.0/files/cad/big.stl',
      headers: { range: 'bytes=100-199' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${big.length}`);
    expect(Buffer.compare(part.rawPayload, Buffer.from(big.subarray(100, 200)))).toBe(0);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json().checks.blobs).toBe('ok');
  });

  it('refuses a file over the limit with 413 and keeps no blob of it', async () => {
    const huge = new Uint8Array(9 * 1024 * 1024).fill(3);
    const r = await publish(t.app, ana, 'ana', 'press', { version: '2.0.0' }, [{ path: 'cad/huge.stl', bytes: huge }]);
    expect(r.statusCode).toBe(413);
    expect(isProblem(r)).toBe(true);
    expect(await t.deps.blobs.has(sha(huge))).toBe(false);
  });

  it('answers 503 problem+json with Retry-After when the S3 server is gone', async () => {
    const down = await createTestApp('pglite', { blobStore: 's3', s3: { ...s3.s3, endpoint: 'http://127.0.0.1:9' } });
    try {
      const u = await registerUser(down.app, 'cy');
      await createDesign(down.app, u, 'gone');
      const r = await publish(down.app, u, 'cy', 'gone', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'a' }]);
      expect(r.statusCode).toBe(503);
      expect(isProblem(r)).toBe(true);
      expect(r.headers['retry-after']).toBe('5');
      expect(r.json().detail).toBe('The blob store is unreachable');
      expect((await down.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    } finally {
      await down.close();
    }
  });
});
