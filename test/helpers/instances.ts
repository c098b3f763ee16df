// Real Andecha instances as separate processes on 127.0.0.1 ports, each with its own data folder and its own
// database (PGlite; or a fresh PostgreSQL database when TEST_DATABASE_URL is set and `postgres` is asked for),
// federation on and private addresses allowed (everything here is loopback). For the network's tests; and pipeline
// workers alone (`npm run worker`) for the multi-process ones.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { publishForm, type UploadFile } from './app.js';

const root = new URL('../..', import.meta.url).pathname;

export interface Instance {
  /** http://127.0.0.1:PORT — also its ANDECHA_PUBLIC_URL */
  url: string;
  /** the instance's name as handles carry it: 127.0.0.1:PORT */
  host: string;
  port: number;
  dataDir: string;
  /** everything the process printed since it was (re)started */
  output(): string;
  /** stops the process (SIGTERM, then SIGKILL after 10 s); the data folder stays for a restart */
  stop(): Promise<void>;
  /** kill -9: a crash, nothing of the shutdown runs; the data folder stays for a restart */
  kill(): Promise<void>;
  /** starts it again on the same port, data folder and database */
  restart(): Promise<void>;
  /** stops it and deletes its data folder */
  dispose(): Promise<void>;
}

export interface InstanceOptions {
  /** more environment (ANDECHA_SAMPLES=1, limits, …) */
  env?: Record<string, string>;
  /** a PostgreSQL URL for this instance's database instead of PGlite */
  databaseUrl?: string;
  /** how long to wait for /readyz */
  readyTimeoutMs?: number;
}

/** Starts one instance and waits until it answers /readyz. */
export async function startInstance(options: InstanceOptions = {}): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-instance-'));
  // a PGlite instance starts from the test run's migrated template (a tarball of PGlite's data folder) when there is
  // one: reopening takes under a second where a first migration takes 6 s or more of CPU, three times over
  const template = process.env.ANDECHA_TEST_PGLITE_TEMPLATE;
  if (template && !options.databaseUrl) {
    mkdirSync(join(dataDir, 'pglite'));
    execFileSync('tar', ['-xf', template, '-C', join(dataDir, 'pglite')], { stdio: 'ignore' });
  }
  const url = `http://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  let out = '';
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    out = '';
    proc = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        ANDECHA_DATA_DIR: dataDir,
        ANDECHA_PUBLIC_URL: url,
        ANDECHA_FEDERATION: '1',
        ANDECHA_FEDERATION_ALLOW_PRIVATE: '1',
        ANDECHA_SAMPLES: '0',
        ANDECHA_AUTH_RATE_LIMIT: '0',
        ANDECHA_WORKER_THREADS: '1',
        // cold threads: several instances start at once on 2 cores (the warm-up has tests of its own)
        ANDECHA_WORKER_WARM_UP: '0',
        ANDECHA_RENDER_HELPERS: '0',
        LOG_LEVEL: 'warn',
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : { DATABASE_URL: '' }),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const p = proc;
    exited = new Promise((r) => p.on('exit', () => r()));
    const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
    for (;;) {
      if (p.exitCode !== null) throw new Error(`instance on ${port} exited (${p.exitCode}):\n${out}`);
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) {
        // nobody holds an instance that never became ready: it goes now, not with the test run
        await stop();
        rmSync(dataDir, { recursive: true, force: true });
        throw new Error(`instance on ${port} not ready in ${options.readyTimeoutMs ?? 60_000} ms:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const stop = () => (proc ? stopProcess(proc, exited) : Promise.resolve());

  await start();
  return {
    url,
    host: `127.0.0.1:${port}`,
    port,
    dataDir,
    output: () => out,
    stop,
    kill: () => (proc ? killProcess(proc, exited) : Promise.resolve()),
    restart: start,
    dispose: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process exited. */
async function stopProcess(p: ChildProcess, exited: Promise<void>): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function killProcess(p: ChildProcess, exited: Promise<void>): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGKILL');
  await exited;
}

export interface WorkerProcess {
  pid: number;
  /** everything the process printed */
  output(): string;
  /** SIGTERM (jobs still running after 6 s go back to the queue), then SIGKILL after 10 s */
  stop(): Promise<void>;
  /** kill -9: a crash; its jobs come back only when their lease passes */
  kill(): Promise<void>;
  /** stops it and deletes its data folder */
  dispose(): Promise<void>;
}

/**
 * Starts a pipeline worker alone, as `npm run worker` does (server/src/worker-main.ts), on the given PostgreSQL
 * database (or PGlite in a folder of its own), and waits until it says it runs.
 */
export async function startWorkerProcess(
  options: { databaseUrl?: string; env?: Record<string, string>; readyTimeoutMs?: number } = {},
): Promise<WorkerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-worker-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/src/worker-main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      ANDECHA_DATA_DIR: dataDir,
      ANDECHA_WORKER_THREADS: '1',
      ANDECHA_WORKER_WARM_UP: '0',
      ANDECHA_RENDER_HELPERS: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: options.databaseUrl ?? '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const worker: WorkerProcess = {
    pid: proc.pid!,
    output: () => out,
    stop: () => stopProcess(proc, exited),
    kill: () => killProcess(proc, exited),
    dispose: async () => {
      await stopProcess(proc, exited);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (!out.includes('Andecha worker running')) {
    if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > deadline) {
      await worker.dispose();
      throw new Error(
        `worker ${proc.exitCode === null ? 'not running in time' : `exited (${proc.exitCode})`}:\n${out}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return worker;
}

/** Starts several instances at once; when one fails, the others are disposed of before the error is thrown. */
export async function startInstances(...options: InstanceOptions[]): Promise<Instance[]> {
  const started = await Promise.allSettled(options.map((o) => startInstance(o)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return started.map((s) => (s as PromiseFulfilledResult<Instance>).value);
  await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.dispose() : undefined)));
  throw failed.reason;
}

/** Registers an account on an instance and returns its bearer token. */
export async function registerOn(
  instance: Instance,
  handle: string,
  password = 'pw-' + Math.random().toString(36).slice(2, 14),
) {
  const res = await fetch(`${instance.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ handle, email: `${handle}@example.org`, password }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token)
    throw new Error(`register ${handle} on ${instance.host}: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * A PostgreSQL database of its own for one instance when TEST_DATABASE_URL is set (its `url`, dropped by `drop()`);
 * otherwise no url, and the instance runs on PGlite. It is a copy of the run's migrated template (test/global-setup.ts),
 * as a PGlite instance starts from its tarball: migrating an empty database takes seconds per instance. `empty`
 * gives an empty one instead, for a test of the migrations the instances apply themselves.
 */
export async function instanceDatabase(
  options: { empty?: boolean } = {},
): Promise<{ url?: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { drop: async () => {} };
  const name = `andecha_h_instance_${randomBytes(4).toString('hex')}`;
  const template = options.empty ? undefined : process.env.ANDECHA_TEST_PG_TEMPLATE;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = '/' + name;
  return {
    url: u.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** One JSON API request to an instance as the token's holder (anonymous with an empty token): status and body. */
export async function apiOn(
  instance: Instance,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${instance.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

/** Publishes a version on an instance (a multipart publish, as the web and the CLI send it); throws unless 201. */
export async function publishVersionOn(
  instance: Instance,
  token: string,
  design: string,
  manifest: Record<string, unknown>,
  files: UploadFile[],
  bom?: { name: string; bytes: Uint8Array | string },
) {
  const res = await fetch(`${instance.url}/api/designs/${design}/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: publishForm(manifest, files, bom),
  });
  if (res.status !== 201) throw new Error(`publish ${design} ${manifest.version}: ${res.status} ${await res.text()}`);
}
