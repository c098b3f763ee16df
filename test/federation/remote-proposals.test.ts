// Proposals across instances, on two real instances (processes on loopback, their own data and databases): B
// mirrors A's design, forks it and publishes an improvement; B's owner proposes it to the mirrored design; it
// reaches A's proposals with its author bob@B; comments go both ways; A's lead accepts it as a new version made of
// the files A's verified copy of the fork holds (the same sha256s as on B), and B shows the outcome; a second one is
// declined with a reason. Refused: a proposal by someone who is no lead of the fork, a decision on B (the mirror),
// a decision by someone who is no lead at A, a proposal signed by an instance that is not the fork's home, and a
// decision sent to B by an instance that is not the design's home. A comment made while A is stopped arrives once
// A is back (durable queues), and only once.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  Accept,
  Endpoints,
  MemoryKvStore,
  Offer,
  Person,
  Reject,
  createFederation,
  generateCryptoKeyPair,
  type Federation,
} from '@fedify/fedify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationListener } from '../helpers/fedify-server.js';
import {
  apiOn as api,
  instanceDatabase,
  publishVersionOn,
  registerOn,
  startInstances,
  type Instance,
} from '../helpers/instances.js';
import { freePort } from '../helpers/free-port.js';
import { cubeStl } from '../helpers/meshes.js';
import { eventually } from '../helpers/eventually.js';

const bom = (plates: number) => ({
  name: 'bom.csv',
  bytes: `part,name,qty\nP-1,Frame plate,${plates}\nP-2,Bolt M8,4\n`,
});

/** A rogue instance in this process: its own person actor and keys, serving the proposal object the test gives it. */
async function startRogue() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const keys = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), await generateCryptoKeyPair('Ed25519')];
  const objects = new Map<string, unknown>();
  const rejections: string[] = [];
  const federation: Federation<void> = createFederation<void>({
    kv: new MemoryKvStore(),
    origin: url,
    allowPrivateAddress: true,
  });
  federation
    .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
      if (identifier !== 'mallory') return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pairs[0].cryptographicKey,
        assertionMethods: pairs.map((p) => p.multikey),
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === 'mallory' ? keys : []));
  federation
    .setInboxListeners('/users/{identifier}/inbox', '/inbox')
    .on(Reject, async (_ctx, reject) => void rejections.push(reject.summary?.toString() ?? ''));
  const fedListener = federationListener(federation, url);
  const server: Server = createServer((req, res) => {
    const object = objects.get(new URL(req.url!, url).pathname);
    if (!object) return void fedListener(req, res);
    res.writeHead(200, { 'content-type': 'application/activity+json' });
    res.end(JSON.stringify(object));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const actor = `${url}/users/mallory`;
  return {
    actor,
    rejections,
    /** serves `object` at /ap/proposals/{id} and offers it to `designActor`'s inbox, signed by mallory */
    async propose(designActor: string, extension: Record<string, unknown>) {
      const id = `${url}/ap/proposals/${randomUUID()}`;
      objects.set(new URL(id).pathname, {
        '@context': [
          'https://www.w3.org/ns/activitystreams',
          { andechaProposal: { '@id': 'andecha:proposal', '@type': '@json' }, andecha: 'https://andecha.org/ns#' },
        ],
        id,
        type: 'Article',
        attributedTo: actor,
        content: 'A fork I did not make',
        andechaProposal: { ...extension, author: { handle: 'mallory', actor } },
      });
      const ctx = federation.createContext(new URL(url), undefined);
      await ctx.sendActivity(
        { identifier: 'mallory' },
        { id: new URL(designActor), inboxId: new URL(`${designActor}/inbox`), endpoints: null },
        new Offer({
          id: new URL(`${id}#offer`),
          actor: new URL(actor),
          object: new URL(id),
          target: new URL(designActor),
        }),
      );
    },
    /** an Accept of someone else's Offer, as if mallory decided it, POSTed to `inbox`; the HTTP status */
    async decide(inbox: string, offer: string, version: string) {
      const ctx = federation.createContext(new URL(url), undefined);
      await ctx.sendActivity(
        { identifier: 'mallory' },
        { id: new URL(inbox), inboxId: new URL(inbox), endpoints: null },
        new Accept({
          id: new URL(`${actor}#accepts/${randomUUID()}`),
          actor: new URL(actor),
          object: new URL(offer),
          attribution: new URL(actor),
          name: version,
        }),
      );
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('proposals across instances (two real instances)', () => {
  let a: Instance;
  let b: Instance;
  let dropA: () => Promise<void>;
  let ana: string;
  let mo: string;
  let bob: string;
  let carol: string;
  const home = () => `ana@${a.host}/brick-press`;
  const fork = 'bob/brick-press-b';
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    // A runs on PostgreSQL when the run has one, B on PGlite
    const db = await instanceDatabase();
    dropA = db.drop;
    [a, b] = await startInstances({ readyTimeoutMs: 240_000, databaseUrl: db.url }, { readyTimeoutMs: 240_000 });
    [ana, mo, bob, carol] = await Promise.all([
      registerOn(a, 'ana'),
      registerOn(a, 'mo'),
      registerOn(b, 'bob'),
      registerOn(b, 'carol'),
    ]);
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
    const follow = await api(b, bob, 'POST', '/api/federation/follows', { target: `${a.url}/ana/brick-press` });
    expect(follow.status).toBe(202);
    await eventually(
      async () => (await api(b, bob, 'GET', `/api/designs/${home()}/versions/1.0.0`)).status === 200,
      90_000,
      "B's verified copy of 1.0.0",
    );
    const forked = await api(b, bob, 'POST', `/api/designs/${home()}/forks`, {
      version: '1.0.0',
      slug: 'brick-press-b',
    });
    expect(forked.status, JSON.stringify(forked.body)).toBe(201);
    // A mirrors the fork (it follows it once told of it); the improvement is published on B after that
    await eventually(
      async () => (await api(a, undefined, 'GET', `/api/designs/bob@${b.host}/brick-press-b`)).status === 200,
      60_000,
      "A's mirror of B's fork",
    );
    await publishVersionOn(
      b,
      bob,
      fork,
      { version: '1.2.0', changelog: 'Longer lever' },
      [
        { path: 'frame/base.stl', bytes: cubeStl(14) },
        { path: 'lever.stl', bytes: cubeStl(6) },
      ],
      bom(2),
    );
  }, 400_000);

  afterAll(async () => {
    console.log(`remote proposal timings on loopback (ms): ${JSON.stringify(timings)}`);
    await Promise.all([a?.dispose(), b?.dispose()]);
    await dropA?.();
  });

  let onB: string;
  let onA: string;

  it('only a lead of the fork proposes it; B records the proposal (open, queued) and A receives it from bob@B', async () => {
    const message = 'A longer lever: the same pressure with half the force';
    const notLead = await api(b, carol, 'POST', `/api/designs/${home()}/proposals`, { from: `${fork}@1.2.0`, message });
    expect(notLead.status).toBe(403);

    const t0 = Date.now();
    const made = await api(b, bob, 'POST', `/api/designs/${home()}/proposals`, { from: `${fork}@1.2.0`, message });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      design: home(),
      from: `${fork}@1.2.0`,
      author: 'bob',
      state: 'open',
      delivery: 'queued',
    });
    onB = made.body.id;
    // how long A's verified copy of the fork's version takes (the proposal is taken once it is there)
    void eventually(
      async () =>
        (await api(a, undefined, 'GET', `/api/designs/bob@${b.host}/brick-press-b/versions/1.2.0`)).status === 200,
      90_000,
      "A's copy of the fork's 1.2.0",
    ).then(() => (timings.proposeToForkCopyAtHome = Date.now() - t0));

    const item = await eventually(
      async () => (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/proposals')).body.items[0],
      90_000,
      "the proposal in A's list",
    );
    timings.proposeToHome = Date.now() - t0;
    expect(item).toMatchObject({
      design: 'ana/brick-press',
      from: `bob@${b.host}/brick-press-b@1.2.0`,
      author: `bob@${b.host}`,
      message,
      state: 'open',
    });
    expect(item.delivery).toBeUndefined();
    onA = item.id;
    // at A it compares with the version the fork was made from, through A's verified copy of the fork
    const detail = (await api(a, undefined, 'GET', `/api/designs/ana/brick-press/proposals/${onA}`)).body;
    expect(detail.compare.from).toBe('ana/brick-press@1.0.0');
    expect(detail.compare.files.added.map((f: { path: string }) => f.path)).toEqual(['lever.stl']);
    expect(detail.compare.files.changed.map((f: { path: string }) => f.path)).toEqual(['frame/base.stl']);

    await eventually(
      async () =>
        (await api(b, undefined, 'GET', `/api/designs/${home()}/proposals/${onB}`)).body.delivery === 'delivered',
      30_000,
      'B told of the delivery',
    );
    timings.proposeToDelivered = Date.now() - t0;
    // one proposal at A, however often it was offered
    expect((await api(a, undefined, 'GET', '/api/designs/ana/brick-press/proposals')).body.items).toHaveLength(1);
  }, 150_000);

  it('comments flow both ways, each side naming the other’s people handle@host', async () => {
    const t0 = Date.now();
    const fromA = await api(a, ana, 'POST', `/api/designs/ana/brick-press/proposals/${onA}/comments`, {
      body: 'Does the lever clear the hopper?',
    });
    expect(fromA.status).toBe(201);
    const fromB = await api(b, bob, 'POST', `/api/designs/${home()}/proposals/${onB}/comments`, {
      body: 'Yes, by 4 cm: see lever.stl',
    });
    expect(fromB.status).toBe(201);
    const onBSide = await eventually(
      async () => {
        const c = (await api(b, undefined, 'GET', `/api/designs/${home()}/proposals/${onB}`)).body.comments;
        return c.length === 2 ? c : undefined;
      },
      30_000,
      "A's comment on B",
    );
    const onASide = await eventually(
      async () => {
        const c = (await api(a, undefined, 'GET', `/api/designs/ana/brick-press/proposals/${onA}`)).body.comments;
        return c.length === 2 ? c : undefined;
      },
      30_000,
      "B's comment on A",
    );
    timings.commentsBothWays = Date.now() - t0;
    const authors = (cs: { author: string; body: string }[]) => Object.fromEntries(cs.map((c) => [c.body, c.author]));
    expect(authors(onBSide)).toEqual({
      'Does the lever clear the hopper?': `ana@${a.host}`,
      'Yes, by 4 cm: see lever.stl': 'bob',
    });
    expect(authors(onASide)).toEqual({
      'Does the lever clear the hopper?': 'ana',
      'Yes, by 4 cm: see lever.stl': `bob@${b.host}`,
    });
  }, 90_000);

  it('refuses decisions on B’s mirror and by someone who is no lead at A', async () => {
    const onMirror = await api(b, bob, 'POST', `/api/designs/${home()}/proposals/${onB}/accept`, { version: '9.0.0' });
    expect(onMirror.status).toBe(403);
    const byMo = await api(a, mo, 'POST', `/api/designs/ana/brick-press/proposals/${onA}/accept`, { version: '9.0.0' });
    expect(byMo.status).toBe(403);
    const declineByMo = await api(a, mo, 'POST', `/api/designs/ana/brick-press/proposals/${onA}/decline`, {
      reason: 'no',
    });
    expect(declineByMo.status).toBe(403);
    expect((await api(a, undefined, 'GET', `/api/designs/ana/brick-press/proposals/${onA}`)).body.state).toBe('open');
  });

  it('refuses a proposal signed by an instance that is not the fork’s home', async () => {
    const rogue = await startRogue();
    try {
      await rogue.propose(`${a.url}/ap/actors/ana~brick-press`, {
        design: `${a.url}/ap/actors/ana~brick-press`,
        message: 'Take my changes',
        from: {
          design: `${b.url}/ap/actors/bob~brick-press-b`,
          version: '1.2.0',
          object: `${b.url}/ap/designs/bob/brick-press-b/versions/1.2.0`,
          ref: `${fork}@1.2.0`,
        },
        files: [],
      });
      // … and an acceptance of B's proposal by someone who is not the design's home, sent to B
      await rogue.decide(`${b.url}/ap/inbox`, `${b.url}/ap/proposals/${onB}#offer`, '6.6.6');
      const reason = await eventually(async () => rogue.rejections[0], 30_000, "A's refusal");
      expect(reason).toBe(`${fork}@1.2.0 does not live on ${new URL(rogue.actor).host}, which proposed it`);
      expect((await api(a, undefined, 'GET', '/api/designs/ana/brick-press/proposals')).body.items).toHaveLength(1);
      expect((await api(b, undefined, 'GET', `/api/designs/${home()}/proposals/${onB}`)).body).toMatchObject({
        state: 'open',
        acceptedVersion: null,
      });
    } finally {
      await rogue.close();
    }
  }, 60_000);

  it('A’s lead accepts: a new version at A of the fork’s files (same sha256s), and B shows the outcome', async () => {
    const t0 = Date.now();
    const accepted = await api(a, ana, 'POST', `/api/designs/ana/brick-press/proposals/${onA}/accept`, {
      version: '1.2.0',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body.proposal).toMatchObject({ state: 'accepted', acceptedVersion: 'ana/brick-press@1.2.0' });
    const onForkB = (await api(b, undefined, 'GET', `/api/designs/${fork}/versions/1.2.0`)).body;
    const sums = (v: { files: { path: string; sha256: string }[] }) =>
      Object.fromEntries(v.files.map((f) => [f.path, f.sha256]));
    expect(sums(accepted.body.version)).toEqual(sums(onForkB));
    expect(accepted.body.version.manifest['accepted-from']).toBe(`bob@${b.host}/brick-press-b@1.2.0`);

    const outcome = await eventually(
      async () => {
        const p = (await api(b, undefined, 'GET', `/api/designs/${home()}/proposals/${onB}`)).body;
        return p.state === 'accepted' ? p : undefined;
      },
      30_000,
      'the acceptance on B',
    );
    timings.acceptToOutcomeOnB = Date.now() - t0;
    expect(outcome).toMatchObject({
      state: 'accepted',
      acceptedVersion: `${home()}@1.2.0`,
      decidedBy: `ana@${a.host}`,
      delivery: 'delivered',
    });
    // and B, following A, mirrors the version the proposal became
    await eventually(
      async () => (await api(b, undefined, 'GET', `/api/designs/${home()}/versions/1.2.0`)).status === 200,
      60_000,
      "B's copy of the accepted version",
    );
    timings.acceptToMirroredOnB = Date.now() - t0;
  }, 120_000);

  it('a second proposal declined at A shows on B as declined with the reason', async () => {
    await publishVersionOn(
      b,
      bob,
      fork,
      { version: '1.3.0' },
      [{ path: 'frame/base.stl', bytes: cubeStl(30) }],
      bom(3),
    );
    const made = await api(b, bob, 'POST', `/api/designs/${home()}/proposals`, {
      from: `${fork}@1.3.0`,
      message: 'A heavier frame',
    });
    expect(made.status).toBe(201);
    const item = await eventually(
      async () =>
        (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/proposals?state=open')).body.items.find(
          (p: { from: string }) => p.from === `bob@${b.host}/brick-press-b@1.3.0`,
        ),
      90_000,
      'the second proposal at A',
    );
    const t0 = Date.now();
    const declined = await api(a, ana, 'POST', `/api/designs/ana/brick-press/proposals/${item.id}/decline`, {
      reason: 'Too heavy to carry between villages',
    });
    expect(declined.status).toBe(200);
    const outcome = await eventually(
      async () => {
        const p = (await api(b, undefined, 'GET', `/api/designs/${home()}/proposals/${made.body.id}`)).body;
        return p.state === 'declined' ? p : undefined;
      },
      30_000,
      'the decline on B',
    );
    timings.declineToOutcomeOnB = Date.now() - t0;
    expect(outcome).toMatchObject({
      reason: 'Too heavy to carry between villages',
      decidedBy: `ana@${a.host}`,
      acceptedVersion: null,
    });
  }, 150_000);

  it('a comment made while A is stopped arrives, once, when A is back', async () => {
    await a.stop();
    const made = await api(b, bob, 'POST', `/api/designs/${home()}/proposals/${onB}/comments`, {
      body: 'Thank you for taking it',
    });
    expect(made.status).toBe(201);
    await new Promise((r) => setTimeout(r, 2000));
    const t0 = Date.now();
    await a.restart();
    const comments = await eventually(
      async () => {
        const c = (await api(a, undefined, 'GET', `/api/designs/ana/brick-press/proposals/${onA}`)).body.comments;
        return c.some((x: { body: string }) => x.body === 'Thank you for taking it') ? c : undefined;
      },
      120_000,
      'the comment at A after its restart',
    );
    timings.restartToComment = Date.now() - t0;
    expect(comments.filter((x: { body: string }) => x.body === 'Thank you for taking it')).toEqual([
      expect.objectContaining({ author: `bob@${b.host}` }),
    ]);
  }, 200_000);
});
