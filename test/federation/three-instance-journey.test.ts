// Issue 28's journey on three real instances (processes on loopback; A on PostgreSQL when the run has one): A hosts
// the brick press; B (a workshop) mirrors it, forks it and reports a build; C follows A's design and B's fork.
// A's lineage lists B's fork, whose followers are A and C; B's report reaches A's review queue with its photo, even
// though B restarted right after filing it; A's approval shows on B, and A's field data counts it — on A, on B's
// mirror and on C's; B proposes its fork's improvement, A accepts it as a new version, and C, restarted meanwhile,
// mirrors it with the fork's bytes as B does. Offline and reconnect: test/federation/offline.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiOn as api,
  instanceDatabase,
  publishVersionOn,
  registerOn,
  startInstances,
  type Instance,
} from '../helpers/instances.js';
import { cubeStl } from '../helpers/meshes.js';
import { jpegWithGps } from '../fixtures/photos.js';
import { eventually } from '../helpers/eventually.js';

const activityJson = { accept: 'application/activity+json' };
const bom = (plates: number) => ({
  name: 'bom.csv',
  bytes: `part,name,qty\nP-1,Frame plate,${plates}\nP-2,Bolt M8,4\n`,
});
const sums = (v: { files: { path: string; sha256: string }[] }) =>
  Object.fromEntries(v.files.map((f) => [f.path, f.sha256]));

async function reportBuild(b: Instance, token: string, ref: string, body: unknown, photo: Buffer) {
  const fd = new FormData();
  fd.append('report', JSON.stringify(body));
  fd.append('photos', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'press.jpg');
  const res = await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0/builds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: fd,
  });
  return { status: res.status, body: await res.json() };
}

/** `path` on `instance` once `ready` holds for its body (200 only). */
function once(instance: Instance, path: string, ready: (body: any) => boolean, what: string, ms = 90_000) {
  return eventually(
    async () => {
      const r = await api(instance, undefined, 'GET', path);
      return r.status === 200 && ready(r.body) ? r.body : undefined;
    },
    ms,
    what,
  );
}

describe('three instances: a fork, a build report, its review and a proposal cross them', () => {
  let a: Instance;
  let b: Instance;
  let c: Instance;
  let dropA: () => Promise<void>;
  let ana: string;
  let bob: string;
  let cy: string;
  const home = () => `ana@${a.host}/brick-press`;
  const forkOf = () => `bob@${b.host}/brick-press-xixon`;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const db = await instanceDatabase();
    dropA = db.drop;
    // three processes booting at once on a shared 2-core machine: allow for its load
    const readyTimeoutMs = 240_000;
    [a, b, c] = await startInstances({ databaseUrl: db.url, readyTimeoutMs }, { readyTimeoutMs }, { readyTimeoutMs });
    [ana, bob, cy] = await Promise.all([registerOn(a, 'ana'), registerOn(b, 'bob'), registerOn(c, 'cy')]);
    const created = await api(a, ana, 'POST', '/api/designs', {
      slug: 'brick-press',
      title: 'Brick press',
      licenses: { hardware: 'CERN-OHL-S-2.0' },
    });
    expect(created.status).toBe(201);
    await publishVersionOn(
      a,
      ana,
      'ana/brick-press',
      { version: '1.0.0' },
      [{ path: 'frame/base.stl', bytes: cubeStl(10) }],
      bom(1),
    );
    const workshop = await api(b, bob, 'POST', '/api/workshops', {
      slug: 'gijon',
      name: 'Taller Xixón',
      place: { city: 'Gijón', country: 'ES' },
      processes: ['welding'],
    });
    expect(workshop.status).toBe(201);
    for (const [instance, token] of [
      [b, bob],
      [c, cy],
    ] as const) {
      const follow = await api(instance, token, 'POST', '/api/federation/follows', {
        target: `ana~brick-press@${a.host}`,
      });
      expect(follow.status).toBe(202);
    }
    await Promise.all(
      [b, c].map((i) => once(i, `/api/designs/${home()}/versions/1.0.0`, () => true, `${i.host}'s mirror of 1.0.0`)),
    );
  }, 600_000);

  afterAll(async () => {
    console.log(`three-instance journey timings on loopback (ms): ${JSON.stringify(timings)}`);
    await Promise.all([a?.dispose(), b?.dispose(), c?.dispose()]);
    await dropA?.();
  });

  it('B forks A’s design; A’s lineage lists the fork with its home, and C follows the fork as A does', async () => {
    const t0 = Date.now();
    const forked = await api(b, bob, 'POST', `/api/designs/${home()}/forks`, {
      version: '1.0.0',
      slug: 'brick-press-xixon',
    });
    expect(forked.status, JSON.stringify(forked.body)).toBe(201);
    expect(forked.body.forkedFrom).toMatchObject({ owner: `ana@${a.host}`, slug: 'brick-press', version: '1.0.0' });
    // A follows the fork once told of it, and its lineage shows that follow: read at B, not from a cache of the
    // collection A fetched when the fork was announced (Fedify keeps remote documents 5 minutes)
    const lineage = await once(
      a,
      '/api/designs/ana/brick-press/lineage',
      (l) =>
        l.root.children.some(
          (child: any) => child.owner === `bob@${b.host}` && child.followers?.instances.includes(a.host),
        ),
      "B's fork in A's lineage, followed by A",
    );
    timings.forkToLineageAtA = Date.now() - t0;
    // C follows only now, after A has read the fork's followers: A must hear of it and read them again
    const follow = await api(c, cy, 'POST', '/api/federation/follows', { target: `bob~brick-press-xixon@${b.host}` });
    expect(follow.status).toBe(202);
    expect(lineage.root.children).toContainEqual(
      expect.objectContaining({
        owner: `bob@${b.host}`,
        slug: 'brick-press-xixon',
        instance: b.host,
        url: `${b.url}/bob/brick-press-xixon`,
      }),
    );
    // the fork's followers: A (its upstream's home, told of the fork) and C
    const followers = await eventually(
      async () => {
        const res = await fetch(`${b.url}/ap/actors/bob~brick-press-xixon/followers`, { headers: activityJson });
        const doc = await res.json();
        return doc.totalItems === 2 ? doc : undefined;
      },
      60_000,
      "the fork's two followers",
    );
    const items: string[] = (followers.items ?? followers.orderedItems ?? []).map((i: any) =>
      typeof i === 'string' ? i : i.id,
    );
    expect(items.some((i) => i.startsWith(a.url))).toBe(true);
    expect(items.some((i) => i.startsWith(c.url))).toBe(true);
    // both mirror the fork with B's bytes, and on C it is a fork of A's design as it is on B
    const onB = sums((await api(b, undefined, 'GET', '/api/designs/bob/brick-press-xixon/versions/1.0.0')).body);
    for (const instance of [a, c]) {
      const copy = await once(
        instance,
        `/api/designs/${forkOf()}/versions/1.0.0`,
        () => true,
        `${instance.host}'s copy of the fork`,
      );
      expect(sums(copy)).toEqual(onB);
    }
    const onC = (await api(c, undefined, 'GET', `/api/designs/${forkOf()}`)).body;
    expect(onC.forkedFrom).toMatchObject({ owner: `ana@${a.host}`, slug: 'brick-press' });
    timings.forkToMirroredAtAandC = Date.now() - t0;
    // A's lineage says who follows the fork at its home: A itself and C (B sends the fork's actor again on each follow)
    const followed = await once(
      a,
      '/api/designs/ana/brick-press/lineage',
      (l) =>
        l.root.children.some(
          (child: any) => child.owner === `bob@${b.host}` && child.followers.instances.includes(c.host),
        ),
      "C's follow of B's fork in A's lineage",
    );
    timings.followToLineageAtA = Date.now() - t0;
    const forkNode = followed.root.children.find((child: any) => child.owner === `bob@${b.host}`);
    expect(forkNode.followers).toEqual({ count: 2, instances: [a.host, c.host].sort() });
  }, 240_000);

  let onB: string;
  let onA: string;

  it('B reports a build and restarts at once: the report reaches A’s queue once, with its verified photo', async () => {
    const t0 = Date.now();
    const filed = await reportBuild(
      b,
      bob,
      home(),
      { workshop: 'gijon', outcome: 'success', hours: 10, cost: { amount: '80.00', currency: 'EUR' } },
      await jpegWithGps(),
    );
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ state: 'submitted' });
    onB = filed.body.id;
    // a restart in the middle: the photo's job and the offer are durable
    await b.stop();
    await b.restart();
    const item = await eventually(
      async () =>
        (await api(a, ana, 'GET', '/api/reviews/queue')).body.items.find(
          (i: any) => i.remote?.url === `${b.url}/ap/builds/${onB}`,
        ),
      120_000,
      "B's report in A's queue",
    );
    timings.reportToQueueAtA = Date.now() - t0;
    expect(item.author).toEqual({ handle: `bob@${b.host}` });
    expect(item.workshop).toMatchObject({ slug: 'gijon', instance: b.host });
    onA = item.id;
    const atA = await once(a, `/api/builds/${onA}`, (d) => d.photos[0]?.state === 'done', "A's copy of the photo");
    expect(atA.photos).toHaveLength(1);
    expect((await api(a, ana, 'GET', '/api/reviews/queue')).body.items).toHaveLength(1);
  }, 240_000);

  it('A approves: B shows the review, and A’s field data counts it on A, on B’s mirror and on C’s', async () => {
    const t0 = Date.now();
    const review = await api(a, ana, 'POST', `/api/builds/${onA}/reviews`, {
      decision: 'approve',
      comment: 'A sound press',
    });
    expect(review.status).toBe(201);
    const there = await once(b, `/api/builds/${onB}`, (d) => d.state === 'approved', 'the approval on B');
    timings.reviewToReportingInstance = Date.now() - t0;
    expect(there.reviews).toEqual([
      expect.objectContaining({ reviewer: `ana@${a.host}`, decision: 'approve', comment: 'A sound press' }),
    ]);
    const field = await once(
      a,
      '/api/designs/ana/brick-press/versions/1.0.0/field',
      (f) => f.builds.approved === 1,
      "A's field data",
    );
    expect(field.workshops).toEqual([expect.objectContaining({ slug: 'gijon', instance: b.host, approved: 1 })]);
    for (const instance of [b, c]) {
      const mirrored = await once(
        instance,
        `/api/designs/${home()}/versions/1.0.0/field`,
        (f) => f.builds.approved === 1,
        `A's field data on ${instance.host}`,
      );
      expect(mirrored).toEqual(field);
    }
    timings.reviewToFieldDataOnFollowers = Date.now() - t0;
  }, 180_000);

  it('B proposes its fork’s improvement; A accepts it as a new version; B and C (restarted meanwhile) mirror it', async () => {
    await publishVersionOn(
      b,
      bob,
      'bob/brick-press-xixon',
      { version: '1.1.0', changelog: 'Longer lever' },
      [
        { path: 'frame/base.stl', bytes: cubeStl(12) },
        { path: 'lever.stl', bytes: cubeStl(6) },
      ],
      bom(2),
    );
    const t0 = Date.now();
    const made = await api(b, bob, 'POST', `/api/designs/${home()}/proposals`, {
      from: 'bob/brick-press-xixon@1.1.0',
      message: 'A longer lever',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const proposal = await eventually(
      async () => (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/proposals')).body.items[0],
      120_000,
      'the proposal at A',
    );
    timings.proposalToHome = Date.now() - t0;
    expect(proposal).toMatchObject({ author: `bob@${b.host}`, from: `${forkOf()}@1.1.0`, state: 'open' });

    await c.stop();
    const t1 = Date.now();
    const accepted = await api(a, ana, 'POST', `/api/designs/ana/brick-press/proposals/${proposal.id}/accept`, {
      version: '1.1.0',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const forkFiles = sums((await api(b, undefined, 'GET', '/api/designs/bob/brick-press-xixon/versions/1.1.0')).body);
    expect(sums(accepted.body.version)).toEqual(forkFiles);

    const outcome = await once(
      b,
      `/api/designs/${home()}/proposals/${made.body.id}`,
      (p) => p.state === 'accepted',
      'the acceptance on B',
    );
    timings.acceptToOutcomeOnB = Date.now() - t1;
    expect(outcome.acceptedVersion).toBe(`${home()}@1.1.0`);
    await c.restart();
    for (const instance of [b, c]) {
      const copy = await once(
        instance,
        `/api/designs/${home()}/versions/1.1.0`,
        () => true,
        `${instance.host}'s copy of 1.1.0`,
      );
      expect(sums(copy)).toEqual(forkFiles);
    }
    timings.acceptToMirroredOnBandRestartedC = Date.now() - t1;
  }, 300_000);
});
