// Once per run: builds the web app when a source changed (browser tests serve web/dist), and migrates the
// databases — a PGlite template tarball, and a PostgreSQL template database when TEST_DATABASE_URL is set.
// Test files clone these instead of migrating each time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { openDatabase, migrateDatabase } from '../server/src/db/client.js';

const migrationsFolder = new URL('../server/src/db/migrations', import.meta.url).pathname;

export default async function setup() {
  execFileSync(process.execPath, [new URL('../scripts/build-web.mjs', import.meta.url).pathname], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'andecha-test-'));
  const client = await PGlite.create({ extensions: { pg_trgm } });
  await migrate(drizzle(client), { migrationsFolder });
  const dump = await client.dumpDataDir('none');
  await client.close();
  const file = join(dir, 'pglite-template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.ANDECHA_TEST_PGLITE_TEMPLATE = file;

  let template: string | undefined;
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    template = `andecha_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = '/' + template;
    const db = await openDatabase({ url: u.toString() });
    await migrateDatabase(db);
    await db.close();
    process.env.ANDECHA_TEST_PG_TEMPLATE = template;
  }

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (url && template) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const { rows } = await admin.query(
        `select datname from pg_database where datname like 'andecha\\_t\\_${process.pid}\\_%' or datname = $1`,
        [template],
      );
      for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
      await admin.end();
    }
  };
}
