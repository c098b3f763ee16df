// `npm run migrate-data -- --to-database postgres://… --to-blobs s3://bucket?endpoint=…`: moves this instance
// (as configured: ANDECHA_DATA_DIR, DATABASE_URL, BLOB_STORE) to another database and/or blob store. Stop the server first.
import { Command } from 'commander';
import { loadConfig } from './config.js';
import { openDatabase, migrateDatabase, type Database } from './db/client.js';
import { openBlobStore } from './runtime.js';
import { openBlobStoreUrl } from './storage/blob-store-url.js';
import type { BlobStore } from './storage/blob-store.js';
import { migrateData, verifyCopiedBlobs } from './admin/migrate-data.js';

const program = new Command('migrate-data')
  .description('copy rows and blobs to another database / blob store; resumable, verified by counts and sha256')
  .option('--to-database <url>', 'target PostgreSQL, postgres://user@host:5432/db (migrated first)')
  .option('--to-blobs <url>', 'target blob store: s3://bucket?endpoint=http://host:9000&region=…, or a folder path')
  .option('--verify-blobs', 'afterwards, re-read every blob from the target and check its sha256', false)
  .parse();
const opts = program.opts<{ toDatabase?: string; toBlobs?: string; verifyBlobs: boolean }>();
if (!opts.toDatabase && !opts.toBlobs) program.error('name a target: --to-database and/or --to-blobs');

const config = loadConfig();
const source = {
  db: await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }),
  blobs: await openBlobStore(config),
};
await migrateDatabase(source.db);
let targetDb: Database | undefined;
let targetBlobs: BlobStore | undefined;
try {
  if (opts.toDatabase) {
    targetDb = await openDatabase({ url: opts.toDatabase });
    await migrateDatabase(targetDb);
  }
  if (opts.toBlobs) {
    targetBlobs = await openBlobStoreUrl(opts.toBlobs, config.s3);
    await targetBlobs.ping();
  }
  const report = await migrateData(source, { db: targetDb, blobs: targetBlobs }, { log: (l) => console.log(l) });
  if (opts.verifyBlobs && targetBlobs) report.problems.push(...(await verifyCopiedBlobs(source.blobs, targetBlobs)));
  const rows = report.tables.reduce((s, t) => s + t.copied, 0);
  console.log(
    `copied ${rows} row(s) in ${report.tables.length} table(s) and ${report.blobs.copied} blob(s) (${report.blobs.present} were already there)`,
  );
  if (report.problems.length) {
    for (const p of report.problems) console.error(`PROBLEM ${p}`);
    process.exitCode = 1;
  } else {
    console.log('verified: every table has the same row count in the target, every blob is there under its sha256');
  }
} finally {
  await source.db.close();
  await source.blobs.close?.();
  await targetDb?.close();
  await targetBlobs?.close?.();
}
