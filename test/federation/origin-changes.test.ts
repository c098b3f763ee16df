// What happens at an origin after a design is followed, seen from a follower, with two real instances as processes:
// an account deleted at the origin leaves the follower's copies served and marked originGone; a copy that failed
// (bytes that did not match) is tried again when the origin announces the version again or an admin asks; a
// mirrored version keeps its origin's publication time, so "recent" sorts it by that; and forged requests that
// name an instance do not spend that instance's inbox allowance.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOn, registerOn, startInstance, type Instance } from '../helpers/instances.js';
import { publishForm } from '../helpers/app.js';
import { eventually } from '../helpers/eventually.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const api = apiOn;

async function designWithVersion(on: Instance, token: string, owner: string, slug: string, notes: string) {
  expect((await api(on, token, 'POST', '/api/designs', { slug, title: slug.replace('-', ' ') })).status).toBe(201);
  const res = await fetch(`${on.url}/api/designs/${owner}/${slug}/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: publishForm({ version: '1.0.0' }, [{ path: 'notes.md', bytes: notes }]),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { publishedAt: string };
}

/** Flips the first byte of a blob in an instance's file store (same size): the origin now serves wrong bytes. */
function corruptBlob(on: Instance, bytes: string): () => void {
  const hash = sha(bytes);
  const path = join(on.dataDir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash);
  const good = readFileSync(path);
  const bad = Buffer.from(good);
  bad[0] ^= 0xff;
  chmodSync(path, 0o644);
  writeFileSync(path, bad);
  return () => writeFileSync(path, good);
}

/** The follower's view of one announced version's copy. */
async function copyState(b: Instance, ref: string, version = '1.0.0') {
  const d = await api(b, undefined, 'GET', `/api/designs/${ref}`);
  return (d.body?.mirror?.versions ?? []).find((v: { version: string }) => v.version === version) as
    { state: string; error?: string } | undefined;
}

const settledCopy = (b: Instance, ref: string) =>
  eventually(
    async () => {
      const v = await copyState(b, ref);
      return v && (v.state === 'complete' || v.state === 'failed') ? v : undefined;
    },
    60_000,
    `the copy of ${ref}`,
  );

describe('changes at the origin reach a follower (two instances as processes)', () => {
  let a: Instance;
  let b: Instance;
  let ana: string;
  let bo: string;

  beforeAll(async () => {
    // one after the other: on a busy machine two first starts at once may each miss the ready deadline
    a = await startInstance({ readyTimeoutMs: 120_000 });
    b = await startInstance({ readyTimeoutMs: 120_000 });
    ana = await registerOn(a, 'ana');
    bo = await registerOn(b, 'bo'); // B's first account: its admin
  }, 300_000);

  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
  });

  const follow = async (target: string) => {
    const r = await api(b, bo, 'POST', '/api/federation/follows', { target });
    expect(r.status).toBe(202);
    return r.body as { id: string };
  };

  it("an account deleted at the origin: the follower keeps serving its designs' copies, marked originGone", async () => {
    const password = 'dee-password-1';
    const dee = await registerOn(a, 'dee', password);
    const notes = '# Cart\n\nA hand cart.\n';
    await designWithVersion(a, dee, 'dee', 'cart', notes);
    await follow(`${a.url}/dee/cart`);
    const ref = `dee@${a.host}/cart`;
    expect(await settledCopy(b, ref)).toEqual({ version: '1.0.0', state: 'complete' });
    expect((await api(b, undefined, 'GET', `/api/designs/${ref}`)).body.originGone).toBe(false);

    const deleted = await fetch(`${a.url}/api/me`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${dee}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password }),
    });
    expect(deleted.status).toBe(204);
    await eventually(
      async () => (await api(b, undefined, 'GET', `/api/designs/${ref}`)).body.originGone === true,
      30_000,
      'originGone on the copy',
    );
    // the Person that signed its own Delete still answers (its handle stays reserved by its designs), so the
    // Delete could be verified; it says nothing more than the handle
    const person = await fetch(`${a.url}/ap/actors/dee`, { headers: { accept: 'application/activity+json' } });
    expect(person.status).toBe(200);
    expect(await person.json()).toMatchObject({ type: 'Person', name: 'dee', preferredUsername: 'dee' });
    const v = await api(b, undefined, 'GET', `/api/designs/${ref}/versions/1.0.0`);
    expect(v.body.originGone).toBe(true);
    const file = await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0/files/notes.md`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe(notes);
  }, 120_000);

  it('a copy that failed is tried again when the origin announces the version again, and completes', async () => {
    const notes = '# Kiln\n\nFires bricks.\n';
    await designWithVersion(a, ana, 'ana', 'kiln', notes);
    const restore = corruptBlob(a, notes);
    await follow(`ana~kiln@${a.host}`);
    const ref = `ana@${a.host}/kiln`;
    const failed = await settledCopy(b, ref);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/notes\.md.*not the announced/);

    // fixed at the origin (the blob restored), then announced again: the yank goes out as an Update
    restore();
    expect((await api(a, ana, 'POST', '/api/designs/ana/kiln/versions/1.0.0/yank')).status).toBe(200);
    const copied = await eventually(
      async () => ((await copyState(b, ref))?.state === 'complete' ? true : undefined),
      60_000,
      'the copy tried again',
    );
    expect(copied).toBe(true);
    const v = await api(b, undefined, 'GET', `/api/designs/${ref}/versions/1.0.0`);
    expect(v.body.mirror).toEqual({ state: 'complete' });
    await eventually(
      async () => (await api(b, undefined, 'GET', `/api/designs/${ref}/versions/1.0.0`)).body.state === 'yanked',
      30_000,
      'the yank applied to the copy',
    );
    const file = await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0/files/notes.md`);
    expect(await file.text()).toBe(notes);
  }, 150_000);

  it("an admin retries a mirror's failed copies; only a failed copy is retried", async () => {
    const notes = '# Loom\n\nWeaves.\n';
    await designWithVersion(a, ana, 'ana', 'loom', notes);
    const restore = corruptBlob(a, notes);
    await follow(`${a.url}/ana/loom`);
    const owner = `ana@${a.host}`;
    const ref = `${owner}/loom`;
    expect((await settledCopy(b, ref)).state).toBe('failed');
    restore();

    const retry = (token: string | undefined, query = '') =>
      api(b, token, 'POST', `/api/admin/federation/mirrors/${owner}/loom/retry${query}`);
    const cy = await registerOn(b, 'cy');
    expect((await retry(cy)).status).toBe(403);
    expect((await retry(undefined)).status).toBe(401);
    const unknownVersion = await retry(bo, '?version=9.9.9');
    expect(unknownVersion.status).toBe(404);
    expect(unknownVersion.body.detail).toMatch(/9\.9\.9/);
    expect((await api(b, bo, 'POST', `/api/admin/federation/mirrors/${owner}/no-such/retry`)).status).toBe(404);

    const r = await retry(bo);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ owner, slug: 'loom', retried: ['1.0.0'] });
    expect(['queued', 'fetching', 'complete']).toContain(r.body.versions[0].state);
    await eventually(async () => (await copyState(b, ref))?.state === 'complete', 60_000, 'the retried copy');
    const file = await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0/files/notes.md`);
    expect(await file.text()).toBe(notes);

    const again = await retry(bo, '?version=1.0.0');
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/complete: only a failed copy/);
    const nothing = await retry(bo);
    expect(nothing.body.retried).toEqual([]);
    expect((await api(b, bo, 'POST', `/api/admin/federation/mirrors/bo/nothing/retry`)).status).toBe(400);
  }, 150_000);

  it("a mirrored version keeps its origin's publication time: a newer local design sorts before it", async () => {
    const there = await designWithVersion(a, ana, 'ana', 'old-press', '# Old press\n');
    // published on B after the origin published, copied to B after that
    await new Promise((r) => setTimeout(r, 1100));
    const here = await designWithVersion(b, bo, 'bo', 'fresh-press', '# Fresh press\n');
    await follow(`${a.url}/ana/old-press`);
    const ref = `ana@${a.host}/old-press`;
    expect(await settledCopy(b, ref)).toEqual({ version: '1.0.0', state: 'complete' });

    const v = await api(b, undefined, 'GET', `/api/designs/${ref}/versions/1.0.0`);
    expect(v.body.publishedAt).toBe(there.publishedAt);
    expect(Date.parse(v.body.publishedAt)).toBeLessThan(Date.parse(here.publishedAt));
    const order = async (query: string) =>
      ((await api(b, undefined, 'GET', `/api/designs?${query}`)).body.items as { slug: string }[])
        .map((d) => d.slug)
        .filter((s) => s === 'old-press' || s === 'fresh-press');
    expect(await order('sort=recent')).toEqual(['fresh-press', 'old-press']);
    expect(await order('q=press&sort=recent')).toEqual(['fresh-press', 'old-press']);
  }, 120_000);

  it("forged requests naming an instance do not spend that instance's inbox allowance", async () => {
    expect((await api(a, ana, 'POST', '/api/designs', { slug: 'sifter', title: 'Sifter' })).status).toBe(201);
    // 601 requests from another address (127.0.0.2), each claiming B's instance key without having signed with it
    const body = JSON.stringify({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${b.url}/ap/actors/_instance#follows/forged`,
      type: 'Follow',
      actor: `${b.url}/ap/actors/_instance`,
      object: `${a.url}/ap/actors/ana~sifter`,
    });
    const forged = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${a.url}/ap/inbox`,
          {
            method: 'POST',
            localAddress: '127.0.0.2',
            headers: {
              'content-type': 'application/activity+json',
              date: new Date().toUTCString(),
              signature: `keyId="${b.url}/ap/actors/_instance#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="${randomBytes(256).toString('base64')}"`,
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const statuses: number[] = [];
    for (let i = 0; i < 601; i += 20)
      statuses.push(...(await Promise.all(Array.from({ length: Math.min(20, 601 - i) }, forged))));
    expect(statuses.filter((s) => s === 401)).toHaveLength(600);
    // past the allowance the forger's own address is refused, before anything is verified any further
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);

    // B's genuine Follow, signed with its key, is answered at once: the Accept arrives within seconds
    const f = await follow(`${a.url}/ana/sifter`);
    await eventually(
      async () =>
        (await api(b, bo, 'GET', '/api/federation/follows')).body.items.find((x: { id: string }) => x.id === f.id)
          ?.state === 'accepted',
      15_000,
      "B's follow accepted",
    );
  }, 120_000);
});
