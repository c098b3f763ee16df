// Build packets cannot be used to flood the queue: requests without a token are rate-limited per address (429 with
// Retry-After), a version gets a small number of packets with new options per hour from them, lengths are canonical
// and bounded, their jobs run after everyone's uploads, and packets not asked for again are forgotten by gc.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { collectGarbage } from '../../server/src/admin/gc.js';

const bom = 'Part Number,Description,Qty,Unit,Material,Notes\nT-1,Leg tube 40x40x3,2,m,S235 square tube,4 x 500 mm\n';

describe.each(databaseKinds)('build packet limits on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const base = '/api/designs/ana/press/versions/1.0.0';

  /** Packet jobs, or those for one stock length (mm). */
  async function packetJobs(stockMm?: number): Promise<{ priority: number; state: string }[]> {
    const { rows } = await t.deps.db.raw(
      `select priority, state from jobs where kind = 'packet-pdf'` +
        (stockMm === undefined ? '' : ` and (payload->'options'->>'stockMm')::numeric = $1`),
      stockMm === undefined ? [] : [stockMm],
    );
    return rows.map((r: any) => ({ priority: Number(r.priority), state: String(r.state) }));
  }
  async function fileState(version: string, path: string) {
    const doc = (await t.app.inject({ url: `/api/designs/ana/press/versions/${version}` })).json();
    return doc.files.find((f: any) => f.path === path).pipeline.state as string;
  }
  async function until(what: () => Promise<boolean>, ms = 60_000) {
    const t0 = Date.now();
    while (!(await what())) {
      if (Date.now() - t0 > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
    return Date.now() - t0;
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const r = await publish(
      t.app,
      ana,
      'ana',
      'press',
      { version: '1.0.0' },
      [{ path: 'frame.stl', bytes: cubeStl(40) }],
      {
        name: 'bom.csv',
        bytes: bom,
      },
    );
    expect(r.statusCode, r.body).toBe(201);
    await until(async () => (await fileState('1.0.0', 'frame.stl')) === 'done');
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  it('300 anonymous requests for 300 stock lengths make at most the hourly budget of jobs, and an upload is not held', async () => {
    const statuses = new Map<number, number>();
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) {
      const r = await t.app.inject({ url: `${base}/packet.pdf?stock=${6000 + i}mm` });
      statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      if (r.statusCode === 429) {
        expect(isProblem(r)).toBe(true);
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(r.json().detail).toMatch(/try again in \d+ s/);
      }
    }
    const requestsMs = performance.now() - t0;
    // 30 a minute pass the per-address limit; of those, 12 new options make jobs, the rest wait for the hour
    expect(Object.fromEntries(statuses)).toEqual({ 202: 12, 429: 288 });
    const jobs = await packetJobs();
    expect(jobs).toHaveLength(12);
    expect(new Set(jobs.map((j) => j.priority))).toEqual(new Set([20]));

    // a maker's upload meanwhile: its file runs before the strangers' packets
    const t1 = Date.now();
    const up = await publish(t.app, ana, 'ana', 'press', { version: '1.0.1' }, [
      { path: 'new.stl', bytes: cubeStl(9) },
    ]);
    expect(up.statusCode, up.body).toBe(201);
    await until(async () => (await fileState('1.0.1', 'new.stl')) === 'done');
    const uploadMs = Date.now() - t1;
    expect(uploadMs).toBeLessThan(15_000);

    await until(async () => (await packetJobs()).every((j) => j.state === 'done' || j.state === 'failed'), 120_000);
    const { rows } = await t.deps.db.raw(
      `select count(*)::int as n, coalesce(sum(b.size), 0)::bigint as bytes from derivatives d join blobs b on b.sha256 = d.sha256 where d.kind = 'packet-pdf'`,
    );
    console.log(
      `[packet queue, ${kind}] 300 anonymous requests in ${Math.round(requestsMs)} ms: ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `${jobs.length} jobs, ${rows[0].n} packets stored, ${(Number(rows[0].bytes) / 1024).toFixed(0)} KB; upload → preview done ${uploadMs} ms`,
    );
    expect(rows[0].n).toBeLessThanOrEqual(12);
  }, 240_000);

  it('a signed-in request is neither rate-limited nor budgeted, runs above anonymous ones, and lengths are canonical', async () => {
    const signedIn = (q: string) => t.app.inject({ url: `${base}/packet.pdf?${q}`, headers: ana.auth });
    // the packets of 5 m stock only: a version the test before published may enqueue its default packet meanwhile
    const before = (await packetJobs(5000)).length;
    expect((await signedIn('stock=5000mm')).statusCode).toBe(202);
    // the same length written otherwise is the same packet: no second job
    for (const q of ['stock=5m', 'stock=5000.0004mm', 'stock=500cm'])
      expect([200, 202]).toContain((await signedIn(q)).statusCode);
    const jobs = await packetJobs(5000);
    expect(jobs).toHaveLength(before + 1);
    expect(jobs.filter((j) => j.priority === 5)).toHaveLength(1);
    for (const q of ['stock=10km', 'stock=50mm', 'kerf=1m']) {
      const r = await signedIn(q);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().errors[0].field).toMatch(/^\/querystring\/(stock|kerf)$/);
    }
  });

  it('gc forgets packets not asked for within the keep period and deletes their PDFs; asking again keeps one', async () => {
    const { rows } = await t.deps.db.raw(
      `select id, sha256 from derivatives where kind = 'packet-pdf' and sha256 is not null order by created_at limit 2`,
    );
    expect(rows).toHaveLength(2);
    const [old, asked] = rows as { id: string; sha256: string }[];
    await t.deps.db.raw(
      `update derivatives set created_at = now() - interval '40 days', requested_at = null where id in ($1, $2)`,
      [old.id, asked.id],
    );
    await t.deps.db.raw(`update blobs set created_at = now() - interval '40 days' where sha256 in ($1, $2)`, [
      old.sha256,
      asked.sha256,
    ]);
    // asking for `asked` again (signed in, its options read back from its job) refreshes it
    const { rows: job } = await t.deps.db.raw(
      `select payload from jobs where kind = 'packet-pdf' and result->>'sha256' = $1 limit 1`,
      [asked.sha256],
    );
    const stock = String(job[0].payload.options.stockMm);
    const again = await t.app.inject({ url: `${base}/packet.pdf?stock=${stock}mm`, headers: ana.auth });
    expect(again.statusCode).toBe(200);
    const report = await collectGarbage(t.deps.db, t.deps.blobs, { graceHours: 0, packetKeepDays: 30 });
    expect(report.expiredPackets).toBe(1);
    const left = await t.deps.db.raw(`select id from derivatives where id in ($1, $2)`, [old.id, asked.id]);
    expect(left.rows.map((r: any) => r.id)).toEqual([asked.id]);
    expect(report.deleted.map((b) => b.sha256)).toContain(old.sha256);
    expect(await t.deps.blobs.stat(old.sha256)).toBeFalsy();
    expect(await t.deps.blobs.stat(asked.sha256)).toBeTruthy();
  });
});
