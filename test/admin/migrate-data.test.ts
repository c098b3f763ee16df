// migrate-data: a PGlite + fs instance copied to PostgreSQL (or a fresh PGlite) + S3, counts equal, sha256 verified,
// and a second run copies nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDesign, createTestApp, publish, registerUser, type TestApp } from '../helpers/app.js';
import { startS3, type TestS3 } from '../helpers/s3.js';
import { openDatabase, migrateDatabase, type Database } from '../../server/src/db/client.js';
import { S3BlobStore } from '../../server/src/storage/s3-store.js';
import { migrateData, tablesInDependencyOrder, verifyCopiedBlobs } from '../../server/src/admin/migrate-data.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const pgUrl = process.env.TEST_DATABASE_URL;

/** An empty database the migration creates its tables in: a new PostgreSQL database, or an in-memory PGlite. */
async function freshTarget(): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (!pgUrl) return { db: await openDatabase({}), drop: async () => {} };
  const name = `andecha_mig_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = '/' + name;
  const db = await openDatabase({ url: u.toString() });
  return {
    db,
    drop: async () => {
      const a = new pg.Client({ connectionString: pgUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

describe(`migrate-data from PGlite/fs to ${pgUrl ? 'PostgreSQL' : 'PGlite (set TEST_DATABASE_URL for PostgreSQL)'}/S3`, () => {
  let src: TestApp;
  let s3: TestS3;
  let target: { db: Database; drop: () => Promise<void> };
  let targetBlobs: S3BlobStore;
  const big = randomBytes(6 * 1024 * 1024);

  beforeAll(async () => {
    src = await createTestApp('pglite');
    const ana = await registerUser(src.app, 'ana');
    const ben = await registerUser(src.app, 'ben');
    await createDesign(src.app, ana, 'press', { tags: ['bricks', 'earth'], licenses: { hardware: 'CERN-OHL-S-2.0' } });
    await createDesign(src.app, ben, 'loom');
    expect(
      (
        await publish(
          src.app,
          ana,
          'ana',
          'press',
          { version: '1.0.0', extra: { nested: [1, 'two'] } },
          [
            { path: 'cad/big.stl', bytes: big },
            { path: 'README.md', bytes: '# Press\n' },
          ],
          { name: 'bom.csv', bytes: 'Qty,Name\n2,Frame\n' },
        )
      ).statusCode,
    ).toBe(201);
    expect(
      (await publish(src.app, ben, 'ben', 'loom', { version: '0.1.0' }, [{ path: 'README.md', bytes: '# Press\n' }]))
        .statusCode,
    ).toBe(201);
    s3 = await startS3();
    target = await freshTarget();
    await migrateDatabase(target.db);
    targetBlobs = new S3BlobStore(s3.s3);
  });
  afterAll(async () => {
    targetBlobs?.close();
    await target?.db.close();
    await target?.drop();
    await s3?.close();
    await src?.close();
  });

  it('orders tables parents first', async () => {
    const order = await tablesInDependencyOrder(target.db);
    for (const [parent, child] of [
      ['users', 'designs'],
      ['designs', 'design_versions'],
      ['blobs', 'files'],
      ['design_versions', 'files'],
    ]) {
      expect(order.indexOf(parent)).toBeLessThan(order.indexOf(child));
    }
  });

  it('copies every row and blob, equal counts, then a second run copies nothing', async () => {
    const first = await migrateData(src.deps, { db: target.db, blobs: targetBlobs });
    expect(first.problems).toEqual([]);
    const byTable = Object.fromEntries(first.tables.map((t) => [t.table, t]));
    expect(byTable.users).toEqual({ table: 'users', source: 2, copied: 2, target: 2 });
    expect(byTable.designs).toMatchObject({ source: 2, copied: 2, target: 2 });
    expect(byTable.design_versions).toMatchObject({ source: 2, copied: 2, target: 2 });
    expect(byTable.files).toMatchObject({ source: 3, copied: 3, target: 3 });
    for (const t of first.tables) expect(t.target).toBe(t.source);
    expect(first.blobs).toEqual({ source: 3, copied: 3, present: 0 });
    expect(await verifyCopiedBlobs(src.deps.blobs, targetBlobs)).toEqual([]);
    expect(sha(await targetBlobs.getBuffer(sha(big)))).toBe(sha(big));

    // values arrive exactly: JSON, arrays in JSON, timestamps to the microsecond
    const q = `select d.slug, d.tags::text, d.licenses::text, v.manifest::text, v.published_at::text, u.created_at::text
      from designs d join design_versions v on v.design_id = d.id join users u on u.id = d.owner_id order by d.slug`;
    expect((await target.db.raw(q)).rows).toEqual((await src.deps.db.raw(q)).rows);

    const second = await migrateData(src.deps, { db: target.db, blobs: targetBlobs });
    expect(second.problems).toEqual([]);
    expect(second.tables.reduce((s, t) => s + t.copied, 0)).toBe(0);
    expect(second.blobs).toEqual({ source: 3, copied: 0, present: 3 });
  });
});
