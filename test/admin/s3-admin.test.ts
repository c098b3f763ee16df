// gc, verify and `npm run migrate-data -- --to-blobs s3://…` on an S3 blob store: radosgw when configured
// (TEST_S3_ENDPOINT…, as .ci/run sets), else s3rver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createDesign, createTestApp, publish, registerUser, type TestApp } from '../helpers/app.js';
import { s3ServerName, startS3, type TestS3 } from '../helpers/s3.js';
import { adminProgram, collectGarbage, verifyBlobs } from '../../server/src/admin.js';
import { openRuntime, closeRuntime } from '../../server/src/runtime.js';
import { testConfig } from '../../server/src/config.js';
import { S3BlobStore } from '../../server/src/storage/s3-store.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const hoursLater = (h: number) => new Date(Date.now() + h * 3600_000);
const keyOf = (sha256: string) => `blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

describe(`admin gc and verify with BLOB_STORE=s3 on ${s3ServerName()}`, () => {
  let s3: TestS3;
  let t: TestApp;
  beforeAll(async () => {
    s3 = await startS3();
    t = await createTestApp('pglite', { blobStore: 's3', s3: s3.s3 });
    const ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'kept file' }]);
    expect(r.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('gc deletes only unreferenced blobs older than the grace period, by the objects’ own times', async () => {
    const store = t.deps.blobs;
    const orphan = await store.putBuffer(Buffer.from('uploaded, publish failed'));
    const young = await collectGarbage(t.deps.db, store, { graceHours: 24 });
    expect(young.deleted).toEqual([]);
    expect(young.tooYoung).toBeGreaterThanOrEqual(1);
    const r = await collectGarbage(t.deps.db, store, { graceHours: 24, now: hoursLater(25) });
    expect(r.deleted.map((b) => b.sha256)).toEqual([orphan.sha256]);
    expect(await store.has(orphan.sha256)).toBe(false);
    expect(await store.has(sha('kept file'))).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/designs/ana/press/versions/1.0.0/files/a.txt' })).body).toBe(
      'kept file',
    );
  });

  it('verify re-hashes every object and reports one whose bytes changed in the bucket', async () => {
    const clean = await verifyBlobs(t.deps.db, t.deps.blobs);
    expect(clean.mismatches).toEqual([]);
    expect(clean.missing).toEqual([]);
    const target = sha('kept file');
    const client = (t.deps.blobs as S3BlobStore).client;
    const overwrite = (body: string) =>
      client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: keyOf(target), Body: body }));
    await overwrite('kept fil3');
    try {
      const bad = await verifyBlobs(t.deps.db, t.deps.blobs);
      expect(bad.checked).toBe(clean.checked);
      expect(bad.mismatches).toEqual([{ sha256: target, actual: sha('kept fil3') }]);
      const lines: string[] = [];
      const { program, exitCode } = adminProgram(t.deps, (l) => lines.push(l));
      await program.parseAsync(['verify'], { from: 'user' });
      expect(exitCode()).toBe(1);
      expect(lines[0]).toBe(`MISMATCH ${target}: its bytes hash to ${sha('kept fil3')}`);
    } finally {
      await overwrite('kept file');
    }
  });
});

describe(`npm run migrate-data -- --to-blobs s3://… on ${s3ServerName()}`, () => {
  let s3: TestS3;
  let dataDir: string;
  const big = randomBytes(7 * 1024 * 1024);
  const small = Buffer.from('a small blob');
  beforeAll(async () => {
    s3 = await startS3();
    dataDir = mkdtempSync(join(tmpdir(), 'andecha-migrate-s3-'));
    const deps = await openRuntime(testConfig({ dataDir, loadSamples: false }));
    try {
      await deps.blobs.putBuffer(big);
      await deps.blobs.putBuffer(small);
    } finally {
      await closeRuntime(deps);
    }
  });
  afterAll(async () => {
    await s3?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const migrate = () =>
    promisify(execFile)(
      'npm',
      [
        'run',
        '--silent',
        'migrate-data',
        '--',
        '--to-blobs',
        `s3://${s3.bucket}?endpoint=${encodeURIComponent(s3.endpoint)}&region=${s3.s3.region}`,
        '--verify-blobs',
      ],
      {
        env: {
          ...process.env,
          ANDECHA_DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          S3_ACCESS_KEY_ID: s3.s3.accessKeyId,
          S3_SECRET_ACCESS_KEY: s3.s3.secretAccessKey,
        },
        timeout: 120_000,
      },
    );

  it('copies every blob of a data folder into the bucket, verified, and a second run copies none', async () => {
    const first = await migrate();
    expect(first.stdout).toContain('and 2 blob(s) (0 were already there)');
    const target = new S3BlobStore(s3.s3);
    try {
      expect(sha(await target.getBuffer(sha(big)))).toBe(sha(big));
      expect((await target.getBuffer(sha(small))).equals(small)).toBe(true);
    } finally {
      target.close();
    }
    const second = await migrate();
    expect(second.stdout).toContain('and 0 blob(s) (2 were already there)');
  });
});
