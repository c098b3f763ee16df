// Forks across instances, on two real instances (processes on loopback, their own data and databases): B mirrors
// A's design and forks it through the API; A is told, lists B's fork in its lineage with B's instance and mirrors
// it; A's next version reaches B's fork as an upstream notice whose compare works across; a fork kept local-only is
// announced once it is federated. Refusals: a forged fork notice (401), and correctly signed notices from a third
// party naming a design A does not have, claiming a version its own version object does not name, or sent while
// that party's instance is blocked, change nothing — while the same notice once unblocked does (the control).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Create,
  Endpoints,
  InProcessMessageQueue,
  MemoryKvStore,
  Note,
  Service,
  createFederation,
  generateCryptoKeyPair,
  signRequest,
} from '@fedify/fedify';
import { federationListener } from '../helpers/fedify-server.js';
import { randomBytes } from 'node:crypto';
import { apiOn, registerOn, startInstance, type Instance } from '../helpers/instances.js';
import { cubeStl } from '../helpers/meshes.js';
import { eventually } from '../helpers/eventually.js';

const api = apiOn;

async function publishOn(instance: Instance, token: string, design: string, version: string, size: number) {
  const fd = new FormData();
  fd.append('manifest', JSON.stringify({ version, changelog: `Version ${version}` }));
  fd.append('bom', new Blob([`part,name,qty\nP-1,Frame plate,${size / 10}\nP-2,Bolt M8,4\n`]), 'bom.csv');
  fd.append('files', new Blob([new Uint8Array(cubeStl(size))]), 'frame/base.stl');
  const res = await fetch(`${instance.url}/api/designs/${design}/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: fd,
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

type Node = {
  owner: string;
  slug: string;
  instance?: string;
  url?: string;
  versions: { version: string }[];
  children: Node[];
};
const find = (n: Node, owner: string): Node | undefined =>
  n.owner === owner ? n : n.children.map((c) => find(c, owner)).find(Boolean);

/**
 * A third party with its own tiny Fedify federation on loopback: one design actor, `eve~fake`, that signs notices,
 * and its version 1.0.0's object, which says it was forked from `forkedFrom`.
 */
async function startThirdParty(forkedFrom: string) {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const keys = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), await generateCryptoKeyPair('Ed25519')];
  const federation = createFederation<void>({
    kv: new MemoryKvStore(),
    queue: new InProcessMessageQueue(),
    origin,
    allowPrivateAddress: true,
  });
  federation
    .setActorDispatcher('/ap/actors/{identifier}', async (ctx, identifier) => {
      if (identifier !== 'eve~fake') return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      return new Service({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: 'A fork nobody made',
        url: new URL(`${origin}/eve/fake`),
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pairs[0].cryptographicKey,
        assertionMethods: pairs.map((p) => p.multikey),
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === 'eve~fake' ? keys : []));
  federation.setInboxListeners('/ap/actors/{identifier}/inbox', '/ap/inbox');
  const actor = `${origin}/ap/actors/eve~fake`;
  const versionObject = `${origin}/ap/versions/1.0.0`;
  federation.setObjectDispatcher(Note, '/ap/versions/{version}', async (_ctx, values) =>
    values.version !== '1.0.0'
      ? null
      : Note.fromJsonLd({
          '@context': [
            'https://www.w3.org/ns/activitystreams',
            { andecha: 'https://andecha.org/ns#', andechaVersion: { '@id': 'andecha:version', '@type': '@json' } },
          ],
          id: versionObject,
          type: 'Note',
          attributedTo: actor,
          andechaVersion: {
            objectUri: versionObject,
            url: `${origin}/eve/fake/1.0.0`,
            version: '1.0.0',
            publishedAt: new Date().toISOString(),
            manifest: { version: '1.0.0' },
            files: [],
            forkedFrom,
          },
        }),
  );
  server.on('request', federationListener(federation, origin));
  return {
    host: new URL(origin).host,
    /** a fork notice signed with the actor's own key, POSTed to an inbox; the HTTP status */
    async notify(inbox: string, target: string): Promise<number> {
      const ctx = federation.createContext(new URL(origin), undefined);
      const activity = new Create({
        id: new URL(`${actor}#forked/${randomBytes(6).toString('hex')}`),
        actor: new URL(actor),
        object: new URL(actor),
        target: new URL(target),
        result: new URL(versionObject),
      });
      const body = JSON.stringify(await activity.toJsonLd({ contextLoader: ctx.contextLoader }));
      const request = await signRequest(
        new Request(inbox, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body }),
        keys[0].privateKey,
        new URL(`${actor}#main-key`),
      );
      return (await fetch(request)).status;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('forks across instances (two real instances)', () => {
  let a: Instance;
  let b: Instance;
  let ana: string;
  let bob: string;
  const home = () => `ana@${a.host}/brick-press`;

  beforeAll(async () => {
    // a busy shared machine: a first start (migrations on a fresh PGlite) can take well over a minute
    [a, b] = await Promise.all([
      startInstance({ readyTimeoutMs: 240_000 }),
      startInstance({ readyTimeoutMs: 240_000 }),
    ]);
    [ana, bob] = await Promise.all([registerOn(a, 'ana'), registerOn(b, 'bob')]);
    const created = await api(a, ana, 'POST', '/api/designs', {
      slug: 'brick-press',
      title: 'Brick press',
      licenses: { hardware: 'CERN-OHL-S-2.0' },
    });
    expect(created.status).toBe(201);
    await publishOn(a, ana, 'ana/brick-press', '1.0.0', 10);
    // the follow looks A up within 15 s: on a loaded shared machine A's first look-up (its keys made then) can miss
    // that, so it is asked again (a few times, each answer shown) until A answers
    let follow = { status: 0, body: undefined as unknown };
    for (let attempt = 0; attempt < 4 && follow.status !== 202; attempt++) {
      follow = await api(b, bob, 'POST', '/api/federation/follows', { target: `${a.url}/ana/brick-press` });
      if (follow.status !== 202) console.warn(`follow attempt ${attempt + 1}: ${JSON.stringify(follow.body)}`);
    }
    expect(follow.status, JSON.stringify(follow.body)).toBe(202);
    await eventually(
      async () => (await api(b, bob, 'GET', `/api/designs/${home()}/versions/1.0.0`)).status === 200,
      60_000,
      "B's verified copy of 1.0.0",
    );
  }, 400_000);

  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
  });

  it('B forks the mirrored design through the API: a local fork sharing its blobs, forkedFrom naming its home', async () => {
    const t0 = Date.now();
    const fork = await api(b, bob, 'POST', `/api/designs/${home()}/forks`, {
      version: '1.0.0',
      slug: 'brick-press-b',
      title: 'Brick press, lever version',
    });
    expect(fork.status, JSON.stringify(fork.body)).toBe(201);
    expect(fork.body).toMatchObject({
      owner: 'bob',
      slug: 'brick-press-b',
      forkedFrom: {
        url: `${a.url}/ana/brick-press/1.0.0`,
        owner: `ana@${a.host}`,
        slug: 'brick-press',
        version: '1.0.0',
        instance: a.host,
        ref: `${home()}@1.0.0`,
      },
      licenses: { hardware: 'CERN-OHL-S-2.0' },
    });
    expect(fork.body.origin).toBeUndefined();
    const mine = (await api(b, bob, 'GET', '/api/designs/bob/brick-press-b/versions/1.0.0')).body;
    const copy = (await api(b, bob, 'GET', `/api/designs/${home()}/versions/1.0.0`)).body;
    expect(mine.files.map((f: { sha256: string }) => f.sha256)).toEqual(
      copy.files.map((f: { sha256: string }) => f.sha256),
    );
    expect(mine.manifest['fork-of']).toBe(`${home()}@1.0.0`);
    // licence rules hold as for a local fork: share-alike cannot be dropped
    const closed = await api(b, bob, 'POST', `/api/designs/${home()}/forks`, {
      version: '1.0.0',
      slug: 'closed-press',
      licenses: { hardware: 'LicenseRef-Proprietary' },
    });
    expect(closed.status).toBe(422);
    expect((await api(b, bob, 'GET', '/api/designs/bob/closed-press')).status).toBe(404);

    // A is told: its lineage lists B's fork with B's instance and its web page there
    const lineage = await eventually(
      async () => {
        const l = (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/lineage')).body;
        return find(l.root, `bob@${b.host}`) ? l : undefined;
      },
      30_000,
      "B's fork in A's lineage",
    );
    console.log(`fork at B → listed in A's lineage: ${Date.now() - t0} ms`);
    expect(lineage.root.owner).toBe('ana');
    expect(lineage.root.children).toContainEqual(
      expect.objectContaining({
        owner: `bob@${b.host}`,
        slug: 'brick-press-b',
        instance: b.host,
        url: `${b.url}/bob/brick-press-b`,
        forkedFrom: 'ana/brick-press@1.0.0',
      }),
    );
    // … and A follows the fork (on behalf of the design's owner), so its versions are mirrored at A
    const mirrored = await eventually(
      async () => {
        const r = await api(a, undefined, 'GET', `/api/designs/bob@${b.host}/brick-press-b/versions/1.0.0`);
        return r.status === 200 ? r.body : undefined;
      },
      60_000,
      "A's copy of B's fork",
    );
    console.log(`fork at B → its version mirrored at A: ${Date.now() - t0} ms`);
    expect(mirrored.files[0].sha256).toBe(mine.files[0].sha256);
    const follows = (await api(a, ana, 'GET', '/api/federation/follows')).body.items;
    expect(follows).toContainEqual(
      expect.objectContaining({ design: { owner: `bob@${b.host}`, slug: 'brick-press-b' }, state: 'accepted' }),
    );
    // at A the mirror of the fork is a fork of A's design, as a local fork would be
    const forkAtA = (await api(a, undefined, 'GET', `/api/designs/bob@${b.host}/brick-press-b`)).body;
    expect(forkAtA).toMatchObject({ forkedFrom: 'ana/brick-press@1.0.0', origin: { instance: b.host } });
    // … and A's lead is told of it as of a local fork: once, by bob@B, pointing at the fork's page at A
    const forks = (await api(a, ana, 'GET', '/api/notifications')).body.items.filter(
      (n: { kind: string }) => n.kind === 'fork',
    );
    expect(forks).toEqual([
      expect.objectContaining({
        kind: 'fork',
        actor: expect.objectContaining({ handle: `bob@${b.host}` }),
        subject: expect.objectContaining({
          design: 'ana/brick-press',
          title: 'Brick press, lever version',
          url: `/${encodeURIComponent(`bob@${b.host}`)}/brick-press-b`,
        }),
      }),
    ]);
  }, 120_000);

  it("keeps A's lineage current: the fork's next version appears there", async () => {
    await publishOn(b, bob, 'bob/brick-press-b', '1.0.1', 12);
    await eventually(
      async () => {
        const l = (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/lineage')).body;
        return find(l.root, `bob@${b.host}`)?.versions.some((v) => v.version === '1.0.1');
      },
      60_000,
      "the fork's 1.0.1 in A's lineage",
    );
  }, 90_000);

  it('a fork kept local-only is unknown at A; made federated, it is announced and A lists it', async () => {
    const quiet = (l: { root: Node }) => l.root.children.find((c) => c.slug === 'brick-press-quiet');
    const lineage = async () => (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/lineage')).body;
    const fork = await api(b, bob, 'POST', `/api/designs/${home()}/forks`, {
      version: '1.0.0',
      slug: 'brick-press-quiet',
      federation: false,
    });
    expect(fork.status, JSON.stringify(fork.body)).toBe(201);
    expect(fork.body.federation).toBe(false);
    const actor = `${b.url}/ap/actors/bob~brick-press-quiet`;
    expect((await fetch(actor, { headers: { accept: 'application/activity+json' } })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 2000));
    expect(quiet(await lineage())).toBeUndefined();

    const t0 = Date.now();
    const federated = await api(b, bob, 'PATCH', '/api/designs/bob/brick-press-quiet', { federation: true });
    expect(federated.status).toBe(200);
    const listed = await eventually(async () => quiet(await lineage()), 30_000, 'the federated fork in A’s lineage');
    console.log(`local-only fork made federated at B → listed in A's lineage: ${Date.now() - t0} ms`);
    expect(listed).toMatchObject({ owner: `bob@${b.host}`, instance: b.host, forkedFrom: 'ana/brick-press@1.0.0' });
    // A's lead was told of it only now that it was announced
    const forks = (await api(a, ana, 'GET', '/api/notifications')).body.items.filter(
      (n: { kind: string }) => n.kind === 'fork',
    );
    expect(forks.map((n: { subject: { url: string } }) => n.subject.url).sort()).toEqual([
      `/${encodeURIComponent(`bob@${b.host}`)}/brick-press-b`,
      `/${encodeURIComponent(`bob@${b.host}`)}/brick-press-quiet`,
    ]);
  }, 60_000);

  it('A publishes a newer version: B’s fork shows the upstream notice, and its compare works across', async () => {
    const t0 = Date.now();
    await publishOn(a, ana, 'ana/brick-press', '1.1.0', 20);
    const upstream = await eventually(
      async () => (await api(b, bob, 'GET', '/api/designs/bob/brick-press-b')).body.upstream?.newer && true,
      60_000,
      'the upstream notice on B',
    ).then(async () => (await api(b, bob, 'GET', '/api/designs/bob/brick-press-b')).body.upstream);
    console.log(`publish at A → upstream notice on B's fork: ${Date.now() - t0} ms`);
    expect(upstream).toMatchObject({
      design: home(),
      base: `${home()}@1.0.0`,
      latest: `${home()}@1.1.0`,
      newer: true,
      message: 'upstream 1.1.0 is newer than your base 1.0.0',
    });
    const viaLink = await fetch(`${b.url}${upstream.compare}`).then((r) => r.json());
    expect(viaLink.from).toBe(`${home()}@1.0.0`);
    expect(viaLink.to).toBe(`${home()}@1.1.0`);
    expect(viaLink.files.changed.map((c: { path: string }) => c.path)).toEqual(['frame/base.stl']);

    // the contract's form: a mirrored version against the fork's own
    const q = new URLSearchParams({ from: `${home()}@1.1.0`, to: '1.0.0' });
    const compare = await api(b, undefined, 'GET', `/api/designs/bob/brick-press-b/compare?${q}`);
    expect(compare.status, JSON.stringify(compare.body)).toBe(200);
    expect(compare.body).toMatchObject({ from: `${home()}@1.1.0`, to: 'bob/brick-press-b@1.0.0' });
    expect(compare.body.files.changed).toEqual([expect.objectContaining({ path: 'frame/base.stl' })]);
    // the BOM line that scales with the plate: 2 plates in A's 1.1.0, 1 in the fork's 1.0.0
    expect(compare.body.bom.changed).toEqual([
      expect.objectContaining({ name: 'Frame plate', changes: { quantity: { from: '2', to: '1' } } }),
    ]);
    expect(compare.body.bom.unchanged).toBe(1);
    const [geometry] = compare.body.geometry;
    expect(geometry.path).toBe('frame/base.stl');
    expect(geometry.images.diff).toBe(
      `/api/designs/bob/brick-press-b/compare/visual?${new URLSearchParams({ ...Object.fromEntries(q), path: 'frame/base.stl' })}`,
    );
    // the visual diff behind that link is drawn from the two local copies (202 while the job runs)
    const diff = await eventually(
      async () => {
        const r = await fetch(`${b.url}${geometry.images.diff}`);
        return r.status === 200 ? r : undefined;
      },
      60_000,
      'the visual diff across',
    );
    expect(diff.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await diff.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const md = await fetch(`${b.url}/api/designs/bob/brick-press-b/compare?${q}&format=md`).then((r) => r.text());
    expect(md).toContain('frame/base.stl');
  }, 120_000);

  it('refuses a forged fork notice (401); ignores notices naming no design of A, a version the fork does not name, or from a blocked instance', async () => {
    const lineage = async () => (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/lineage')).body;
    const before = await lineage();
    const inbox = `${a.url}/ap/actors/ana~brick-press/inbox`;
    const forged = JSON.stringify({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${b.url}/ap/actors/bob~brick-press-b#forked/forged`,
      type: 'Create',
      actor: `${b.url}/ap/actors/bob~brick-press-b`,
      object: `${b.url}/ap/actors/bob~brick-press-b`,
      target: `${a.url}/ap/designs/ana/brick-press/versions/1.1.0`,
    });
    const misSigned = await fetch(inbox, {
      method: 'POST',
      headers: {
        'content-type': 'application/activity+json',
        date: new Date().toUTCString(),
        signature: `keyId="${b.url}/ap/actors/bob~brick-press-b#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="${randomBytes(256).toString('base64')}"`,
      },
      body: forged,
    });
    expect(misSigned.status).toBe(401);

    const eve = await startThirdParty(`${a.url}/ap/designs/ana/brick-press/versions/1.0.0`);
    try {
      const eveFork = `/api/designs/eve@${eve.host}/fake`;
      // signed by its own key, but naming a design A does not have
      expect([200, 202]).toContain(await eve.notify(inbox, `${a.url}/ap/designs/ana/no-such-press/versions/1.0.0`));
      expect(await eve.notify(inbox, `${a.url}/ap/designs/ana/brick-press/versions/9.9.9`)).toBeLessThan(300);
      // a version A has, but not the one eve's own version object says it was forked from
      expect(await eve.notify(inbox, `${a.url}/ap/designs/ana/brick-press/versions/1.1.0`)).toBeLessThan(300);
      // from an instance A blocked
      expect((await api(a, ana, 'POST', '/api/admin/federation/blocks', { host: eve.host })).status).toBe(201);
      expect(await eve.notify(inbox, `${a.url}/ap/designs/ana/brick-press/versions/1.0.0`)).toBe(403);
      await new Promise((r) => setTimeout(r, 2500));
      expect(await lineage()).toEqual(before);
      expect((await api(a, ana, 'GET', eveFork)).status).toBe(404);

      // the control: the same notice once unblocked is taken, so the ones above were refused for their reason
      expect((await api(a, ana, 'DELETE', `/api/admin/federation/blocks/${encodeURIComponent(eve.host)}`)).status).toBe(
        204,
      );
      expect(await eve.notify(inbox, `${a.url}/ap/designs/ana/brick-press/versions/1.0.0`)).toBeLessThan(300);
      await eventually(
        async () => find((await lineage()).root, `eve@${eve.host}`),
        30_000,
        "the third party's notice, once unblocked",
      );
    } finally {
      await eve.close();
    }
  }, 90_000);
});
