// API benchmark: 1,000 seeded designs; autocannon (50 connections, 10 s) on a design and a list page, beside a bare
// Fastify hello-world measured in the same run. autocannon runs as a child process, so this process holds only the
// servers and its CPU time per request (`cpu µs/req`) is the servers' own: steadier than rps when the machine is busy. PGlite always; PostgreSQL too when DATABASE_URL is set (a scratch
// database is created on that server and dropped afterwards).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadConfig, testConfig } from '../server/src/config.js';
import { buildApp } from '../server/src/app.js';
import { openRuntime, closeRuntime } from '../server/src/runtime.js';
import { openDatabase, refreshStatistics } from '../server/src/db/client.js';
import { registerUser, getUserByHandle, type Caller } from '../server/src/accounts/accounts.js';
import { createDesign } from '../server/src/registry/designs.js';
import { commitVersion } from '../server/src/registry/publish.js';
import { withScratchDatabase } from './scratch-database.js';

const DESIGNS = 1000;
const OWNERS = 20;
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

interface Result {
  name: string;
  rps: number;
  /** this process's CPU time (user + system) per request answered: the servers' cost, the client runs elsewhere */
  cpuMicros: number;
  p50: number;
  p99: number;
  errors: number;
}

const autocannonBin = join(import.meta.dirname, '..', 'node_modules', '.bin', 'autocannon');

async function cannon(name: string, url: string): Promise<Result> {
  const cpu = process.cpuUsage();
  const { stdout } = await promisify(execFile)(
    autocannonBin,
    ['-j', '-c', String(CONNECTIONS), '-d', String(SECONDS), '-w', '2', url],
    { maxBuffer: 16 << 20, timeout: (SECONDS + 60) * 1000 },
  );
  const used = process.cpuUsage(cpu);
  const r = JSON.parse(stdout);
  return {
    name,
    rps: r.requests.average,
    cpuMicros: (used.user + used.system) / Math.max(1, r.requests.total),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

async function seed(deps: Awaited<ReturnType<typeof openRuntime>>): Promise<{ owner: string; slug: string }> {
  const db = deps.db.db;
  const callers: Caller[] = [];
  for (let i = 0; i < OWNERS; i++) {
    const handle = `maker${i}`;
    await registerUser(db, { handle, email: `${handle}@example.org`, password: 'bench password 1' });
    const u = (await getUserByHandle(db, handle))!;
    callers.push({ id: u.id, handle, isAdmin: u.isAdmin, scope: 'write' });
  }
  const publishDeps = { db, blobs: deps.blobs, config: deps.config, onPublished: [], afterPublished: [] };
  for (let i = 0; i < DESIGNS; i++) {
    const caller = callers[i % OWNERS];
    const d = await createDesign(db, caller, {
      slug: `design-${i}`,
      title: `Design ${i}`,
      summary: 'A machine for the bench',
      category: ['agriculture', 'construction', 'tools'][i % 3],
      tags: ['bench', `t${i % 7}`],
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
    });
    // most designs have a version or two, so `latestVersion` costs what it costs in real use
    for (let v = 0; v < i % 3; v++)
      await commitVersion(publishDeps, d, caller, { manifest: { version: `1.${v}.0` }, files: [] });
  }
  return { owner: 'maker7', slug: 'design-507' };
}

async function measure(label: string, databaseUrl: string | undefined, hello: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-bench-'));
  const config = testConfig({ dataDir, databaseUrl, logLevel: 'silent' });
  const deps = await openRuntime(config, databaseUrl ? await openDatabase({ url: databaseUrl }) : undefined);
  deps.startup.done = true;
  const t0 = Date.now();
  const { owner, slug } = await seed(deps);
  console.log(`${label}: seeded ${DESIGNS} designs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // as a running instance has them (PostgreSQL's autovacuum; PGlite's periodic analyze): the planner's statistics
  await refreshStatistics(deps.db);
  const app = await buildApp(deps);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  // the same app with the response cache off: what every read costs the database
  const uncachedApp = await buildApp({ ...deps, config: { ...deps.config, responseCacheMs: 0 } });
  const uncached = await uncachedApp.listen({ host: '127.0.0.1', port: 0 });
  try {
    const results = [
      await cannon('hello world (bare fastify)', hello),
      // the app's own plugins and hooks without a query: separates framework cost from database cost
      await cannon('GET /healthz (this app, no query)', `${base}/healthz`),
      await cannon(`GET /api/designs/${owner}/${slug}`, `${base}/api/designs/${owner}/${slug}`),
      await cannon('GET /api/designs?limit=20', `${base}/api/designs?limit=20`),
      await cannon('  same design, response cache off', `${uncached}/api/designs/${owner}/${slug}`),
      await cannon('  same list, response cache off', `${uncached}/api/designs?limit=20`),
    ];
    const ref = results[0].rps;
    console.log(`\n${label}  (${CONNECTIONS} connections, ${SECONDS} s each)`);
    console.log(
      'route'.padEnd(40),
      'rps'.padStart(9),
      'p50 ms'.padStart(8),
      'p99 ms'.padStart(8),
      'ratio'.padStart(7),
      'cpu µs/req'.padStart(11),
      'cpu ratio'.padStart(10),
      'errors'.padStart(7),
    );
    for (const r of results) {
      console.log(
        r.name.padEnd(40),
        r.rps.toFixed(0).padStart(9),
        String(r.p50).padStart(8),
        String(r.p99).padStart(8),
        (r.rps / ref).toFixed(2).padStart(7),
        r.cpuMicros.toFixed(0).padStart(11),
        // the hello world's CPU per request over this route's: 1.00 = as cheap as bare Fastify
        (results[0].cpuMicros / r.cpuMicros).toFixed(2).padStart(10),
        String(r.errors).padStart(7),
      );
    }
  } finally {
    await app.close();
    await uncachedApp.close();
    await closeRuntime(deps);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const hello = Fastify();
  hello.get('/', async () => ({ hello: 'world' }));
  const helloUrl = await hello.listen({ host: '127.0.0.1', port: 0 });
  try {
    await measure('PGlite', undefined, helloUrl);
    const url = loadConfig().databaseUrl;
    if (url) {
      await withScratchDatabase(url, 'andecha_bench', (scratch) => measure('PostgreSQL', scratch, helloUrl));
    } else {
      console.log('\n(set DATABASE_URL=postgres://… to measure PostgreSQL too)');
    }
  } finally {
    await hello.close();
  }
}
