// Blob store write failure: a store that fails on put (a fault injector around the real fs store, not a mock)
// makes a publish fail with 507/503 problem+json, and no version, file or blob row is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../server/src/app.js';
import { testConfig } from '../../server/src/config.js';
import { openRuntime, closeRuntime } from '../../server/src/runtime.js';
import { FsBlobStore } from '../../server/src/storage/fs-store.js';
import type { BlobStore, PutOptions, StoredBlob } from '../../server/src/storage/blob-store.js';
import { createDesign, isProblem, publish, registerUser, type TestUser } from '../helpers/app.js';
import { cloneTestDatabase } from '../helpers/databases.js';

/** The fs store, except that the n-th put from now on fails with `code` after reading some of the stream. */
class FailingBlobStore extends FsBlobStore {
  failOn: { nth: number; code: string } | undefined;
  private puts = 0;

  arm(nth: number, code: string) {
    this.failOn = { nth, code };
    this.puts = 0;
  }

  override async put(source: Readable, opts?: PutOptions): Promise<StoredBlob> {
    this.puts++;
    if (this.failOn && this.puts >= this.failOn.nth) {
      for await (const chunk of source) {
        void chunk;
        break;
      }
      throw Object.assign(new Error(`injected ${this.failOn.code}`), { code: this.failOn.code });
    }
    return super.put(source, opts);
  }
}

describe('blob store write failure', () => {
  let deps: AppDeps;
  let app: FastifyInstance;
  let store: FailingBlobStore;
  let dataDir: string;
  let user: TestUser;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'andecha-blobfail-'));
    deps = await openRuntime(testConfig({ dataDir }), await cloneTestDatabase('pglite'));
    store = await new FailingBlobStore(join(dataDir, 'failing-blobs')).init();
    deps.blobs = store as BlobStore;
    deps.pipeline!.services.blobs = store;
    deps.startup.done = true;
    app = await buildApp(deps);
    await app.ready();
    user = await registerUser(app);
    await createDesign(app, user, 'press');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (deps) await closeRuntime(deps);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const count = async (table: string) =>
    (await deps.db.raw(`select count(*)::int as n from ${table}`)).rows[0].n as number;
  const big = 'x'.repeat(300_000);

  it.each([
    ['a full disk (ENOSPC) on the first file', 1, 'ENOSPC', 507, 'is full'],
    ['a read-only store (EROFS) on the third file', 3, 'EROFS', 507, 'cannot be written'],
  ] as const)('%s → 507 problem+json, no rows', async (_what, nth, code, status, why) => {
    store.arm(nth, code);
    const r = await publish(
      app,
      user,
      user.handle,
      'press',
      { version: '1.0.0' },
      [
        { path: 'a.txt', bytes: big + 'a' },
        { path: 'b.txt', bytes: big + 'b' },
        { path: 'c.txt', bytes: big + 'c' },
      ],
      { name: 'bom.csv', bytes: 'Qty,Name\n1,Bolt\n' },
    );
    expect(r.statusCode, r.body).toBe(status);
    expect(isProblem(r)).toBe(true);
    expect(r.headers['retry-after']).toBe('60');
    expect(r.json().detail).toBe(`The blob store ${why}; the upload was not kept`);
    expect([await count('design_versions'), await count('files'), await count('blobs'), await count('jobs')]).toEqual([
      0, 0, 0, 0,
    ]);
    store.failOn = undefined;
    // the server keeps serving and the same publish goes through once the store accepts writes
    expect((await app.inject({ url: `/api/designs/${user.handle}/press` })).statusCode).toBe(200);
  });

  it('publishes normally when the store recovers', async () => {
    store.failOn = undefined;
    const r = await publish(app, user, user.handle, 'press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'a' }]);
    expect(r.statusCode, r.body).toBe(201);
    expect(await count('design_versions')).toBe(1);
  });
});
