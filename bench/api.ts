// API benchmark: 1,000 seeded designs; autocannon (50 connections, 10 s) on a design and a list page, beside a bare
// Fastify hello-world measured in the same run; then the same cached reads while another client publishes 5 versions
// a second (of other designs, through the API) — each publish is a change that must not empty the cache. autocannon runs as a child process, so this process holds only the
// servers and its CPU time per request (`cpu µs/req`) is the servers' own: steadier than rps when the machine is busy. PGlite always; PostgreSQL too when DATABASE_URL is set (a scratch
// database is created on that server and dropped afterwards).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
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
const PUBLISHES_PER_SECOND = 5;

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

/**
 * Publishes versions of maker0's designs through the API, `PUBLISHES_PER_SECOND` a second, until stopped: the
 * background writes of a busy instance. Returns how many were published and refused.
 */
function publishInBackground(base: string, versions: { next: number }): { stop: () => Promise<PublishCount> } {
  let running = true;
  const count: PublishCount = { published: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  const publishOne = async (token: string, n: number) => {
    const form = new FormData();
    form.set('manifest', JSON.stringify({ version: `2.${n}.0` }));
    const design = `design-${(n % (DESIGNS / OWNERS)) * OWNERS}`; // maker0's: design-0, design-20, …
    try {
      const res = await fetch(`${base}/api/designs/maker0/${design}/versions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      await res.arrayBuffer();
      if (res.status === 201) count.published++;
      else count.failed++;
    } catch {
      count.failed++;
    }
  };
  const loop = (async () => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'maker0', password: 'bench password 1' }),
    });
    const { token } = (await login.json()) as { token: string };
    const t0 = Date.now();
    for (let i = 0; running; i++) {
      // on the clock, not after each answer: a slow publish does not lower the rate (at most 50 under way)
      const due = t0 + (i * 1000) / PUBLISHES_PER_SECOND;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      if (!running) break;
      if (inFlight.size >= 50) await Promise.race(inFlight);
      const p = publishOne(token, versions.next++).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return count;
    },
  };
}

interface PublishCount {
  published: number;
  failed: number;
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
  // the worker runs: a publish's pipeline job and its outcome are part of the background writes
  // (and is no user: the hourly publish allowance is off)
  const config = testConfig({
    dataDir,
    databaseUrl,
    logLevel: 'silent',
    runWorker: true,
    workerThreads: 1,
    uploadsPerHour: 0,
  });
  const deps = await openRuntime(config, databaseUrl ? await openDatabase({ url: databaseUrl }) : undefined);
  deps.startup.done = true;
  const t0 = Date.now();
  const { owner, slug } = await seed(deps);
  console.log(`${label}: seeded ${DESIGNS} designs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // as a running instance has them (PostgreSQL's autovacuum; PGlite's periodic analyze): the planner's statistics
  await refreshStatistics(deps.db);
  // answers of the cached app by their x-cache header: how many reads the cache answered while publishing
  const answers = { hit: 0, miss: 0 };
  const countAnswers = async (a: FastifyInstance) => {
    a.addHook('onResponse', async (_req, reply) => {
      const x = reply.getHeader('x-cache');
      if (x === 'hit' || x === 'miss') answers[x]++;
    });
  };
  const app = await buildApp(deps, { plugins: [fp(countAnswers)] });
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
    // the cached reads again, while versions of other designs are published: each publish (and its pipeline job) is
    // a change naming its design, which drops that design's documents and the lists, not this design's
    const publishing: string[] = [];
    const versions = { next: 0 };
    // what the cache was told while publishing: changes that named their designs, and those that could not
    const changes = { named: 0, unnamed: 0 };
    const unsubscribe = deps.events.onChanged((designs) => (designs ? changes.named++ : changes.unnamed++));
    for (const [name, url] of [
      [`  design, ${PUBLISHES_PER_SECOND} publishes/s in background`, `${base}/api/designs/${owner}/${slug}`],
      [`  list, ${PUBLISHES_PER_SECOND} publishes/s in background`, `${base}/api/designs?limit=20`],
    ]) {
      Object.assign(changes, { named: 0, unnamed: 0 });
      Object.assign(answers, { hit: 0, miss: 0 });
      const publisher = publishInBackground(base, versions);
      const t = Date.now();
      const r = await cannon(name, url);
      const { published, failed } = await publisher.stop();
      results.push(r);
      publishing.push(
        `${name.trim()}: ${published} versions published in ${((Date.now() - t) / 1000).toFixed(1)} s` +
          `${failed ? `, ${failed} refused` : ''}; changes ${changes.named} named, ${changes.unnamed} unnamed; ` +
          `reads answered from the cache ${((100 * answers.hit) / Math.max(1, answers.hit + answers.miss)).toFixed(1)} %`,
      );
    }
    unsubscribe();
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
    for (const line of publishing) console.log(line);
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
      // BENCH_DB_PREFIX: a scratch database name of one's own on a shared server
      const prefix = process.env.BENCH_DB_PREFIX ?? 'andecha_bench';
      await withScratchDatabase(url, prefix, (scratch) => measure('PostgreSQL', scratch, helloUrl));
    } else {
      console.log('\n(set DATABASE_URL=postgres://… to measure PostgreSQL too)');
    }
  } finally {
    await hello.close();
  }
}
