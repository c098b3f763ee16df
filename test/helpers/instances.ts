// Real Andecha instances as separate processes on 127.0.0.1 ports, each with its own data folder and its own
// database (PGlite; or a fresh PostgreSQL database when TEST_DATABASE_URL is set and `postgres` is asked for),
// federation on and private addresses allowed (everything here is loopback). For the network's tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

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
        // not left running behind the failed test
        p.kill('SIGKILL');
        throw new Error(`instance on ${port} not ready in time:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const stop = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    url,
    host: `127.0.0.1:${port}`,
    port,
    dataDir,
    output: () => out,
    stop,
    restart: start,
    dispose: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
