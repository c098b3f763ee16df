// A scratch PostgreSQL database for a benchmark: created on the server of `serverUrl`, handed to `use` by URL,
// dropped afterwards (kept when BENCH_KEEP_DB is set, to explore it with psql).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function withScratchDatabase<T>(
  serverUrl: string,
  prefix: string,
  use: (url: string, name: string) => Promise<T>,
): Promise<T> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = '/' + name;
  try {
    return await use(u.toString(), name);
  } finally {
    if (process.env.BENCH_KEEP_DB) console.log(`kept database ${name} (BENCH_KEEP_DB)`);
    else await admin(serverUrl, `drop database if exists ${name} with (force)`);
  }
}
