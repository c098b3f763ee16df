// Operations of real processes: a server (server/src/main.ts) with its metrics listener on ANDECHA_METRICS_PORT, GET
// /metrics behind ANDECHA_METRICS_TOKEN, and JSON log lines in which a publish's request id reappears on its job's
// line; a worker alone (`npm run worker`) with its metrics on its own port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { publishForm } from '../helpers/app.js';
import { registerOn, startInstance, startWorkerProcess, type Instance } from '../helpers/instances.js';

const token = 'scrape-' + 'y'.repeat(24);

describe('a server process', () => {
  let instance: Instance;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    instance = await startInstance({
      env: { ANDECHA_METRICS_PORT: String(metricsPort), ANDECHA_METRICS_TOKEN: token, LOG_LEVEL: 'info' },
    });
  }, 90_000);
  afterAll(async () => {
    await instance?.dispose();
  });

  it('answers /metrics on its metrics port without a token, and on its API port with the token only', async () => {
    const open = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain('andecha_queue_depth ');
    expect((await fetch(`${instance.url}/metrics`)).status).toBe(404);
    const withToken = await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('andecha_http_request_duration_seconds_count{route="/metrics"');
  });

  it('logs JSON lines: the publish request and its job under one request id', async () => {
    const auth = { authorization: `Bearer ${await registerOn(instance, 'ops')}` };
    const created = await fetch(`${instance.url}/api/designs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'press', title: 'Press' }),
    });
    expect(created.status).toBe(201);
    const published = await fetch(`${instance.url}/api/designs/ops/press/versions`, {
      method: 'POST',
      headers: auth,
      body: publishForm({ version: '1.0.0' }, [{ path: 'README.md', bytes: '# Press' }]),
    });
    expect(published.status).toBe(201);
    const requestId = published.headers.get('x-request-id')!;
    const linesOf = () =>
      instance
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .filter((l) => l.reqId === requestId);
    // the job's line may come before Fastify's "request completed" (written once the reply is flushed): wait for both
    const both = () =>
      linesOf().some((l) => l.kind === 'ingest-version') && linesOf().some((l) => l.msg === 'request completed');
    for (let i = 0; i < 300 && !both(); i++) await new Promise((r) => setTimeout(r, 50));
    const lines = linesOf();
    // Fastify's own request lines, and the worker's line for the version's job
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'incoming request', req: expect.objectContaining({ method: 'POST' }) }),
        expect.objectContaining({ msg: 'request completed', res: { statusCode: 201 } }),
        expect.objectContaining({ msg: 'job done', kind: 'ingest-version', outcome: 'done' }),
      ]),
    );
  }, 60_000);
});

describe('a worker process', () => {
  it('exposes its own metrics on ANDECHA_METRICS_PORT', async () => {
    const port = await freePort();
    // PGlite in its own folder: the worker warns that it needs the shared PostgreSQL, and runs
    const worker = await startWorkerProcess({ env: { ANDECHA_METRICS_PORT: String(port) } });
    try {
      let body = '';
      for (let i = 0; i < 600 && !body; i++) {
        body = await fetch(`http://127.0.0.1:${port}/metrics`).then(
          (r) => (r.ok ? r.text() : ''),
          () => '',
        );
        if (!body) await new Promise((r) => setTimeout(r, 100));
      }
      expect(body, worker.output()).toContain('# TYPE andecha_jobs_total counter');
      expect(body).toContain('andecha_queue_depth 0');
      expect(body).toContain('andecha_process_resident_memory_bytes');
      expect(worker.output()).toContain(`metrics at http://127.0.0.1:${port}/metrics`);
    } finally {
      await worker.dispose();
    }
  }, 90_000);
});
