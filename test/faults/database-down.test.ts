// PostgreSQL unreachable during requests: a TCP proxy in front of the shared server is cut (the server itself is
// never stopped). Requests answer 503 problem+json with Retry-After, /readyz says the database is down, a publish
// cut mid-transaction leaves no version, and everything recovers when the proxy forwards again, without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../server/src/app.js';
import { testConfig } from '../../server/src/config.js';
import { openRuntime, closeRuntime } from '../../server/src/runtime.js';
import { openDatabase } from '../../server/src/db/client.js';
import { createDesign, isProblem, publish, registerUser, type TestUser } from '../helpers/app.js';
import { freshPostgresDatabase, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const enabled = !!process.env.TEST_DATABASE_URL;
if (!enabled) console.warn('database-down fault test skipped: set TEST_DATABASE_URL to a PostgreSQL server to run it');

describe.skipIf(!enabled)('PostgreSQL unreachable', () => {
  let proxy: TcpProxy;
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let deps: AppDeps;
  let app: FastifyInstance;
  let dataDir: string;
  let user: TestUser;

  beforeAll(async () => {
    database = await freshPostgresDatabase();
    proxy = await startTcpProxy(database.url.hostname, Number(database.url.port || 5432));
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    dataDir = mkdtempSync(join(tmpdir(), 'andecha-dbdown-'));
    const config = testConfig({ dataDir, databaseUrl: proxied.toString() });
    deps = await openRuntime(config, await openDatabase({ url: proxied.toString() }), { pollMs: 100 });
    deps.startup.done = true;
    app = await buildApp(deps);
    await app.ready();
    user = await registerUser(app);
    await createDesign(app, user, 'press');
  }, 60_000);

  afterAll(async () => {
    proxy?.restore();
    await app?.close();
    if (deps) await closeRuntime(deps);
    await proxy?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const versions = async () =>
    (await deps.db.raw(`select version from design_versions order by version`)).rows.map((r) => r.version);

  it('answers 503 with Retry-After while cut, reports it on /readyz, and recovers without a restart', async () => {
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    proxy.cut();
    for (const req of [
      { url: `/api/designs/${user.handle}/press` },
      { url: '/api/designs' },
      { url: '/api/me', headers: user.auth },
      { method: 'POST' as const, url: '/api/designs', headers: user.auth, payload: { slug: 'other', title: 'Other' } },
    ]) {
      const r = await app.inject(req);
      expect(r.statusCode, `${req.url}: ${r.body}`).toBe(503);
      expect(isProblem(r)).toBe(true);
      expect(r.headers['retry-after']).toBe('5');
      expect(r.json().detail).toBe('The database is unreachable');
    }
    const p = await publish(app, user, user.handle, 'press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: '# cut' },
    ]);
    expect(p.statusCode).toBe(503);
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('2');
    expect(ready.json().checks.database).toMatch(/^down: /);
    expect(ready.json().checks.blobs).toBe('ok');

    proxy.restore();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/designs/${user.handle}/press` })).statusCode).toBe(200);
    expect(await versions()).toEqual([]);
    const again = await publish(app, user, user.handle, 'press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: '# back' },
    ]);
    expect(again.statusCode).toBe(201);
    expect(await versions()).toEqual(['1.0.0']);
  }, 30_000);

  it('leaves no half-written version when the connection drops inside the publish transaction', async () => {
    // a publish hook runs inside the transaction, after the version and file rows are written: cut there
    const cutInside = async (tx: any) => {
      proxy.cut();
      await tx.execute('select 1');
    };
    deps.hooks.onPublished.push(cutInside);
    try {
      const r = await publish(app, user, user.handle, 'press', { version: '2.0.0' }, [
        { path: 'a.txt', bytes: 'a' },
        { path: 'b.txt', bytes: 'b' },
      ]);
      expect(r.statusCode, r.body).toBe(503);
      expect(isProblem(r)).toBe(true);
    } finally {
      deps.hooks.onPublished.splice(deps.hooks.onPublished.indexOf(cutInside), 1);
      proxy.restore();
    }
    expect(await versions()).toEqual(['1.0.0']);
    const { rows } = await deps.db.raw(
      `select count(*)::int as n from files f join design_versions v on v.id = f.version_id where v.version = '2.0.0'`,
    );
    expect(rows[0].n).toBe(0);
    const { rows: jobs } = await deps.db.raw(
      `select count(*)::int as n from jobs j where j.kind = 'ingest-version' and not exists (select 1 from design_versions v where v.id::text = j.subject)`,
    );
    expect(jobs[0].n).toBe(0);
    expect(
      (await publish(app, user, user.handle, 'press', { version: '2.0.0' }, [{ path: 'a.txt', bytes: 'a' }]))
        .statusCode,
    ).toBe(201);
  }, 30_000);
});
