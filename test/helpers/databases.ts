// The databases every API test runs against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/src/db/client.js';

export type DatabaseKind = 'pglite' | 'postgres';

export const databaseKinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh, migrated database cloned from the run's template. */
export async function cloneTestDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === 'pglite') {
    const tar = readFileSync(process.env.ANDECHA_TEST_PGLITE_TEMPLATE!);
    return openDatabase({ loadDataDir: new Blob([tar]) });
  }
  const url = process.env.TEST_DATABASE_URL!;
  const name = `andecha_t_${process.env.ANDECHA_TEST_PG_TEMPLATE!.split('_').pop()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${process.env.ANDECHA_TEST_PG_TEMPLATE}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = '/' + name;
  const db = await openDatabase({ url: u.toString() });
  const close = db.close;
  db.close = async () => {
    await close();
    const a = new pg.Client({ connectionString: url });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  };
  return db;
}
