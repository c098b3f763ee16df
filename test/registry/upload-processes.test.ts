// Two API processes on one database and one blob store (replicas behind a load balancer): the refused-upload
// allowance is one allowance, not one per process, and a refused upload's clean-up in one process never deletes
// bytes that a publish in the other is about to commit (a pause point holds the publish between storing its file
// and writing its rows, while the other process refuses the same bytes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createSecondTestApp,
  createTestApp,
  formPayload,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import type { PutOptions } from '../../server/src/storage/blob-store.js';
import { collectGarbage } from '../../server/src/admin/gc.js';
import { verifyBlobs } from '../../server/src/admin/verify.js';

const KB = 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A publish whose file comes before an invalid manifest: refused (400) after its bytes were stored. */
async function refusedPublish(t: TestApp, user: TestUser, slug: string, bytes: Uint8Array, address: string) {
  const fd = new FormData();
  fd.append('files', new Blob([bytes as BlobPart]), 'part.bin');
  fd.append('manifest', '{"version": "1.0.0", "licenses": 12}');
  const { payload, headers } = await formPayload(fd);
  return t.app.inject({
    method: 'POST',
    url: `/api/designs/${user.handle}/${slug}/versions`,
    headers: { ...headers, ...user.auth },
    payload,
    remoteAddress: address,
  });
}

describe.each(databaseKinds)('two API processes on one %s database', (kind) => {
  let a: TestApp;
  let b: TestApp;
  let ana: TestUser;
  let bo: TestUser;
  beforeAll(async () => {
    a = await createTestApp(kind, { refusedUploadBytesPerHour: 512 * KB });
    b = await createSecondTestApp(a);
    ana = await registerUser(a.app);
    bo = await registerUser(b.app);
    await createDesign(a.app, ana, 'press');
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('count refused bytes against one allowance: 300 KB refused by each is past 512 KB in both', async () => {
    for (const t of [a, b]) {
      const r = await refusedPublish(t, ana, 'press', randomBytes(300 * KB), '10.1.0.1');
      expect(r.statusCode, r.body).toBe(400);
    }
    for (const t of [a, b]) {
      const r = await publish(t.app, ana, ana.handle, 'press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'a' }]);
      expect(r.statusCode, r.body).toBe(429);
      expect(r.json().detail).toMatch(/refused/);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(3000);
    }
  });

  /** Publishes `bytes` through b, paused after the file is stored and before the rows are written, while `meanwhile` runs. */
  async function publishPausedAt(slug: string, bytes: Uint8Array, meanwhile: () => Promise<void>) {
    const sha256 = sha(bytes);
    let stored!: () => void;
    const storedSignal = new Promise<void>((resolve) => (stored = resolve));
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    const put = b.deps.blobs.put.bind(b.deps.blobs);
    b.deps.blobs.put = async (source: Readable, opts?: PutOptions) => {
      const blob = await put(source, opts);
      if (blob.sha256 === sha256) {
        stored();
        await resumed;
      }
      return blob;
    };
    try {
      await createDesign(b.app, bo, slug);
      const publishing = publish(b.app, bo, bo.handle, slug, { version: '1.0.0' }, [{ path: 'part.bin', bytes }]);
      await storedSignal;
      await meanwhile();
      resume();
      const published = await publishing;
      expect(published.statusCode, published.body).toBe(201);
    } finally {
      resume();
      b.deps.blobs.put = put;
    }
    for (const t of [a, b]) {
      const file = await t.app.inject({ url: `/api/designs/${bo.handle}/${slug}/versions/1.0.0/files/part.bin` });
      expect(file.statusCode).toBe(200);
      expect(sha(file.rawPayload)).toBe(sha256);
    }
  }

  it('keep the bytes a publish in one process is committing while gc in the other finds them unreferenced', async () => {
    const bytes = randomBytes(50 * KB);
    const sha256 = sha(bytes);
    await publishPausedAt('bench', bytes, async () => {
      // as gc saw it when it listed the store: written two days ago (the publish's write came after), no row for it
      const old = new Date(Date.now() - 48 * 3600_000);
      utimesSync(join(a.deps.config.dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256), old, old);
      const report = await collectGarbage(a.deps.db, a.deps.blobs, { graceHours: 24 });
      expect(report.deleted.map((d) => d.sha256)).not.toContain(sha256);
    });
  });

  it('keep the bytes a publish in one process is committing while the other refuses the same bytes', async () => {
    const bytes = randomBytes(200 * KB);
    const sha256 = sha(bytes);
    await publishPausedAt('loom', bytes, async () => {
      // the other process refuses a request that sent the same bytes, and cleans up after it
      const refused = await refusedPublish(a, bo, 'loom', bytes, '10.1.0.2');
      expect(refused.statusCode, refused.body).toBe(400);
    });
    expect(existsSync(join(a.deps.config.dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256))).toBe(true);
    // the holds ended with their requests
    expect((await a.deps.db.raw(`select count(*)::int as n from upload_holds`)).rows[0].n).toBe(0);
  });

  it('gc spares a blob an upload holds, and clears the holds a killed process left once past the grace period', async () => {
    const blob = await a.deps.blobs.putBuffer(randomBytes(10 * KB));
    const later = new Date(Date.now() + 48 * 3600_000);
    // held by an upload that (by gc's clock) started an hour ago
    await a.deps.db.raw(`insert into upload_holds (upload_id, sha256, created_at) values (gen_random_uuid(), $1, $2)`, [
      blob.sha256,
      new Date(later.getTime() - 3600_000),
    ]);
    const spared = await collectGarbage(b.deps.db, b.deps.blobs, { graceHours: 24, now: later });
    expect(spared.deleted.map((d) => d.sha256)).not.toContain(blob.sha256);
    expect(await a.deps.blobs.has(blob.sha256)).toBe(true);
    // a day later the hold is a dead process's: cleared, and the blob goes
    const dayLater = new Date(later.getTime() + 24 * 3600_000);
    const collected = await collectGarbage(b.deps.db, b.deps.blobs, { graceHours: 24, now: dayLater });
    expect(collected.deleted.map((d) => d.sha256)).toContain(blob.sha256);
    expect(await a.deps.blobs.has(blob.sha256)).toBe(false);
    expect((await a.deps.db.raw(`select count(*)::int as n from upload_holds`)).rows[0].n).toBe(0);
  });
  it('verify does not call a blob missing that an upload holds and has not written yet', async () => {
    const notYet = sha(randomBytes(32));
    await a.deps.db.raw(`insert into upload_holds (upload_id, sha256) values (gen_random_uuid(), $1)`, [notYet]);
    try {
      expect((await verifyBlobs(b.deps.db, b.deps.blobs)).missing).toEqual([]);
    } finally {
      await a.deps.db.raw(`delete from upload_holds where sha256 = $1`, [notYet]);
    }
  });
});
