// Discussions across instances, on two real instances (processes on loopback): B mirrors A's design. A question
// asked on A about a version arrives on B's mirror attributed to its asker at A; a reply posted on B reaches A
// attributed bob@B; the answer A's lead marks shows on B. A Mastodon-shaped Note (plain JSON-LD signed by a test
// actor) in reply to the version post becomes a question about that version on A, once however often delivered,
// and a Note in reply to that question becomes its reply. Once A blocks that server, nothing of it shows there.
// A question asked on B's mirror reaches A as bob@B's (title, kind and version kept, A's lead told) and comes back to
// B as the same thread (bob's edit on B reaches A too); a moderator's hide of a whole thread at A hides B's copy, and a restore shows it again
// (unless B's own admin took it down).
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  Create,
  Endpoints,
  MemoryKvStore,
  Note,
  Person,
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

/** A fediverse server in this process with one person, `mallory`, who posts Notes as Mastodon does. */
async function startFediverse() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const keys = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), await generateCryptoKeyPair('Ed25519')];
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
  federation.setInboxListeners('/users/{identifier}/inbox', '/inbox');
  const listener = federationListener(federation, url);
  const server: Server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const actor = new URL(`${url}/users/mallory`);
  return {
    host: `127.0.0.1:${port}`,
    /** a Create of a Note by mallory in reply to `inReplyTo`, delivered to `inbox`; the Note's id */
    async post(inbox: string, inReplyTo: string, content: string, id = `${url}/statuses/${randomUUID()}`) {
      const ctx = federation.createContext(new URL(url), undefined);
      await ctx.sendActivity(
        { identifier: 'mallory' },
        { id: new URL(inbox), inboxId: new URL(inbox), endpoints: null },
        new Create({
          id: new URL(`${id}/activity`),
          actor,
          object: new Note({ id: new URL(id), attribution: actor, replyTarget: new URL(inReplyTo), content }),
        }),
      );
      return id;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('discussions across instances (two real instances)', () => {
  let a: Instance;
  let b: Instance;
  let dropA: () => Promise<void>;
  let fediverse: Awaited<ReturnType<typeof startFediverse>>;
  let ana: string;
  let mo: string;
  let bob: string;
  const mirror = () => `ana@${a.host}/brick-press`;

  beforeAll(async () => {
    // A runs on PostgreSQL when the run has one, B on PGlite
    const db = await instanceDatabase();
    dropA = db.drop;
    [a, b] = await startInstances({ readyTimeoutMs: 240_000, databaseUrl: db.url }, { readyTimeoutMs: 240_000 });
    fediverse = await startFediverse();
    // the first account of an instance is its admin: ana blocks an instance below
    ana = await registerOn(a, 'ana');
    [mo, bob] = await Promise.all([registerOn(a, 'mo'), registerOn(b, 'bob')]);
    const created = await api(a, ana, 'POST', '/api/designs', {
      slug: 'brick-press',
      title: 'Brick press',
      licenses: { hardware: 'CERN-OHL-S-2.0' },
    });
    expect(created.status).toBe(201);
    await publishVersionOn(a, ana, 'ana/brick-press', { version: '1.0.0' }, [
      { path: 'frame/base.stl', bytes: cubeStl(10) },
    ]);
    // the follow looks A up within 15 s: on a loaded shared machine A's first look-up (its keys made then) can miss
    // that, so it is asked again (a few times, each answer shown) until A answers
    let follow = { status: 0, body: undefined as unknown };
    for (let attempt = 0; attempt < 4 && follow.status !== 202; attempt++) {
      follow = await api(b, bob, 'POST', '/api/federation/follows', { target: `${a.url}/ana/brick-press` });
      if (follow.status !== 202) console.warn(`follow attempt ${attempt + 1}: ${JSON.stringify(follow.body)}`);
    }
    expect(follow.status, JSON.stringify(follow.body)).toBe(202);
    await eventually(
      async () => (await api(b, bob, 'GET', `/api/designs/${mirror()}/versions/1.0.0`)).status === 200,
      90_000,
      "B's verified copy of 1.0.0",
    );
  }, 400_000);

  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose(), fediverse?.close()]);
    await dropA?.();
  });

  let onA: string;
  let onB: string;
  let replyOnB: string;

  it("a question asked on A arrives on B's mirror, attached to the version, attributed to its asker at A", async () => {
    const asked = await api(a, mo, 'POST', '/api/designs/ana/brick-press/discussions', {
      title: 'Which bolt grade for the chamber?',
      body: 'The **chamber** bolts: 8.8 or 10.9?',
      kind: 'question',
      version: '1.0.0',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    onA = asked.body.id;
    const item = await eventually(
      async () => (await api(b, undefined, 'GET', `/api/designs/${mirror()}/discussions`)).body.items?.[0],
      60_000,
      'the question on B',
    );
    expect(item).toMatchObject({
      title: 'Which bolt grade for the chamber?',
      kind: 'question',
      state: 'open',
      version: '1.0.0',
      author: { handle: `mo@${a.host}` },
    });
    onB = item.id;
    const read = await api(b, undefined, 'GET', `/api/discussions/${onB}`);
    expect(read.body.html).toContain('<strong>chamber</strong>');
  });

  it('a reply posted on B reaches A attributed bob@B; the answer marked on A shows on B', async () => {
    const replied = await api(b, bob, 'POST', `/api/discussions/${onB}/replies`, { body: '10.9, torqued to 80 Nm' });
    expect(replied.status, JSON.stringify(replied.body)).toBe(201);
    replyOnB = replied.body.id;
    const reply = await eventually(
      async () => (await api(a, undefined, 'GET', `/api/discussions/${onA}`)).body.replies?.[0],
      60_000,
      "bob's reply on A",
    );
    expect(reply).toMatchObject({ author: { handle: `bob@${b.host}` }, body: '10.9, torqued to 80 Nm' });
    // mo, who asked, hears of it
    const told = await api(a, mo, 'GET', '/api/notifications');
    expect(told.body.items.map((n: { kind: string }) => n.kind)).toContain('reply');

    const answered = await api(a, ana, 'POST', `/api/discussions/${onA}/answer`, { reply: reply.id });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    const onMirror = await eventually(
      async () => {
        const d = (await api(b, undefined, 'GET', `/api/discussions/${onB}`)).body;
        return d.state === 'answered' ? d : undefined;
      },
      60_000,
      'the answer on B',
    );
    expect(onMirror.answer).toBe(replyOnB);
    // B's own reply came back relayed from A: it is there once
    expect(onMirror.replies).toHaveLength(1);
  });

  it('a Mastodon-shaped Note in reply to the version post becomes a question about it, once; a Note answers it', async () => {
    const versionPost = `${a.url}/ap/designs/ana/brick-press/versions/1.0.0`;
    const inbox = `${a.url}/ap/inbox`;
    const note = await fediverse.post(
      inbox,
      versionPost,
      '<p>Does the frame take <a href="x">M10</a> rods?</p><p>Mine are <b>10 mm</b>.</p><script>alert(1)</script>',
    );
    const asked = await eventually(
      async () =>
        (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/discussions')).body.items.find(
          (d: { author: { handle: string } }) => d.author.handle === `mallory@${fediverse.host}`,
        ),
      60_000,
      "mallory's question on A",
    );
    expect(asked).toMatchObject({ title: 'Does the frame take M10 rods?', kind: 'question', version: '1.0.0' });
    expect(asked.html).not.toContain('<script');
    // the same Note again adds nothing
    await fediverse.post(inbox, versionPost, '<p>Does the frame take M10 rods?</p>', note);
    const answer = await fediverse.post(inbox, `${a.url}/ap/discussions/${asked.id}`, '<p>Answering myself: yes.</p>');
    const replies = await eventually(
      async () => {
        const d = (await api(a, undefined, 'GET', `/api/discussions/${asked.id}`)).body;
        return d.replies.length ? d.replies : undefined;
      },
      60_000,
      "mallory's reply on A",
    );
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      body: 'Answering myself: yes.',
      author: { handle: `mallory@${fediverse.host}` },
    });
    await fediverse.post(inbox, `${a.url}/ap/discussions/${asked.id}`, '<p>Answering myself: yes.</p>', answer);
    const listed = await api(a, undefined, 'GET', '/api/designs/ana/brick-press/discussions');
    expect(
      listed.body.items.filter((d: { author: { handle: string } }) => d.author.handle === `mallory@${fediverse.host}`),
    ).toHaveLength(1);
    expect((await api(a, undefined, 'GET', `/api/discussions/${asked.id}`)).body.replies).toHaveLength(1);
    // and it reaches B's mirror as a question of A's thread
    await eventually(
      async () =>
        (await api(b, undefined, 'GET', `/api/designs/${mirror()}/discussions`)).body.items.some(
          (d: { title: string }) => d.title === 'Does the frame take M10 rods?',
        ),
      60_000,
      "mallory's question on B's mirror",
    );
  });

  it("a blocked instance's Notes are refused and what it wrote before no longer shows", async () => {
    const listed = await api(a, undefined, 'GET', '/api/designs/ana/brick-press/discussions');
    const fromMallory = listed.body.items.find(
      (d: { author: { handle: string } }) => d.author.handle === `mallory@${fediverse.host}`,
    );
    // mallory replies to mo's question, which shows, before the block
    await fediverse.post(`${a.url}/ap/inbox`, `${a.url}/ap/discussions/${onA}`, '<p>Use 12.9, trust me</p>');
    await eventually(
      async () => (await api(a, undefined, 'GET', `/api/discussions/${onA}`)).body.replies.length === 2,
      60_000,
      "mallory's reply to mo's question on A",
    );
    const blocked = await api(a, ana, 'POST', '/api/admin/federation/blocks', { host: fediverse.host });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(201);

    const thread = (await api(a, undefined, 'GET', `/api/discussions/${onA}`)).body;
    expect(thread.replies.map((r: { author: { handle: string } }) => r.author.handle)).toEqual([`bob@${b.host}`]);
    expect(thread.replyCount).toBe(1);
    expect((await api(a, undefined, 'GET', `/api/discussions/${fromMallory.id}`)).status).toBe(404);
    const after = await api(a, undefined, 'GET', '/api/designs/ana/brick-press/discussions');
    expect(after.body.items.map((d: { id: string }) => d.id)).not.toContain(fromMallory.id);

    // a new Note from there is refused at the inbox and never appears
    await expect(
      fediverse.post(`${a.url}/ap/inbox`, `${a.url}/ap/discussions/${onA}`, '<p>Blocked, still talking</p>'),
    ).rejects.toThrow();
    const unblocked = await api(a, ana, 'DELETE', `/api/admin/federation/blocks/${encodeURIComponent(fediverse.host)}`);
    expect(unblocked.status).toBeLessThan(300);
    const shown = (await api(a, undefined, 'GET', `/api/discussions/${onA}`)).body.replies;
    expect(shown.map((r: { body: string }) => r.body)).toEqual(['10.9, torqued to 80 Nm', 'Use 12.9, trust me']);
  });

  let askedOnB: string;
  let askedOnA: string;

  it("a question asked on B's mirror reaches A attributed bob@B, A's lead is told, and B keeps one thread", async () => {
    const asked = await api(b, bob, 'POST', `/api/designs/${mirror()}/discussions`, {
      title: 'Could the lever be 60 cm?',
      body: 'A **longer** lever would halve the force.',
      kind: 'idea',
      version: '1.0.0',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    // shown at once where it was asked, on its way to the design's home
    expect(asked.body).toMatchObject({
      title: 'Could the lever be 60 cm?',
      kind: 'idea',
      version: '1.0.0',
      author: { handle: 'bob' },
      delivery: 'queued',
    });
    askedOnB = asked.body.id;
    const atA = await eventually(
      async () =>
        (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/discussions')).body.items.find(
          (d: { title: string }) => d.title === 'Could the lever be 60 cm?',
        ),
      60_000,
      "bob's question on A",
    );
    expect(atA).toMatchObject({
      kind: 'idea',
      version: '1.0.0',
      author: { handle: `bob@${b.host}` },
      body: 'A **longer** lever would halve the force.',
    });
    expect(atA.html).toContain('<strong>longer</strong>');
    expect(atA.delivery).toBeUndefined();
    askedOnA = atA.id;
    // A's lead hears of it as of a question asked at A
    const told = (await api(a, ana, 'GET', '/api/notifications')).body.items;
    expect(told).toContainEqual(
      expect.objectContaining({ kind: 'discussion', subject: expect.objectContaining({ id: askedOnA }) }),
    );
    // A's copy comes back to B: the same thread, delivered, not a second one
    await eventually(
      async () => (await api(b, bob, 'GET', `/api/discussions/${askedOnB}`)).body.delivery === 'delivered',
      60_000,
      'the question delivered on B',
    );
    const onMirror = (await api(b, undefined, 'GET', `/api/designs/${mirror()}/discussions`)).body.items;
    expect(onMirror.filter((d: { title: string }) => d.title === 'Could the lever be 60 cm?')).toHaveLength(1);
    // coming back is not an edit: B's copy does not say "edited" until bob edits it
    expect((await api(b, bob, 'GET', `/api/discussions/${askedOnB}`)).body.edited).toBe(false);

    // bob edits it on B within the edit window: A's copy follows, keeping what it said before
    const edited = await api(b, bob, 'PATCH', `/api/discussions/${askedOnB}`, {
      body: 'A **longer** lever would halve the force. Tried at 60 cm.',
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await eventually(
      async () => (await api(a, undefined, 'GET', `/api/discussions/${askedOnA}`)).body.body.endsWith('at 60 cm.'),
      60_000,
      "bob's edit on A",
    );
    const history = await api(a, undefined, 'GET', `/api/discussions/${askedOnA}/history`);
    expect(JSON.stringify(history.body)).toContain('A **longer** lever would halve the force.');

    // A's lead answers at A: the reply lands in B's thread, which is now A's
    const replied = await api(a, ana, 'POST', `/api/discussions/${askedOnA}/replies`, {
      body: 'Yes, with a 40 mm tube.',
    });
    expect(replied.status).toBe(201);
    const reply = await eventually(
      async () => (await api(b, undefined, 'GET', `/api/discussions/${askedOnB}`)).body.replies?.[0],
      60_000,
      "ana's reply in B's thread",
    );
    expect(reply).toMatchObject({ author: { handle: `ana@${a.host}` }, body: 'Yes, with a 40 mm tube.' });
    // bob, who asked on B, hears of it there
    const bobTold = (await api(b, bob, 'GET', '/api/notifications')).body.items;
    expect(bobTold.map((n: { kind: string }) => n.kind)).toContain('reply');

    // a question about the whole design (no version) is addressed to the design's actor
    const whole = await api(b, bob, 'POST', `/api/designs/${mirror()}/discussions`, {
      title: 'Is there a metric drawing set?',
      body: 'All sizes in mm, please.',
      kind: 'problem',
    });
    expect(whole.status, JSON.stringify(whole.body)).toBe(201);
    const wholeAtA = await eventually(
      async () =>
        (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/discussions')).body.items.find(
          (d: { title: string }) => d.title === 'Is there a metric drawing set?',
        ),
      60_000,
      "bob's question about the whole design on A",
    );
    expect(wholeAtA).toMatchObject({ kind: 'problem', version: null, author: { handle: `bob@${b.host}` } });
  });

  it("a moderator's hide of the whole thread at A hides it on B; restored, it shows again unless B took it down", async () => {
    const report = await api(a, mo, 'POST', '/api/reports', {
      subject: 'discussion',
      id: askedOnA,
      reason: 'spam',
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const hidden = await api(a, ana, 'POST', `/api/admin/reports/${report.body.id}/resolve`, { action: 'hide' });
    expect(hidden.status, JSON.stringify(hidden.body)).toBe(200);
    await eventually(
      async () => (await api(b, undefined, 'GET', `/api/discussions/${askedOnB}`)).status === 404,
      60_000,
      'the thread hidden on B',
    );
    const listed = (await api(b, undefined, 'GET', `/api/designs/${mirror()}/discussions`)).body.items;
    expect(listed.map((d: { id: string }) => d.id)).not.toContain(askedOnB);

    const restored = await api(a, ana, 'POST', `/api/admin/reports/${report.body.id}/resolve`, { action: 'restore' });
    expect(restored.status).toBe(200);
    await eventually(
      async () => (await api(b, undefined, 'GET', `/api/discussions/${askedOnB}`)).status === 200,
      60_000,
      'the thread shown again on B',
    );

    // B's own admin (bob, its first account) takes the copy down: what A says later does not show it again
    const local = await api(b, bob, 'POST', '/api/reports', {
      subject: 'discussion',
      id: askedOnB,
      reason: 'off-topic',
    });
    expect(local.status).toBe(201);
    expect((await api(b, bob, 'POST', `/api/admin/reports/${local.body.id}/resolve`, { action: 'hide' })).status).toBe(
      200,
    );
    expect((await api(a, ana, 'POST', `/api/discussions/${askedOnA}/lock`)).status).toBe(200);
    const copy = await eventually(
      async () => {
        const d = (await api(b, bob, 'GET', `/api/discussions/${askedOnB}`)).body;
        return d.locked ? d : undefined;
      },
      60_000,
      "A's lock on B's copy",
    );
    expect(copy.hidden).toBe(true);
    expect(copy.body).toBe('A **longer** lever would halve the force. Tried at 60 cm.');
    expect((await api(b, undefined, 'GET', `/api/discussions/${askedOnB}`)).status).toBe(404);
  });
});
