// A workshop's own instance, offline (issue 28), on two real instances on loopback: A hosts a design, B (the
// workshop's laptop) follows and mirrors it. A goes away: B still browses the mirror and prints its packet, and two
// build reports filed on B wait in B's outbox (retrying, with the last error and the next attempt); B restarts with
// them queued and loses neither. A comes back: each report reaches A once. Then B goes away: A reviews both reports
// and publishes a version; those wait in A's outbox. B comes back: the reviews arrive, the new version is mirrored,
// nothing is duplicated and both outboxes drain. Retries are seconds apart here (ANDECHA_FEDERATION_RETRY_MAX_DELAY_MS).
// The workshop's B runs on PGlite, as a laptop does; A on PostgreSQL when the run has one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiOn as api,
  instanceDatabase,
  publishVersionOn,
  registerOn,
  startInstance,
  type Instance,
} from '../helpers/instances.js';
import { eventually } from '../helpers/eventually.js';

const env = { ANDECHA_FEDERATION_RETRY_MAX_DELAY_MS: '1500' };
const frame = { path: 'frame.stl', bytes: 'solid p\nendsolid\n' };

async function fileReport(b: Instance, token: string, ref: string, body: unknown) {
  const fd = new FormData();
  fd.append('report', JSON.stringify(body));
  const res = await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0/builds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: fd,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('a workshop instance cut off from the design’s home, then reconnected', () => {
  let a: Instance;
  let b: Instance;
  let databaseOfA: Awaited<ReturnType<typeof instanceDatabase>>;
  let ana: string;
  let bob: string;
  let ref: string;
  const reports: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    databaseOfA = await instanceDatabase();
    [a, b] = await Promise.all([
      startInstance({ readyTimeoutMs: 150_000, env, databaseUrl: databaseOfA.url }),
      startInstance({ readyTimeoutMs: 150_000, env }),
    ]);
    // the first account of each instance is its admin
    [ana, bob] = await Promise.all([registerOn(a, 'ana'), registerOn(b, 'bob')]);
    expect((await api(a, ana, 'POST', '/api/designs', { slug: 'brick-press', title: 'Brick press' })).status).toBe(201);
    await publishVersionOn(a, ana, 'ana/brick-press', { version: '1.0.0' }, [frame]);
    const workshop = await api(b, bob, 'POST', '/api/workshops', {
      slug: 'gijon',
      name: 'Taller Xixón',
      place: { city: 'Gijón', country: 'ES' },
      processes: ['welding'],
    });
    expect(workshop.status).toBe(201);
    // the follow's lookup of A has 15 s: on a machine loaded near 15 a fresh A may miss it, so it is asked up to
    // three times (a follow asked again is the same follow)
    let follow = { status: 0, body: undefined as unknown };
    for (let tries = 0; tries < 3 && follow.status !== 202 && follow.status !== 200; tries++)
      follow = await api(b, bob, 'POST', '/api/federation/follows', { target: `ana~brick-press@${a.host}` });
    expect([200, 202], JSON.stringify(follow.body)).toContain(follow.status);
    ref = `ana@${a.host}/brick-press`;
    await eventually(
      async () =>
        (await api(b, undefined, 'GET', `/api/designs/${ref}`)).body?.mirror?.versions?.[0]?.state === 'complete',
      90_000,
      "B's copy of brick-press 1.0.0",
    );
  }, 240_000);

  afterAll(async () => {
    console.log(`offline workshop timings on loopback (ms): ${JSON.stringify(timings)}`);
    await Promise.all([a?.dispose(), b?.dispose()]);
    await databaseOfA?.drop();
  });

  it('with A stopped, B browses, prints the packet and queues its reports in its outbox', async () => {
    await a.stop();
    expect((await api(b, undefined, 'GET', `/api/designs/${ref}/versions/1.0.0`)).status).toBe(200);
    const packet = await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0/packet.pdf?wait=1`);
    expect(packet.status).toBe(200);
    expect(
      Buffer.from(await packet.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    for (const hours of [10, 14]) {
      const r = await fileReport(b, bob, ref, { workshop: 'gijon', outcome: 'success', hours });
      expect(r.status).toBe(201);
      expect(r.body.delivery).toBe('queued');
      reports.push(r.body.id);
    }
    const waiting = await eventually(
      async () => {
        const o = (await api(b, bob, 'GET', '/api/federation/outbox')).body;
        const offers = o.items.filter((i: any) => i.activity.type === 'Offer');
        return offers.length === 2 && offers.every((i: any) => i.state === 'retrying') ? offers : undefined;
      },
      30_000,
      "both Offers retrying in B's outbox",
    );
    expect(waiting.map((i: any) => i.about.buildReport).sort()).toEqual([...reports].sort());
    for (const item of waiting) {
      expect(item).toMatchObject({
        about: { kind: 'build-report', url: `${b.url}/ap/builds/${item.about.buildReport}` },
        target: { instance: a.host },
        failedAt: null,
      });
      expect(item.attempts).toBeGreaterThanOrEqual(1);
      expect(item.lastError).toMatch(/ECONNREFUSED|fetch failed/);
      expect(Date.parse(item.nextAttemptAt)).toBeGreaterThan(Date.parse(item.lastAttemptAt) - 1);
    }
    // filters, paging, and who may look
    const page = (await api(b, bob, 'GET', '/api/federation/outbox?limit=1&state=retrying')).body;
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toMatch(/^\d+$/);
    expect((await api(b, bob, 'GET', `/api/federation/outbox?state=failed`)).body.items).toEqual([]);
    const carla = await registerOn(b, 'carla');
    expect((await api(b, carla, 'GET', '/api/federation/outbox')).status).toBe(403);
    expect((await api(b, undefined, 'GET', '/api/federation/outbox')).status).toBe(401);
    expect((await api(b, carla, 'POST', '/api/federation/outbox/retry', {})).status).toBe(403);
    expect((await api(b, bob, 'POST', '/api/federation/outbox/retry', { id: '999999999' })).status).toBe(404);
  }, 120_000);

  it('B restarted with its reports queued loses neither', async () => {
    await b.stop();
    await b.restart();
    const offers = (await api(b, bob, 'GET', '/api/federation/outbox')).body.items.filter(
      (i: any) => i.activity.type === 'Offer',
    );
    expect(offers.map((i: any) => i.about.buildReport).sort()).toEqual([...reports].sort());
  }, 120_000);

  it('A back: an admin’s retry sends B’s reports now, each reaches A once', async () => {
    await a.restart();
    const t0 = Date.now();
    const retried = await api(b, bob, 'POST', '/api/federation/outbox/retry', { instance: a.host });
    expect(retried.status).toBe(200);
    for (const id of reports)
      await eventually(
        async () => (await api(b, bob, 'GET', `/api/builds/${id}`)).body.delivery === 'delivered',
        60_000,
        `report ${id} delivered`,
      );
    timings.retryToDelivered = Date.now() - t0;
    const atA = (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/versions/1.0.0/builds')).body.items;
    expect(atA.map((r: any) => r.remote?.url).sort()).toEqual(reports.map((id) => `${b.url}/ap/builds/${id}`).sort());
    await eventually(
      async () => (await api(b, bob, 'GET', '/api/federation/outbox')).body.items.length === 0,
      30_000,
      "B's outbox empty",
    );
  }, 120_000);

  it('B away: A’s reviews and new version wait in A’s outbox and reach B when it is back; nothing twice', async () => {
    const atA = (await api(a, ana, 'GET', '/api/reviews/queue')).body.items;
    expect(atA).toHaveLength(2);
    const byRemote = new Map(atA.map((r: any) => [r.remote.url.split('/').at(-1), r.id]));
    await b.stop();
    expect(
      (await api(a, ana, 'POST', `/api/builds/${byRemote.get(reports[0])}/reviews`, { decision: 'approve' })).status,
    ).toBe(201);
    expect(
      (
        await api(a, ana, 'POST', `/api/builds/${byRemote.get(reports[1])}/reviews`, {
          decision: 'request-changes',
          comment: 'Which bolts?',
        })
      ).status,
    ).toBe(201);
    await publishVersionOn(a, ana, 'ana/brick-press', { version: '1.1.0' }, [frame]);
    const waiting = await eventually(
      async () => {
        const items = (await api(a, ana, 'GET', `/api/federation/outbox?instance=${b.host}`)).body.items;
        const reviews = items.filter((i: any) => i.about.kind === 'review' && i.state === 'retrying');
        const versions = items.filter((i: any) => i.about.kind === 'version' && i.about.version === '1.1.0');
        return reviews.length === 2 && versions.length >= 1 ? { reviews, versions } : undefined;
      },
      30_000,
      "A's reviews and version waiting for B",
    );
    expect(waiting.reviews.map((i: any) => i.about.decision).sort()).toEqual(['approve', 'request-changes']);
    expect(waiting.versions[0].about.design).toBe('ana/brick-press');

    await b.restart();
    const t0 = Date.now();
    const approved = await eventually(
      async () => {
        const d = (await api(b, bob, 'GET', `/api/builds/${reports[0]}`)).body;
        return d.state === 'approved' ? d : undefined;
      },
      60_000,
      'the approval on B',
    );
    timings.restartToReview = Date.now() - t0;
    const changes = await eventually(
      async () => {
        const d = (await api(b, bob, 'GET', `/api/builds/${reports[1]}`)).body;
        return d.state === 'changes-requested' ? d : undefined;
      },
      60_000,
      'the request for changes on B',
    );
    await eventually(
      async () =>
        (await api(b, undefined, 'GET', `/api/designs/${ref}`)).body.mirror.versions.find(
          (v: any) => v.version === '1.1.0' && v.state === 'complete',
        ),
      60_000,
      "B's copy of 1.1.0",
    );
    timings.restartToVersion = Date.now() - t0;
    await eventually(
      async () => (await api(a, ana, 'GET', '/api/federation/outbox')).body.items.length === 0,
      30_000,
      "A's outbox empty",
    );
    // nothing twice: one review each, each version once, two reports at A
    const again = async () => {
      expect((await api(b, bob, 'GET', `/api/builds/${reports[0]}`)).body.reviews).toHaveLength(1);
      expect((await api(b, bob, 'GET', `/api/builds/${reports[1]}`)).body.reviews).toHaveLength(1);
      const versions = (await api(b, undefined, 'GET', `/api/designs/${ref}/versions`)).body.items.map(
        (v: any) => v.version,
      );
      expect(versions).toEqual(['1.1.0', '1.0.0']);
      expect(
        (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/versions/1.0.0/builds')).body.items,
      ).toHaveLength(2);
    };
    expect(approved.reviews).toEqual([expect.objectContaining({ reviewer: `ana@${a.host}`, decision: 'approve' })]);
    expect(changes.reviews).toEqual([
      expect.objectContaining({ decision: 'request-changes', comment: 'Which bolts?' }),
    ]);
    await again();
    // a while later (retries due, the backfill of B's start done) still nothing twice
    await new Promise((r) => setTimeout(r, 3000));
    await again();
  }, 180_000);
});
