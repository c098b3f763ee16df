// Process faults against PostgreSQL: SIGTERM to `npm start` during a slow upload and a running job (in-flight
// work finishes or goes back to the queue, no rows from the cut upload, exit within 10 s), and `npm run worker`
// killed with SIGKILL mid-render (the job runs again after its lease on another worker; one derivative stored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import pg from 'pg';
import { buildApp, type AppDeps } from '../../server/src/app.js';
import { testConfig } from '../../server/src/config.js';
import { openRuntime, closeRuntime } from '../../server/src/runtime.js';
import { openDatabase } from '../../server/src/db/client.js';
import { createDesign, publish, registerUser } from '../helpers/app.js';
import { freshPostgresDatabase } from '../helpers/tcp-proxy.js';
import { freePort } from '../helpers/free-port.js';

const enabled = !!process.env.TEST_DATABASE_URL;
if (!enabled) console.warn('process fault tests skipped: set TEST_DATABASE_URL to a PostgreSQL server to run them');

const root = new URL('../..', import.meta.url).pathname;

/** A binary STL of n small random triangles: slow enough to read and render that a test can catch it running. */
export function randomStl(n: number, seed = 1): Buffer {
  const buf = Buffer.alloc(84 + 50 * n);
  buf.writeUInt32LE(n, 80);
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 100;
  for (let i = 0; i < n; i++) {
    const o = 84 + 50 * i;
    const x = rnd(),
      y = rnd(),
      z = rnd();
    const v = [x, y, z, x + 1, y, z, x, y + 1, z + 0.5];
    for (let k = 0; k < 9; k++) buf.writeFloatLE(v[k]!, o + 12 + 4 * k);
  }
  return buf;
}

interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs an npm script in its own process group (so a kill reaches tsx and node under npm). */
function runScript(script: string, env: Record<string, string>): Child {
  let out = '';
  const proc = spawn('npm', ['run', '--silent', script], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => {
    out += d;
  });
  proc.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, output: () => out, exited };
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  stepMs = 50,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

const killGroup = (c: Child | undefined, signal: NodeJS.Signals) => {
  try {
    if (c?.proc.pid) process.kill(-c.proc.pid, signal);
  } catch {
    /* gone */
  }
};
/** every process of the group (npm, tsx, node) has exited */
const groupGone = (c: Child) => {
  try {
    process.kill(-c.proc.pid!, 0);
    return false;
  } catch {
    return true;
  }
};

describe.skipIf(!enabled)('process faults', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let client: pg.Client;
  let dataDir: string;
  const children: Child[] = [];
  const q = async (text: string, values: unknown[] = []) => (await client.query(text, values)).rows;

  beforeAll(async () => {
    database = await freshPostgresDatabase();
    client = new pg.Client({ connectionString: database.url.toString() });
    await client.connect();
    dataDir = mkdtempSync(join(tmpdir(), 'andecha-proc-'));
  }, 30_000);
  afterAll(async () => {
    for (const c of children) killGroup(c, 'SIGKILL');
    await client?.end();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM: in-flight requests finish or fail cleanly, running jobs go back to the queue, exit within 10 s', async () => {
    const port = await freePort();
    const server = runScript('start', {
      DATABASE_URL: database.url.toString(),
      ANDECHA_DATA_DIR: dataDir,
      ANDECHA_SAMPLES: '0',
      PORT: String(port),
      ANDECHA_WORKER_THREADS: '1',
      ANDECHA_JOB_LEASE_MS: '600000',
    });
    children.push(server);
    await until('the server to be ready', () => /ready in/.test(server.output()), 30_000, 100);
    const base = `http://127.0.0.1:${port}`;
    const post = async (path: string, body: unknown, token?: string) => {
      const r = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: r.status, json: (await r.json()) as any };
    };
    const reg = await post('/api/auth/register', {
      handle: 'ana',
      email: 'ana@example.org',
      password: 'correct horse battery',
    });
    expect(reg.status).toBe(201);
    const token = reg.json.token as string;
    expect((await post('/api/designs', { slug: 'press', title: 'Press' }, token)).status).toBe(201);
    // a job that runs while we stop: a version with a large STL
    const fd = new FormData();
    fd.append('manifest', JSON.stringify({ version: '1.0.0' }));
    fd.append('files', new Blob([randomStl(200_000) as BlobPart]), 'big.stl');
    const pub = await fetch(`${base}/api/designs/ana/press/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: fd,
    });
    expect(pub.status).toBe(201);

    // a slow upload: a multipart body trickling in, far from done when SIGTERM arrives
    const boundary = 'slowboundary';
    const slow = http.request(`${base}/api/designs/ana/press/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    const slowResult = new Promise<string>((resolve) => {
      slow.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(`status ${res.statusCode}`));
      });
      slow.on('error', (e) => resolve(`error ${(e as any).code ?? e.message}`));
    });
    slow.write(
      `--${boundary}\r\ncontent-disposition: form-data; name="manifest"\r\n\r\n{"version":"9.0.0"}\r\n--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="slow.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`,
    );
    const trickle = setInterval(() => {
      if (!slow.destroyed) slow.write(Buffer.alloc(16_384, 7));
    }, 100);
    await until(
      'the ingest job to start',
      async () => (await q(`select 1 from jobs where state = 'running' or kind = 'process-file'`)).length > 0,
      10_000,
    );

    const t0 = Date.now();
    // as a container runtime or systemd does: SIGTERM to every process of the service (npm, tsx, node)
    killGroup(server, 'SIGTERM');
    await until('every process to exit', () => groupGone(server), 12_000);
    const took = Date.now() - t0;
    clearInterval(trickle);
    slow.destroy();
    expect(took, server.output()).toBeLessThan(10_000);
    expect(server.output()).toContain('SIGTERM: finishing in-flight requests and jobs');
    expect(server.output()).not.toMatch(/Uncaught|unhandled/i);
    expect(await slowResult).toMatch(/^error|^status [45]\d\d$/);
    // the cut upload wrote nothing; the finished publish is whole
    expect((await q(`select version from design_versions order by version`)).map((r) => r.version)).toEqual(['1.0.0']);
    expect((await q(`select path from files`)).map((r) => r.path)).toEqual(['big.stl']);
    // no job is left running under a lease of a process that is gone: each finished or went back to the queue
    expect(await q(`select kind, state from jobs where state = 'running'`)).toEqual([]);
  }, 30_000);

  it('a worker killed mid-render: the job runs again after its lease, one derivative is stored', async () => {
    const deps: AppDeps = await openRuntime(
      testConfig({ dataDir, databaseUrl: database.url.toString() }),
      await openDatabase({ url: database.url.toString() }),
    );
    deps.startup.done = true;
    const app = await buildApp(deps);
    await app.ready();
    let sha: string;
    try {
      const user = await registerUser(app);
      await createDesign(app, user, 'mill');
      // large enough that the job is still drawing when it is killed: 200 k triangles were sometimes done within 300 ms
      const stl = randomStl(1_000_000, 7);
      const r = await publish(app, user, user.handle, 'mill', { version: '1.0.0' }, [{ path: 'mill.stl', bytes: stl }]);
      expect(r.statusCode).toBe(201);
      sha = r.json().files[0].sha256;
    } finally {
      await app.close();
      await closeRuntime(deps);
    }
    const env = {
      DATABASE_URL: database.url.toString(),
      ANDECHA_DATA_DIR: dataDir,
      ANDECHA_WORKER_THREADS: '1',
      ANDECHA_JOB_LEASE_MS: '2000',
    };
    const first = runScript('worker', env);
    children.push(first);
    const job = await until(
      'process-file to run',
      async () =>
        (
          await q(
            `select id from jobs where kind = 'process-file' and subject in (select id::text from files where sha256 = $1) and state = 'running'`,
            [sha],
          )
        )[0],
      20_000,
    );
    await new Promise((r) => setTimeout(r, 100)); // inside the render
    killGroup(first, 'SIGKILL');
    await first.exited;
    const [killed] = await q(`select state, attempts from jobs where id = $1`, [job.id]);
    expect(killed).toEqual({ state: 'running', attempts: 1 });

    const second = runScript('worker', env);
    children.push(second);
    const done = await until(
      'the job to finish on the second worker',
      async () =>
        (await q(`select state, attempts, error from jobs where id = $1 and state in ('done', 'failed')`, [job.id]))[0],
      30_000,
      100,
    );
    killGroup(second, 'SIGTERM');
    await second.exited;
    expect(done).toEqual({ state: 'done', attempts: 2, error: null });
    const derivatives = await q(
      `select kind, variant, count(*)::int as n from derivatives where subject_key = $1 group by kind, variant order by kind, variant`,
      [sha],
    );
    expect(derivatives.length).toBeGreaterThan(0);
    for (const d of derivatives) expect(d.n, `${d.kind} ${d.variant}`).toBe(1);
    expect(derivatives.map((d) => d.kind)).toContain('preview-png');
  }, 60_000);
});
