// Opens the database: PostgreSQL through a pg Pool when a URL is given, else embedded PGlite in the data folder.
import { mkdirSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import * as schema from './schema.js';
import { pgliteOpenFailure } from './open-failure.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database itself: anything queries can run on. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** the server's connection string (PostgreSQL): for connections of its own, such as LISTEN */
  url?: string;
  /** Raw SQL with positional parameters, on the pool or the embedded engine. */
  // a raw row's columns are whatever the SQL selects: callers name them with Row where they can; the loose default
  // keeps the many ad-hoc reads (tests, scripts, admin) free of casts
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  raw<Row = Record<string, any>>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  /**
   * A hot read by name: PostgreSQL parses and plans it once per connection and then only binds and runs it; PGlite
   * (one embedded connection, no statement cache of its own) runs it as `raw` does. Outside transactions only.
   */
  prepared<Row>(name: string, text: string, values: unknown[]): Promise<{ rows: Row[] }>;
  close(): Promise<void>;
  /** the PostgreSQL pool's connections (metrics); PGlite has one embedded connection and no pool */
  poolStats?: () => { total: number; idle: number; waiting: number };
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenOptions {
  url?: string;
  dataDir?: string;
  /** a tarball from PGlite's dumpDataDir: tests start from a migrated template */
  loadDataDir?: Blob;
}

/**
 * Design search's typo tolerance: `a %> b` (index-assisted) holds when word_similarity ≥ this. Set per session,
 * so the trigram index can answer it instead of computing word_similarity for every design.
 */
export const WORD_SIMILARITY_THRESHOLD = 0.45;
const sessionOptions = `-c pg_trgm.word_similarity_threshold=${WORD_SIMILARITY_THRESHOLD}`;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    // a connect that hangs (server gone, network cut) fails after 5 s so requests answer 503 instead of waiting forever
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: 10,
      connectionTimeoutMillis: 5_000,
      options: sessionOptions,
    });
    // an idle client losing its connection must not crash the process; the next query reports it
    pool.on('error', () => {});
    // nor may a checked-out client (a transaction between two queries): without a listener its 'error' event
    // is an uncaught exception that ends the server; the next query on it fails and answers 503
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      url: opts.url,
      raw: <Row>(text: string, values?: unknown[]) => pool.query(text, values) as unknown as Promise<{ rows: Row[] }>,
      prepared: <Row>(name: string, text: string, values: unknown[]) =>
        pool.query({ name, text, values }) as unknown as Promise<{ rows: Row[] }>,
      close: () => pool.end(),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    };
  }
  let dir: string | undefined;
  if (opts.dataDir) {
    dir = join(opts.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
  }
  let client: PGlite;
  try {
    client = await PGlite.create({ dataDir: dir, extensions: { pg_trgm }, loadDataDir: opts.loadDataDir });
  } catch (err) {
    throw dir ? pgliteOpenFailure(dir, err) : err;
  }
  await client.exec(`set pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
  statementsWaitForTheLoop(client);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  // PGlite has no autovacuum: without table statistics the planner guesses, and it guessed a scan and sort of every
  // design over the newest-first index for the design list. The statistics are gathered now and then (a few ms).
  const statistics = setInterval(() => void client.query('analyze').catch(() => {}), statisticsEveryMs);
  statistics.unref();
  return {
    db,
    kind: 'pglite',
    raw: <Row>(text: string, values?: unknown[]) => client.query<Row>(text, values),
    prepared: pglitePrepared(client),
    close: () => {
      clearInterval(statistics);
      return client.close();
    },
  };
}

const statisticsEveryMs = 10 * 60_000;

/**
 * Prepared statements on PGlite: its `query` parses and plans every statement anew — and planning reads each
 * relation's size through the embedded file system, most of a small read's cost. A statement is PREPAREd once on
 * the one connection and EXECUTEd by the simple protocol (EXECUTE takes no bind parameters: the values go in as
 * quoted literals; strings, finite numbers and null only).
 */
function pglitePrepared(client: PGlite) {
  const ready = new Map<string, Promise<unknown>>();
  return async <Row>(name: string, text: string, values: unknown[]): Promise<{ rows: Row[] }> => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a statement name: ${name}`);
    let prepared = ready.get(name);
    if (!prepared) {
      prepared = client.exec(`prepare ${name} as ${text}`);
      ready.set(name, prepared);
      prepared.catch(() => ready.delete(name));
    }
    await prepared;
    // a statement without parameters is executed without the parentheses (an empty list is a syntax error)
    const args = values.length ? `(${values.map(literal).join(', ')})` : '';
    const results = await client.exec(`execute ${name}${args}`);
    return { rows: (results.at(-1)?.rows ?? []) as Row[] };
  };
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return pg.escapeLiteral(value);
  throw new Error(`a prepared statement's value must be a string, a number or null, not ${typeof value}`);
}

/**
 * Gathers the planner's table statistics now (after loading many rows: samples at start, a benchmark's seed).
 * PostgreSQL's autovacuum does this on its own; embedded PGlite has none (see openDatabase).
 */
export async function refreshStatistics(database: Database): Promise<void> {
  if (database.kind === 'pglite') await database.raw('analyze');
}

/**
 * PGlite runs on this thread and answers without I/O, so a chain of statements (an import's transaction: hundreds of
 * them) would be one task holding the event loop from the first to the last. Each statement first lets the loop take
 * a turn, as a round trip to PostgreSQL does; the wait is microseconds when nothing else is due.
 */
function statementsWaitForTheLoop(client: PGlite): void {
  // every query, exec and transaction statement (the transaction's own included) goes through this one method
  const runExclusive = client._runExclusiveQuery.bind(client);
  client._runExclusiveQuery = async (statement) => {
    await nextTurn();
    return runExclusive(statement);
  };
}

/** Applies the committed drizzle migrations (the same SQL on PostgreSQL and PGlite). */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'postgres')
    await underMigrationLock(database, () =>
      migratePg(database.db as unknown as NodePgDatabase<Schema>, { migrationsFolder }),
    );
  else await migratePglite(database.db as unknown as PgliteDatabase<Schema>, { migrationsFolder });
}

/** Any 64-bit number of our own: PostgreSQL's advisory locks are named by numbers. */
const MIGRATION_LOCK = 7_316_920_415;

/**
 * API replicas and workers starting together on one PostgreSQL: drizzle's migrator takes no lock, so two of them
 * would both apply a migration to a fresh database. One migrates; the others wait on a session lock held on a
 * connection of its own (the pool's run the migration), then find nothing left to do.
 */
async function underMigrationLock(database: Database, migrate: () => Promise<void>): Promise<void> {
  if (!database.url) return migrate();
  const lock = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 5_000 });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate();
  } finally {
    // ending the session releases its lock
    await lock.end();
  }
}

export async function pingDatabase(database: Database): Promise<void> {
  await database.db.execute(sql`select 1`);
}
