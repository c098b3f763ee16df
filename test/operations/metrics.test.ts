// Operations: GET /metrics behind its bearer token (else the unknown-route 404), the metrics listener without
// one, the pipeline's job counters, the queue gauges, blob and HTTP metrics by route template, and a publish's
// request id in its jobs' JSON log lines. A real app on a real database with a real worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { freePort } from '../helpers/free-port.js';
import { buildApp } from '../../server/src/app.js';
import { startMetricsListener } from '../../server/src/metrics/listener.js';

const token = 'scrape-' + 'x'.repeat(24);

/** The sum of a metric's series whose labels include `labels` (Prometheus text format). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

/** Every value a label takes across a metric's series. */
const labelValues = (text: string, name: string, label: string) =>
  [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\b${label}="([^"]*)"`, 'gm'))].map((m) => m[1]);

describe.each(databaseKinds)('operations on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const logLines: string[] = [];
  const scrape = async () => {
    const r = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(200);
    return r.body;
  };
  const idle = async () => {
    for (let i = 0; i < 1500; i++) {
      const { rows } = await t.deps.db.raw(`select count(*)::int as n from jobs where state in ('queued', 'running')`);
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the pipeline did not finish');
  };

  beforeAll(async () => {
    const jobLog = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1, metricsToken: token }, { jobLog });
    ana = await registerUser(t.app);
    await createDesign(t.app, ana, 'press');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A reply as a client sees it, the requested path taken out of the problem's detail. */
  const seen = (r: { statusCode: number; headers: Record<string, unknown>; body: string }, path: string) => ({
    status: r.statusCode,
    type: r.headers['content-type'],
    body: r.body.replace(path, '…'),
  });

  it('answers /metrics to its bearer token alone; any other request gets the 404 of an unknown route', async () => {
    const ok = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.body).toContain('# TYPE andecha_http_request_duration_seconds histogram');
    const asks = [{}, { authorization: `Bearer ${token}x` }, { authorization: 'Bearer nope' }, ana.auth];
    for (const headers of asks) {
      const metrics = await t.app.inject({ url: '/metrics', headers });
      const unknown = await t.app.inject({ url: '/api/metricz', headers });
      expect(metrics.statusCode).toBe(404);
      expect(seen(metrics, '/metrics')).toEqual(seen(unknown, '/api/metricz'));
    }
  });

  it('is an unknown route, whatever the token, when no token is set', async () => {
    const app = await buildApp({ ...t.deps, config: { ...t.deps.config, metricsToken: undefined } });
    try {
      for (const headers of [{}, { authorization: `Bearer ${token}` }, { authorization: 'Bearer ' }]) {
        const metrics = await app.inject({ url: '/metrics', headers });
        const unknown = await app.inject({ url: '/api/metricz', headers });
        expect(metrics.statusCode).toBe(404);
        expect(seen(metrics, '/metrics')).toEqual(seen(unknown, '/api/metricz'));
      }
    } finally {
      await app.close();
    }
  });

  it('answers on the metrics port without a token, and nothing else there', async () => {
    const port = await freePort();
    const server = await startMetricsListener(t.deps.metrics, '127.0.0.1', port);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(r.status).toBe(200);
      const body = await r.text();
      expect(sample(body, 'andecha_queue_depth')).toBeGreaterThanOrEqual(0);
      // process metrics, prefixed like ours
      expect(sample(body, 'andecha_process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(body).toContain('andecha_nodejs_eventloop_lag_seconds');
      expect(sample(body, 'andecha_data_disk_free_bytes')).toBeGreaterThan(0);
      expect(sample(body, 'andecha_data_disk_size_bytes')).toBeGreaterThanOrEqual(
        sample(body, 'andecha_data_disk_free_bytes'),
      );
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('counts a publish through the worker by job kind and outcome, and logs its jobs under its request id', async () => {
    await idle();
    const before = await scrape();
    const r = await publish(t.app, ana, ana.handle, 'press', { version: '1.0.0' }, [
      { path: 'cube.stl', bytes: cubeStl(10) },
      { path: 'broken.stl', bytes: Buffer.concat([Buffer.alloc(80), Buffer.from([10, 0, 0, 0])]) },
      { path: 'README.md', bytes: '# Press' },
    ]);
    expect(r.statusCode).toBe(201);
    const requestId = String(r.headers['x-request-id']);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await idle();
    await t.app.inject({ url: `/api/designs/${ana.handle}/press/nothing-here` });
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(moved('andecha_jobs_total', { kind: 'ingest-version', outcome: 'done' })).toBe(1);
    expect(moved('andecha_jobs_total', { kind: 'process-file', outcome: 'done' })).toBe(1);
    // a file the reader refuses fails at once (no retry can help)
    expect(moved('andecha_jobs_total', { kind: 'process-file', outcome: 'failed' })).toBe(1);
    expect(moved('andecha_job_duration_seconds_count', { kind: 'process-file' })).toBe(2);
    expect(moved('andecha_job_duration_seconds_sum', { kind: 'process-file' })).toBeGreaterThan(0);
    expect(moved('andecha_blob_operations_total', { operation: 'put' })).toBeGreaterThanOrEqual(3);
    expect(sample(after, 'andecha_queue_depth')).toBe(0);

    // HTTP by route template: the publish under its pattern, never under the handle it was sent to
    expect(
      moved('andecha_http_request_duration_seconds_count', {
        route: '/api/designs/:owner/:slug/versions',
        method: 'POST',
        status: '201',
      }),
    ).toBe(1);
    const routes = labelValues(after, 'andecha_http_request_duration_seconds_count', 'route');
    expect(routes).toContain('unmatched');
    expect(routes.filter((route) => route.includes(ana.handle))).toEqual([]);

    // the job log: one JSON line per job run, the publish's request id on the version's job and those it fanned out
    const lines = logLines.map((l) => JSON.parse(l)).filter((l) => l.reqId === requestId);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'job done', kind: 'ingest-version', outcome: 'done' }),
        expect.objectContaining({ msg: 'job done', kind: 'process-file', outcome: 'done' }),
        expect.objectContaining({ msg: 'job failed', kind: 'process-file', outcome: 'failed' }),
      ]),
    );
  }, 120_000);

  it('reports the queue from the job table: waiting jobs and the oldest one’s age', async () => {
    // a kind no worker handles stays queued; due 90 s ago
    await t.deps.db.raw(
      `insert into jobs (kind, subject, run_at, created_at) values ('unclaimed', 'x', now() - interval '90 seconds', now())`,
    );
    await t.deps.db.raw(
      `insert into jobs (kind, subject, run_at) values ('unclaimed', 'y', now() + interval '1 hour')`,
    );
    try {
      const body = await scrape();
      expect(sample(body, 'andecha_queue_depth')).toBe(2);
      expect(sample(body, 'andecha_queue_oldest_age_seconds')).toBeGreaterThanOrEqual(90);
      expect(sample(body, 'andecha_queue_oldest_age_seconds')).toBeLessThan(300);
    } finally {
      await t.deps.db.raw(`delete from jobs where kind = 'unclaimed'`);
    }
    expect(sample(await scrape(), 'andecha_queue_oldest_age_seconds')).toBe(0);
  });

  it('counts blob store errors by operation, and the pool where there is one', async () => {
    const before = sample(await scrape(), 'andecha_blob_errors_total', { operation: 'getBuffer' });
    await expect(t.deps.blobs.getBuffer('0'.repeat(64))).rejects.toThrow();
    const body = await scrape();
    expect(sample(body, 'andecha_blob_errors_total', { operation: 'getBuffer' })).toBe(before + 1);
    if (kind === 'postgres') {
      expect(body).toContain('andecha_db_pool_in_use_connections');
      expect(body).toContain('andecha_db_pool_waiting_requests');
    } else {
      // PGlite: one embedded connection, no pool to report
      expect(body).not.toContain('andecha_db_pool_');
    }
  });
});
