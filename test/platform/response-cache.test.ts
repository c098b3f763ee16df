// The response cache for anonymous reads, and the event bus across processes (PostgreSQL's LISTEN/NOTIFY):
// a change anywhere — this process's routes, a pipeline job, another API process, a separate worker — is seen
// at once, never after the cache's lifetime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { buildApp } from '../../server/src/app.js';
import { openRuntime, closeRuntime } from '../../server/src/runtime.js';
import { openDatabase } from '../../server/src/db/client.js';
import { testConfig } from '../../server/src/config.js';
import type { PipelineEvent } from '../../server/src/events.js';
import { ResponseCache } from '../../server/src/cache/response-cache.js';

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() - t0 > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ResponseCache', () => {
  it('drops everything on a change, and refuses an answer computed across one', () => {
    const c = new ResponseCache(60_000);
    const g = c.generation;
    c.set('/a', '{"a":1}', 'application/json', g);
    expect(c.get('/a')?.body).toBe('{"a":1}');
    const started = c.generation;
    c.clear();
    expect(c.get('/a')).toBeUndefined();
    c.set('/b', '{"b":1}', 'application/json', started);
    expect(c.get('/b')).toBeUndefined();
  });

  it("a change naming a design drops that design's entries and the shared ones, and keeps the others'", () => {
    const c = new ResponseCache(60_000);
    c.set('/api/designs/ana/press', 'A', 'application/json', c.generation, 'ana/press');
    c.set('/api/designs/ana/press/versions', 'A2', 'application/json', c.generation, 'ana/press');
    c.set('/api/designs/ana/mill', 'B', 'application/json', c.generation, 'ana/mill');
    c.set('/api/designs', 'list', 'application/json', c.generation);
    c.changed(['ana/press']);
    expect(c.get('/api/designs/ana/press')).toBeUndefined();
    expect(c.get('/api/designs/ana/press/versions')).toBeUndefined();
    expect(c.get('/api/designs')).toBeUndefined();
    expect(c.get('/api/designs/ana/mill')?.body).toBe('B');
    expect(c.size).toBe(1);
    c.changed(undefined);
    expect(c.get('/api/designs/ana/mill')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it("refuses an answer computed across a change that may touch it, not across another design's", () => {
    const c = new ResponseCache(60_000);
    const started = c.generation;
    c.changed(['ana/press']);
    c.set('/api/designs/ana/press', 'A', 'application/json', started, 'ana/press');
    c.set('/api/designs/ana/mill', 'B', 'application/json', started, 'ana/mill');
    c.set('/api/designs', 'list', 'application/json', started);
    expect(c.get('/api/designs/ana/press')).toBeUndefined();
    expect(c.get('/api/designs/ana/mill')?.body).toBe('B');
    expect(c.get('/api/designs')).toBeUndefined();
    const again = c.generation;
    c.changed(undefined);
    c.set('/api/designs/ana/bench', 'C', 'application/json', again, 'ana/bench');
    expect(c.get('/api/designs/ana/bench')).toBeUndefined();
  });

  it('expires entries after its lifetime', async () => {
    const c = new ResponseCache(20);
    c.set('/a', '{}', 'application/json', c.generation);
    await new Promise((r) => setTimeout(r, 40));
    expect(c.get('/a')).toBeUndefined();
    expect(c.size).toBe(0);
  });
});

describe.each(databaseKinds)('response cache on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
  });
  afterAll(async () => {
    await t.close();
  });
  // a job of an earlier publish settling is a change (named or not) that rightly drops entries: wait them out
  const pipelineIdle = () =>
    until(
      async () =>
        (await t.deps.db.raw(`select count(*)::int as n from jobs where state in ('queued', 'running')`)).rows[0].n,
      (n) => n === 0,
      30_000,
    );

  it('answers an anonymous read from memory until a write changes it', async () => {
    const first = await t.app.inject({ url: '/api/designs/ana/press' });
    expect(first.headers['x-cache']).toBe('miss');
    const second = await t.app.inject({ url: '/api/designs/ana/press' });
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.headers['content-security-policy']).toBeTruthy();
    expect(second.body).toBe(first.body);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/designs/ana/press',
      headers: ana.auth,
      payload: { title: 'Brick press' },
    });
    expect(patched.statusCode).toBe(200);
    const after = await t.app.inject({ url: '/api/designs/ana/press' });
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.json().title).toBe('Brick press');
    const list = await t.app.inject({ url: '/api/designs?q=brick' });
    expect(list.json().items.map((d: any) => d.slug)).toEqual(['press']);
  });

  it('never caches what a signed-in caller reads, nor a refused write', async () => {
    const mine = await t.app.inject({ url: '/api/designs/ana/press', headers: ana.auth });
    expect(mine.headers['x-cache']).toBeUndefined();
    await t.app.inject({ url: '/api/designs/ana/press' });
    const refused = await t.app.inject({ method: 'PATCH', url: '/api/designs/ana/press', payload: { title: 'x' } });
    expect(refused.statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/designs/ana/press' })).headers['x-cache']).toBe('hit');
  });

  it('a pipeline job finishing shows in the version document at once', async () => {
    expect(
      (await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'cube.stl', bytes: cubeStl(10) }]))
        .statusCode,
    ).toBe(201);
    // read (and cache) while it is still queued or running; then the job's outcome must replace it
    await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.0' });
    const v = await until(
      async () => (await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.0' })).json(),
      (d) => d.pipeline?.state === 'done',
      30_000,
    );
    expect(v.files[0].facts).toMatchObject({ triangles: 12 });
  });

  it("a write to one design keeps another design's cached documents and drops its own and the lists", async () => {
    await pipelineIdle();
    await createDesign(t.app, ana, 'mill');
    for (const url of ['/api/designs/ana/mill', '/api/designs/ana/press', '/api/designs?limit=5']) {
      await t.app.inject({ url });
      expect((await t.app.inject({ url })).headers['x-cache']).toBe('hit');
    }
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/designs/ana/press',
      headers: ana.auth,
      payload: { summary: 'Presses bricks' },
    });
    expect(patched.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/designs/ana/mill' })).headers['x-cache']).toBe('hit');
    const press = await t.app.inject({ url: '/api/designs/ana/press' });
    expect(press.headers['x-cache']).toBe('miss');
    expect(press.json().summary).toBe('Presses bricks');
    const list = await t.app.inject({ url: '/api/designs?limit=5' });
    expect(list.headers['x-cache']).toBe('miss');
    expect(list.json().items.find((d: any) => d.slug === 'press').summary).toBe('Presses bricks');
  });

  it('a write that does not name its designs drops everything', async () => {
    await pipelineIdle();
    await t.app.inject({ url: '/api/designs/ana/mill' });
    expect((await t.app.inject({ url: '/api/designs/ana/mill' })).headers['x-cache']).toBe('hit');
    await registerUser(t.app, 'cal');
    expect((await t.app.inject({ url: '/api/designs/ana/mill' })).headers['x-cache']).toBe('miss');
  });

  it("a fork's documents go when its upstream changes: they show the upstream's latest version", async () => {
    await pipelineIdle();
    const bob = await registerUser(t.app, 'bob');
    const fork = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/forks',
      headers: bob.auth,
      payload: { version: '1.0.0', slug: 'press-fork' },
    });
    expect(fork.statusCode).toBe(201);
    await pipelineIdle(); // the fork's own jobs
    await t.app.inject({ url: '/api/designs/bob/press-fork' });
    const before = await t.app.inject({ url: '/api/designs/bob/press-fork' });
    expect(before.headers['x-cache']).toBe('hit');
    expect(before.json().upstream.newer).toBe(false);
    expect((await publish(t.app, ana, 'ana', 'press', { version: '1.1.0' }, [])).statusCode).toBe(201);
    const after = await t.app.inject({ url: '/api/designs/bob/press-fork' });
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.json().upstream).toMatchObject({ newer: true, latest: 'ana/press@1.1.0' });
  });

  it('a design read costs one statement', async () => {
    await pipelineIdle();
    const uncached = await buildApp({ ...t.deps, config: { ...t.deps.config, responseCacheMs: 0 } });
    // the driver under drizzle and under raw SQL alike: PGlite's client or node-postgres's pool
    const driver = (t.deps.db.db as unknown as { session: { client: Record<string, unknown> } }).session.client;
    const statements: string[] = [];
    const own = {
      query: Object.getOwnPropertyDescriptor(driver, 'query'),
      exec: Object.getOwnPropertyDescriptor(driver, 'exec'),
    };
    try {
      await uncached.inject({ url: '/api/designs/ana/mill' }); // prepares it
      for (const method of ['query', 'exec']) {
        const original = driver[method];
        if (typeof original !== 'function') continue;
        driver[method] = (...args: unknown[]) => {
          const text = args[0] as string | { text: string };
          statements.push(typeof text === 'string' ? text : text.text);
          return original.apply(driver, args);
        };
      }
      const res = await uncached.inject({ url: '/api/designs/ana/mill' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ owner: 'ana', slug: 'mill', maintainers: [], latestVersion: null });
      // the worker's queue polls share the driver: they are not the read's
      const reads = statements.filter((text) => !/\bjobs\b/.test(text));
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatch(/andecha_read_design|row_to_json/);
    } finally {
      for (const method of ['query', 'exec'] as const) {
        delete driver[method];
        if (own[method]) Object.defineProperty(driver, method, own[method]);
      }
      await uncached.close();
    }
  });

  it('is off with ANDECHA_RESPONSE_CACHE_MS=0', async () => {
    const off = await createTestApp(kind, { responseCacheMs: 0 });
    try {
      await off.app.inject({ url: '/api/designs' });
      expect((await off.app.inject({ url: '/api/designs' })).headers['x-cache']).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});

describe.runIf(databaseKinds.includes('postgres'))('two processes on one PostgreSQL', () => {
  // A: an API process without a worker; B: a separate worker process (with an API of its own to write through)
  let a: TestApp;
  let b: Awaited<ReturnType<typeof openRuntime>>;
  let bApp: Awaited<ReturnType<typeof buildApp>>;
  let ana: TestUser;
  beforeAll(async () => {
    a = await createTestApp('postgres', { runWorker: false });
    b = await openRuntime(
      testConfig({ runWorker: true, workerThreads: 1, dataDir: a.deps.config.dataDir }),
      await openDatabase({ url: a.deps.db.url! }),
      // B only polls the queue once a minute: a job it runs within seconds was announced to it
      { pollMs: 60_000 },
    );
    b.startup.done = true;
    bApp = await buildApp(b);
    ana = await registerUser(a.app, 'ana');
    await createDesign(a.app, ana, 'press');
  });
  afterAll(async () => {
    await bApp?.close();
    if (b) await closeRuntime(b);
    await a?.close();
  });

  it("another process's write drops this process's cached answer", async () => {
    await a.app.inject({ url: '/api/designs/ana/press' });
    expect((await a.app.inject({ url: '/api/designs/ana/press' })).headers['x-cache']).toBe('hit');
    const patched = await bApp.inject({
      method: 'PATCH',
      url: '/api/designs/ana/press',
      headers: ana.auth,
      payload: { title: 'Changed elsewhere' },
    });
    expect(patched.statusCode).toBe(200);
    const seen = await until(
      async () => (await a.app.inject({ url: '/api/designs/ana/press' })).json(),
      (d) => d.title === 'Changed elsewhere',
      3_000,
    );
    expect(seen.title).toBe('Changed elsewhere');
  });

  it("another process's write to one design keeps this process's cached documents of another", async () => {
    await createDesign(a.app, ana, 'lathe');
    await a.app.inject({ url: '/api/designs/ana/lathe' });
    expect((await a.app.inject({ url: '/api/designs/ana/lathe' })).headers['x-cache']).toBe('hit');
    await a.app.inject({ url: '/api/designs/ana/press' });
    const patched = await bApp.inject({
      method: 'PATCH',
      url: '/api/designs/ana/press',
      headers: ana.auth,
      payload: { title: 'Changed elsewhere again' },
    });
    expect(patched.statusCode).toBe(200);
    const seen = await until(
      async () => (await a.app.inject({ url: '/api/designs/ana/press' })).json(),
      (d) => d.title === 'Changed elsewhere again',
      3_000,
    );
    expect(seen.title).toBe('Changed elsewhere again');
    expect((await a.app.inject({ url: '/api/designs/ana/lathe' })).headers['x-cache']).toBe('hit');
  });

  it("the bus carries a change's names to the other processes, and a change without names as one", async () => {
    const heard: (readonly string[] | undefined)[] = [];
    const unsubscribe = a.deps.events.onChanged((designs) => heard.push(designs));
    try {
      b.events.changed(['ana/lathe']);
      b.events.changed();
      // (other changes of the two processes may arrive between them)
      await until(
        async () => heard,
        (h) => h.some((d) => d?.length === 1 && d[0] === 'ana/lathe') && h.includes(undefined),
        3_000,
      );
      expect(heard).toContainEqual(['ana/lathe']);
      expect(heard).toContain(undefined);
    } finally {
      unsubscribe();
    }
  });

  it('a separate worker wakes at once for a publish, and its progress reaches the API process', async () => {
    const events: PipelineEvent[] = [];
    const unsubscribe = a.deps.events.subscribe((e) => events.push(e));
    expect(
      (await publish(a.app, ana, 'ana', 'press', { version: '2.0.0' }, [{ path: 'cube.stl', bytes: cubeStl(10) }]))
        .statusCode,
    ).toBe(201);
    const v = await until(
      async () => (await a.app.inject({ url: '/api/designs/ana/press/versions/2.0.0' })).json(),
      (d) => d.pipeline?.state === 'done',
      15_000,
    );
    unsubscribe();
    expect(v.pipeline.state).toBe('done');
    expect(
      events.some((e) => e.type === 'file' && e.path === 'cube.stl' && e.state === 'done' && e.design === 'ana/press'),
    ).toBe(true);
  });
});
