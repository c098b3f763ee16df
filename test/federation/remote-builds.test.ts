// Build reports and reviews across instances, on two real instances (separate processes on loopback): B mirrors A's
// design; a workshop member on B reports a build with a photo (with GPS in its EXIF); it reaches A's review queue with
// its author bob@B and workshop {slug, instance, place}, its photo fetched from B and verified; A's lead approves and
// B shows it; a request for changes goes back, and B's resubmission returns to A's queue; A's field data counts the
// approved report and B's mirror shows the same. Then what must be refused: a forged report, a review from an
// instance that is not the design's home, and a remote account on a local route. Prints the loopback timings.
import { createServer, type Server } from 'node:http';
import sharp from 'sharp';
import {
  Create,
  Endpoints,
  MemoryKvStore,
  Note,
  Offer,
  Person,
  Update,
  createFederation,
  generateCryptoKeyPair,
  type Federation,
} from '@fedify/fedify';
import { federationListener } from '../helpers/fedify-server.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOn, registerOn, startInstance, type Instance } from '../helpers/instances.js';
import { freePort } from '../helpers/free-port.js';
import { jpegWithGps, hasGpsPointer } from '../fixtures/photos.js';
import { eventually } from '../helpers/eventually.js';
import { pageTexts } from '../helpers/pdf-text.js';

const bomCsv =
  'Part Number,Description,Qty,Unit,Unit Cost,Currency,Process\nFR-01,Frame,1,pcs,40,EUR,welding\nBL-M12,Bolt M12x40,16,pcs,0.5,EUR,\n';

const api = apiOn;

async function report(b: Instance, token: string, ref: string, body: unknown, photos: Buffer[] = []) {
  const fd = new FormData();
  fd.append('report', JSON.stringify(body));
  photos.forEach((p, i) =>
    fd.append('photos', new Blob([new Uint8Array(p)], { type: 'image/jpeg' }), `photo-${i + 1}.jpg`),
  );
  const res = await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0/builds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: fd,
  });
  return { status: res.status, body: await res.json() };
}

/** A rogue instance in this process: its own actor and keys, signing whatever the test makes it send. */
async function startRogue(): Promise<{ url: string; federation: Federation<void>; close(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const keys = [await generateCryptoKeyPair('RSASSA-PKCS1-v1_5'), await generateCryptoKeyPair('Ed25519')];
  const federation = createFederation<void>({
    kv: new MemoryKvStore(),
    // no queue: every send is made at once, and a refusal is thrown where the test can see it
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
  const server: Server = createServer(federationListener(federation, url));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { url, federation, close: () => new Promise((r) => server.close(() => r())) };
}

describe('build reports and reviews across instances', () => {
  let a: Instance;
  let b: Instance;
  let ana: string;
  let mo: string;
  let bob: string;
  let ref: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startInstance({ readyTimeoutMs: 150_000 }),
      startInstance({ readyTimeoutMs: 150_000 }),
    ]);
    [ana, bob] = await Promise.all([registerOn(a, 'ana'), registerOn(b, 'bob')]);
    mo = await registerOn(a, 'mo');
    expect((await api(a, ana, 'POST', '/api/designs', { slug: 'brick-press', title: 'Brick press' })).status).toBe(201);
    const fd = new FormData();
    fd.append('manifest', JSON.stringify({ version: '1.0.0' }));
    fd.append('files', new Blob(['solid p\nendsolid\n']), 'frame.stl');
    fd.append('bom', new Blob([bomCsv]), 'bom.csv');
    const published = await fetch(`${a.url}/api/designs/ana/brick-press/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ana}` },
      body: fd,
    });
    expect(published.status).toBe(201);
    const workshop = await api(b, bob, 'POST', '/api/workshops', {
      slug: 'gijon',
      name: 'Taller Xixón',
      place: { city: 'Gijón', region: 'Asturias', country: 'ES', lat: 43.5357, lon: -5.6615 },
      processes: ['welding'],
    });
    expect(workshop.status).toBe(201);
    const follow = await api(b, bob, 'POST', '/api/federation/follows', { target: `ana~brick-press@${a.host}` });
    expect(follow.status).toBe(202);
    ref = `ana@${a.host}/brick-press`;
    await eventually(
      async () => (await api(b, undefined, 'GET', `/api/designs/${ref}/versions/1.0.0`)).status === 200,
      60_000,
      "B's mirror of brick-press 1.0.0",
    );
  }, 180_000);

  afterAll(async () => {
    console.log(`remote build report timings on loopback (ms): ${JSON.stringify(timings)}`);
    await Promise.all([a?.dispose(), b?.dispose()]);
  });

  let onB: string;
  let onA: string;

  it('a build reported on B reaches A’s review queue with its remote author, workshop and verified photo', async () => {
    const photo = await jpegWithGps();
    const t0 = Date.now();
    const r = await report(
      b,
      bob,
      ref,
      {
        workshop: 'gijon',
        outcome: 'success',
        hours: 12,
        cost: { amount: '95.00', currency: 'EUR' },
        notes: 'Pressed 40 bricks',
      },
      [photo],
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ state: 'submitted', delivery: 'queued' });
    onB = r.body.id;
    // the photo is made metadata-free on B first (the home fetches that copy), then the report is offered
    await eventually(
      async () => (await api(b, undefined, 'GET', `/api/builds/${onB}`)).body.photos[0]?.state === 'done',
      60_000,
      "B's photo processed",
    );
    timings.reportToPhotoProcessed = Date.now() - t0;
    const item = await eventually(
      async () => (await api(a, ana, 'GET', '/api/reviews/queue')).body.items[0],
      60_000,
      "the report in A's queue",
    );
    timings.reportToQueue = Date.now() - t0;
    timings.photoProcessedToQueue = timings.reportToQueue - timings.reportToPhotoProcessed;
    expect(item.author).toEqual({ handle: `bob@${b.host}` });
    expect(item.workshop).toEqual({
      slug: 'gijon',
      name: 'Taller Xixón',
      instance: b.host,
      place: { city: 'Gijón', region: 'Asturias', country: 'ES' },
    });
    expect(item.remote).toEqual({ instance: b.host, url: `${b.url}/ap/builds/${onB}` });
    expect(item.country).toBe('ES');
    onA = item.id;
    // the photo: B's metadata-free original, fetched by A, kept because it hashes to what the report named
    const there = await eventually(
      async () => {
        const d = (await api(b, undefined, 'GET', `/api/builds/${onB}`)).body;
        return d.delivery === 'delivered' ? d : undefined;
      },
      30_000,
      'B told of the delivery',
    );
    const originalOnB = Buffer.from(await (await fetch(`${b.url}${there.photos[0].original}`)).arrayBuffer());
    expect(hasGpsPointer((await sharp(originalOnB).metadata()).exif)).toBe(false);
    const here = await eventually(
      async () => {
        const d = (await api(a, undefined, 'GET', `/api/builds/${onA}`)).body;
        return d.photos[0]?.state === 'done' ? d : undefined;
      },
      30_000,
      "A's copy of the photo",
    );
    expect(here.photos).toHaveLength(1);
    const originalOnA = Buffer.from(await (await fetch(`${a.url}${here.photos[0].original}`)).arrayBuffer());
    expect(hasGpsPointer((await sharp(originalOnA).metadata()).exif)).toBe(false);
    expect((await sharp(originalOnA).metadata()).width).toBe((await sharp(originalOnB).metadata()).width);
    expect(here).toMatchObject({ hours: 12, cost: { amount: '95.00', currency: 'EUR' }, notes: 'Pressed 40 bricks' });
  }, 120_000);

  it('A’s lead approves: B shows the same state and review; A’s field data counts it, and B’s mirror shows it', async () => {
    const t0 = Date.now();
    const review = await api(a, ana, 'POST', `/api/builds/${onA}/reviews`, {
      decision: 'approve',
      comment: 'Well built',
      remarks: [
        { line: '1', message: 'Frame squared' },
        { field: '/hours', message: 'Includes curing' },
      ],
      safetyChecked: true,
    });
    expect(review.status).toBe(201);
    const there = await eventually(
      async () => {
        const d = (await api(b, bob, 'GET', `/api/builds/${onB}`)).body;
        return d.state === 'approved' ? d : undefined;
      },
      30_000,
      'the approval on B',
    );
    timings.reviewToReportingInstance = Date.now() - t0;
    // the whole review: its line and field remarks and its safety check as well as its decision and comment
    expect(there.reviews).toEqual([
      expect.objectContaining({
        reviewer: `ana@${a.host}`,
        decision: 'approve',
        comment: 'Well built',
        remarks: [
          { line: '1', message: 'Frame squared' },
          { field: '/hours', message: 'Includes curing' },
        ],
        safetyChecked: true,
      }),
    ]);
    const field = (await api(a, undefined, 'GET', '/api/designs/ana/brick-press/versions/1.0.0/field')).body;
    expect(field.builds).toMatchObject({ total: 1, approved: 1, byOutcome: { success: 1 } });
    expect(field.hours.median).toBe(12);
    expect(field.cost).toEqual([expect.objectContaining({ currency: 'EUR', median: '95' })]);
    expect(field.byCountry.map((c: any) => c.country)).toEqual(['ES']);
    expect(field.workshops).toEqual([
      { slug: 'gijon', name: 'Taller Xixón', instance: b.host, country: 'ES', approved: 1 },
    ]);
    // the production network near Gijón counts B's workshop (its place and processes came with its report)
    const network = await api(
      a,
      undefined,
      'GET',
      '/api/designs/ana/brick-press/versions/1.0.0/network?near=43.5,-5.7',
    );
    expect(network.status).toBe(200);
    expect(network.body).toMatchObject({ needs: ['welding'], covered: true });
    expect(network.body.workshops).toEqual([
      expect.objectContaining({ slug: 'gijon', name: 'Taller Xixón', instance: b.host, processes: ['welding'] }),
    ]);
    // … and the build packet's field notes name it with its instance
    const packet = await fetch(`${a.url}/api/designs/ana/brick-press/versions/1.0.0/packet.pdf?wait=1`);
    expect(packet.status).toBe(200);
    const text = (await pageTexts(Buffer.from(await packet.arrayBuffer()))).join('\n');
    expect(text).toContain(`Built by: Taller Xixón (Spain, on ${b.host}) 1.`);
    // the approval reached A's followers with the version: B's mirror answers its home's figures
    const mirrored = await eventually(
      async () => {
        const f = (await api(b, undefined, 'GET', `/api/designs/${ref}/versions/1.0.0/field`)).body;
        return f.builds.approved === 1 ? f : undefined;
      },
      30_000,
      "the home's field data on B's mirror",
    );
    expect(mirrored).toEqual(field);
  }, 120_000);

  it('changes requested at A go back to B; a photo B adds then reaches A; B’s resubmission returns to A’s queue', async () => {
    const r = await report(b, bob, ref, { workshop: 'gijon', outcome: 'partial', hours: 20 });
    expect(r.status).toBe(201);
    const item = await eventually(
      async () =>
        (await api(a, ana, 'GET', '/api/reviews/queue')).body.items.find((i: any) => i.remote?.url.endsWith(r.body.id)),
      60_000,
      'the second report at A',
    );
    expect(
      (
        await api(a, ana, 'POST', `/api/builds/${item.id}/reviews`, {
          decision: 'request-changes',
          comment: 'Which parts?',
        })
      ).status,
    ).toBe(201);
    await eventually(
      async () => (await api(b, bob, 'GET', `/api/builds/${r.body.id}`)).body.state === 'changes-requested',
      30_000,
      'changes requested on B',
    );
    // a photo added after the report was offered goes to A too, fetched there and kept for its sha256
    expect((await api(a, ana, 'GET', `/api/builds/${item.id}`)).body.photos).toEqual([]);
    const fd = new FormData();
    fd.append('photos', new Blob([new Uint8Array(await jpegWithGps())], { type: 'image/jpeg' }), 'frame.jpg');
    const added = await fetch(`${b.url}/api/builds/${r.body.id}/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob}` },
      body: fd,
    });
    expect(added.status).toBe(201);
    const t0 = Date.now();
    const photoAtA = await eventually(
      async () => {
        const d = (await api(a, ana, 'GET', `/api/builds/${item.id}`)).body;
        return d.photos[0]?.state === 'done' ? d.photos[0] : undefined;
      },
      60_000,
      'the added photo at A',
    );
    timings.addedPhotoToHome = Date.now() - t0;
    const photoAtB = (await api(b, bob, 'GET', `/api/builds/${r.body.id}`)).body.photos[0];
    expect(photoAtA).toMatchObject({ n: photoAtB.n, width: photoAtB.width, height: photoAtB.height });
    const copyAtA = Buffer.from(await (await fetch(`${a.url}${photoAtA.original}`)).arrayBuffer());
    expect(hasGpsPointer((await sharp(copyAtA).metadata()).exif)).toBe(false);
    const edited = await api(b, bob, 'PATCH', `/api/builds/${r.body.id}`, {
      deviations: 'Frame welded from 40 mm tube',
      comment: 'Added the frame',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.state).toBe('submitted');
    const back = await eventually(
      async () => {
        const d = (await api(a, ana, 'GET', `/api/builds/${item.id}`)).body;
        return d.state === 'submitted' ? d : undefined;
      },
      30_000,
      'the resubmission at A',
    );
    expect(back.deviations).toBe('Frame welded from 40 mm tube');
    expect(back.history.map((h: any) => [h.action, h.by])).toEqual([
      ['submit', `bob@${b.host}`],
      ['request-changes', 'ana'],
      ['resubmit', `bob@${b.host}`],
    ]);
    // mo is no lead of the design: A refuses, and nothing goes to B
    expect(
      (await api(a, mo, 'POST', `/api/builds/${item.id}/reviews`, { decision: 'reject', comment: 'no' })).status,
    ).toBe(403);
  }, 90_000);

  describe('refused', () => {
    let rogue: Awaited<ReturnType<typeof startRogue>>;
    beforeAll(async () => {
      rogue = await startRogue();
    });
    afterAll(async () => rogue?.close());

    it('a forged report (signed by another instance’s key) answers 401 and nothing is stored', async () => {
      const before = (await api(a, ana, 'GET', '/api/reviews/queue')).body.items.length;
      const ctx = rogue.federation.createContext(new URL(rogue.url), undefined);
      const forged = new Offer({
        id: new URL(`${b.url}/ap/builds/00000000-0000-4000-8000-000000000001#offer`),
        actor: new URL(`${b.url}/ap/actors/bob`),
        object: new URL(`${b.url}/ap/builds/${onB}`),
        target: new URL(`${a.url}/ap/actors/ana~brick-press`),
      });
      await expect(
        ctx.sendActivity(
          { identifier: 'mallory' },
          {
            id: new URL(`${a.url}/ap/actors/ana~brick-press`),
            inboxId: new URL(`${a.url}/ap/actors/ana~brick-press/inbox`),
          },
          forged,
        ),
      ).rejects.toThrow(/401/);
      await new Promise((r) => setTimeout(r, 500));
      expect((await api(a, ana, 'GET', '/api/reviews/queue')).body.items.length).toBe(before);
    });

    it('a review from an instance that is not the design’s home is ignored', async () => {
      const r = await report(b, bob, ref, { workshop: 'gijon', outcome: 'success', hours: 3 });
      await eventually(
        async () => (await api(b, bob, 'GET', `/api/builds/${r.body.id}`)).body.delivery === 'delivered',
        30_000,
        'the third report delivered',
      );
      const ctx = rogue.federation.createContext(new URL(rogue.url), undefined);
      const mallory = ctx.getActorUri('mallory');
      // B answers 202 (the signature is mallory's own) and ignores it: mallory is not the design's home
      await ctx.sendActivity(
        { identifier: 'mallory' },
        { id: new URL(`${b.url}/ap/actors/bob`), inboxId: new URL(`${b.url}/ap/actors/bob/inbox`) },
        new Create({
          id: new URL(`${rogue.url}/reviews/1#create`),
          actor: mallory,
          object: new Note({
            id: new URL(`${rogue.url}/reviews/1`),
            attribution: mallory,
            replyTarget: new URL(`${b.url}/ap/builds/${r.body.id}`),
            name: 'reject',
            content: 'forged',
          }),
        }),
      );
      await new Promise((r) => setTimeout(r, 1500));
      const d = (await api(b, bob, 'GET', `/api/builds/${r.body.id}`)).body;
      expect(d.state).toBe('submitted');
      expect(d.reviews).toEqual([]);
    }, 60_000);

    it('an edit of a received report from anyone but its author is ignored at the home', async () => {
      const item = (await api(a, ana, 'GET', '/api/reviews/queue')).body.items[0];
      const before = (await api(a, ana, 'GET', `/api/builds/${item.id}`)).body;
      const ctx = rogue.federation.createContext(new URL(rogue.url), undefined);
      const mallory = ctx.getActorUri('mallory');
      await ctx.sendActivity(
        { identifier: 'mallory' },
        {
          id: new URL(`${a.url}/ap/actors/ana~brick-press`),
          inboxId: new URL(`${a.url}/ap/actors/ana~brick-press/inbox`),
        },
        new Update({ id: new URL(`${rogue.url}/updates/1`), actor: mallory, object: new URL(item.remote.url) }),
      );
      await new Promise((r) => setTimeout(r, 1500));
      const after = (await api(a, ana, 'GET', `/api/builds/${item.id}`)).body;
      expect(after.updatedAt).toBe(before.updatedAt);
      expect(after.history).toEqual(before.history);
    }, 30_000);

    it('a report for a design its home made local-only is refused there: B shows why, A’s queue is unchanged', async () => {
      const before = (await api(a, ana, 'GET', '/api/reviews/queue')).body.items.length;
      expect((await api(a, ana, 'PATCH', '/api/designs/ana/brick-press', { federation: false })).status).toBe(200);
      try {
        const r = await report(b, bob, ref, { workshop: 'gijon', outcome: 'success', hours: 5 });
        expect(r.status).toBe(201);
        const failed = await eventually(
          async () => {
            const d = (await api(b, bob, 'GET', `/api/builds/${r.body.id}`)).body;
            return d.delivery === 'failed' ? d : undefined;
          },
          30_000,
          'the refusal on B',
        );
        expect(failed.deliveryError).toBe('The report names no design of this instance');
        expect((await api(a, ana, 'GET', '/api/reviews/queue')).body.items.length).toBe(before);
      } finally {
        expect((await api(a, ana, 'PATCH', '/api/designs/ana/brick-press', { federation: true })).status).toBe(200);
      }
    }, 60_000);

    it('a remote author has no way in as a local account at the design’s home', async () => {
      const login = await api(a, undefined, 'POST', '/api/auth/login', { login: `bob@${b.host}`, password: '!remote' });
      expect(login.status).toBe(401);
      const register = await api(a, undefined, 'POST', '/api/auth/register', {
        handle: `bob@${b.host}`,
        email: 'bob2@example.org',
        password: 'a long password',
      });
      expect(register.status).toBe(400);
    });
  });
});
