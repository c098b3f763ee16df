// Two real Andecha instances as separate processes on loopback ports (their own data folders and databases),
// and an independent client process built only on Fedify: discovery (WebFinger, NodeInfo, actors, content
// negotiation), following by handle, forged signatures refused, a blocked instance ignored, and a fediverse
// follower that receives each new version in its inbox.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiOn,
  instanceDatabase,
  publishVersionOn,
  registerOn,
  startInstances,
  type Instance,
} from '../helpers/instances.js';
import { freePort } from '../helpers/free-port.js';
import { eventually } from '../helpers/eventually.js';

const root = new URL('../..', import.meta.url).pathname;
const activityJson = { accept: 'application/activity+json' };
const metricsToken = 'network-test-metrics';

/** One sample of A's /metrics (0 when the series is not there yet). */
async function metricOf(instance: Instance, name: string, labels = ''): Promise<number> {
  const text = await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } }).then(
    (r) => r.text(),
  );
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

const api = apiOn;

/** A one-file version (a tiny ASCII STL whose bytes name the version) of one of ana's designs. */
const publishOn = (instance: Instance, token: string, owner: string, slug: string, version: string) =>
  publishVersionOn(instance, token, `${owner}/${slug}`, { version, changelog: `Version ${version}` }, [
    { path: 'frame/base.stl', bytes: `solid ${version}\nendsolid\n` },
  ]);

describe('the network: real instances and an independent Fedify client', () => {
  let a: Instance;
  let b: Instance;
  let pgA: Awaited<ReturnType<typeof instanceDatabase>>;
  let ana: string;
  let bo: string;

  beforeAll(async () => {
    pgA = await instanceDatabase();
    [a, b] = await startInstances({ databaseUrl: pgA.url, env: { ANDECHA_METRICS_TOKEN: metricsToken } }, {});
    ana = await registerOn(a, 'ana'); // first account: A's admin
    bo = await registerOn(b, 'bo');
    for (const slug of ['brick-press', 'soil-sifter', 'block-mould'])
      expect((await api(a, ana, 'POST', '/api/designs', { slug, title: `The ${slug}` })).status).toBe(201);
    await publishOn(a, ana, 'ana', 'brick-press', '1.0.0');
  });

  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await pgA?.drop();
  });

  it('answers WebFinger for people and designs, NodeInfo 2.1, and ActivityPub on its web pages', async () => {
    const wf = (resource: string) =>
      fetch(`${a.url}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`).then((r) => r.json());
    const person = await wf(`acct:ana@${a.host}`);
    expect(person.links).toContainEqual(
      expect.objectContaining({ rel: 'self', href: `${a.url}/ap/actors/ana`, type: 'application/activity+json' }),
    );
    const design = await wf(`acct:ana~brick-press@${a.host}`);
    expect(design.subject).toBe(`acct:ana~brick-press@${a.host}`);
    expect(design.links).toContainEqual(
      expect.objectContaining({ rel: 'self', href: `${a.url}/ap/actors/ana~brick-press` }),
    );
    expect((await fetch(`${a.url}/.well-known/webfinger?resource=acct:nobody~none@${a.host}`)).status).toBe(404);

    const links = await fetch(`${a.url}/.well-known/nodeinfo`).then((r) => r.json());
    const nodeinfo = await fetch(links.links[0].href).then((r) => r.json());
    expect(nodeinfo).toMatchObject({ version: '2.1', software: { name: 'andecha' }, protocols: ['activitypub'] });
    expect(nodeinfo.usage.users.total).toBe(1);

    // the web page asked for as ActivityPub redirects to the actor; as HTML it stays the web app
    const page = await fetch(`${a.url}/ana/brick-press`, { headers: activityJson, redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`${a.url}/ap/actors/ana~brick-press`);
    const ld = await fetch(`${a.url}/ana/brick-press`, {
      headers: { accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' },
    });
    expect(ld.headers.get('content-type')).toMatch(/activity\+json|ld\+json/);
    const actor = await ld.json();
    expect(actor).toMatchObject({
      id: `${a.url}/ap/actors/ana~brick-press`,
      type: 'Service',
      name: 'The brick-press',
      url: `${a.url}/ana/brick-press`,
      preferredUsername: 'ana~brick-press',
      outbox: `${a.url}/ap/actors/ana~brick-press/outbox`,
    });
    expect(actor.icon.url).toBe(`${a.url}/api/designs/ana/brick-press/versions/1.0.0/thumbnail`);
    expect(actor.publicKey.publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    const html = await fetch(`${a.url}/ana/brick-press`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const personDoc = await fetch(`${a.url}/ana`, { headers: activityJson }).then((r) => r.json());
    expect(personDoc).toMatchObject({ type: 'Person', id: `${a.url}/ap/actors/ana` });
    // the outbox: one Create per version, its Note carrying the Andecha extension
    const outbox = await fetch(`${a.url}/ap/actors/ana~brick-press/outbox`, { headers: activityJson }).then((r) =>
      r.json(),
    );
    expect(outbox.totalItems).toBe(1);
    const page0 = await fetch(outbox.first, { headers: activityJson }).then((r) => r.json());
    expect(page0.orderedItems[0]).toMatchObject({
      type: 'Create',
      object: { type: 'Note', url: `${a.url}/ana/brick-press/1.0.0` },
    });
    expect(page0.orderedItems[0].object.andechaVersion.files[0]).toMatchObject({
      path: 'frame/base.stl',
      size: 'solid 1.0.0\nendsolid\n'.length,
    });
  });

  it('B follows a design by handle: accepted; following it again answers the same follow', async () => {
    const r = await api(b, bo, 'POST', '/api/federation/follows', { target: `ana~soil-sifter@${a.host}` });
    expect(r.status).toBe(202);
    expect(r.body.design).toEqual({ owner: `ana@${a.host}`, slug: 'soil-sifter' });
    await eventually(
      async () => (await api(b, bo, 'GET', '/api/federation/follows')).body.items[0]?.state === 'accepted',
      30_000,
      'the Accept',
    );
    const again = await api(b, bo, 'POST', '/api/federation/follows', { target: `${a.url}/ana/soil-sifter` });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(r.body.id);
  });

  it('B, down while A published, gets the version once it is back (A retries from its queue) and mirrors it', async () => {
    const delivered = (outcome: string) => metricOf(a, 'andecha_federation_deliveries_total', `{outcome="${outcome}"}`);
    const [deliveredBefore, retriesBefore] = [await delivered('delivered'), await delivered('retry')];
    // the Follow of the previous test was received and handled
    expect(await metricOf(a, 'andecha_federation_received_activities_total', '{type="Follow"}')).toBeGreaterThan(0);
    await b.stop();
    await publishOn(a, ana, 'ana', 'soil-sifter', '1.0.0');
    await new Promise((r) => setTimeout(r, 1500));
    await b.restart();
    const copy = `${b.url}/api/designs/ana@${a.host}/soil-sifter/versions/1.0.0/files/frame/base.stl`;
    const bytes = await eventually(
      async () => {
        const r = await fetch(copy);
        return r.ok ? Buffer.from(await r.arrayBuffer()) : undefined;
      },
      60_000,
      "B's copy of soil-sifter 1.0.0",
    );
    expect(bytes.toString()).toBe('solid 1.0.0\nendsolid\n');
    // A's metrics: the delivery failed while B was down (queued again), then went through
    expect(await delivered('retry')).toBeGreaterThan(retriesBefore);
    await eventually(async () => (await delivered('delivered')) > deliveredBefore, 10_000, 'a delivered count');
    expect(await metricOf(a, 'andecha_federation_queue_depth')).toBeGreaterThanOrEqual(0);
  });

  it('refuses unsigned and mis-signed activities with 401 and changes nothing', async () => {
    const followers = () =>
      fetch(`${a.url}/ap/actors/ana~block-mould/followers`, { headers: activityJson }).then((r) => r.json());
    const forgedFollow = JSON.stringify({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${b.url}/ap/actors/_instance#follows/forged`,
      type: 'Follow',
      actor: `${b.url}/ap/actors/_instance`,
      object: `${a.url}/ap/actors/ana~block-mould`,
    });
    const inbox = `${a.url}/ap/actors/ana~block-mould/inbox`;
    const unsigned = await fetch(inbox, {
      method: 'POST',
      headers: { 'content-type': 'application/activity+json' },
      body: forgedFollow,
    });
    expect(unsigned.status).toBe(401);
    // a signature that claims B's instance key but was not made with it
    const misSigned = await fetch(inbox, {
      method: 'POST',
      headers: {
        'content-type': 'application/activity+json',
        date: new Date().toUTCString(),
        signature: `keyId="${b.url}/ap/actors/_instance#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="${randomBytes(256).toString('base64')}"`,
      },
      body: forgedFollow,
    });
    expect(misSigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await followers()).totalItems).toBe(0);
  });

  it("ignores a blocked instance: its follow never reaches the design's followers", async () => {
    const block = await api(a, ana, 'POST', '/api/admin/federation/blocks', { host: b.host });
    expect(block.status).toBe(201);
    expect((await api(a, ana, 'GET', '/api/admin/federation/blocks')).body.items).toEqual([
      { host: b.host, createdAt: expect.any(String) },
    ]);
    expect(
      (await api(a, bo === ana ? ana : await registerOn(a, 'eve'), 'GET', '/api/admin/federation/blocks')).status,
    ).toBe(403);
    const r = await api(b, bo, 'POST', '/api/federation/follows', { target: `${a.url}/ana/block-mould` });
    expect(r.status).toBe(202);
    await new Promise((res) => setTimeout(res, 3000));
    const followers = await fetch(`${a.url}/ap/actors/ana~block-mould/followers`, { headers: activityJson }).then((x) =>
      x.json(),
    );
    expect(followers.totalItems).toBe(0);
    expect(
      (await api(b, bo, 'GET', '/api/federation/follows')).body.items.find(
        (f: { design: { slug: string } }) => f.design.slug === 'block-mould',
      ).state,
    ).toBe('pending');
    expect((await api(a, ana, 'DELETE', `/api/admin/federation/blocks/${encodeURIComponent(b.host)}`)).status).toBe(
      204,
    );
  });

  it('an independent Fedify client looks up a person, a design and a version, follows, and receives the next version', async () => {
    const port = await freePort();
    const client: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/federation/independent-client.ts', String(port), a.url, 'ana', 'brick-press', '1.0.0'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: Record<string, string>[] = [];
    let err = '';
    let buffered = '';
    client.stdout!.on('data', (d) => {
      buffered += d;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
    });
    client.stderr!.on('data', (d) => (err += d));
    const event = (name: string) =>
      eventually(
        () => lines.find((l) => l.event === name),
        30_000,
        `the client's ${name} (stderr: ${err.slice(-500)})`,
      );
    try {
      // asked by the actor's URL, WebFinger names its handle among the aliases
      expect(await event('webfinger')).toMatchObject({
        aliases: expect.arrayContaining([`acct:ana~brick-press@${a.host}`]),
        self: `${a.url}/ap/actors/ana~brick-press`,
      });
      expect(await event('person')).toMatchObject({ type: 'Person', id: `${a.url}/ap/actors/ana` });
      expect(await event('design')).toMatchObject({ type: 'Service', id: `${a.url}/ap/actors/ana~brick-press` });
      expect(await event('version')).toMatchObject({
        type: 'Note',
        id: `${a.url}/ap/designs/ana/brick-press/versions/1.0.0`,
      });
      expect(await event('accept')).toMatchObject({ actor: `${a.url}/ap/actors/ana~brick-press` });
      await publishOn(a, ana, 'ana', 'brick-press', '1.1.0');
      const created = await event('create');
      expect(created).toMatchObject({
        actor: `${a.url}/ap/actors/ana~brick-press`,
        objectId: `${a.url}/ap/designs/ana/brick-press/versions/1.1.0`,
        type: 'Note',
      });
      expect(created.content).toContain(`${a.url}/ana/brick-press/1.1.0`);
    } finally {
      client.kill('SIGTERM');
    }
  });
});
