// The outbox of deliveries to other instances: the retry policy spans days at most an hour apart; a delivery to an
// address nobody answers is listed retrying with its error, then failed once its window is over (kept, not
// claimed again); an admin's retry gives it a new window; only admins read or retry it. The window is a second here.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Follow } from '@fedify/fedify';
import { createTestApp, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { freePort } from '../helpers/free-port.js';
import { deliveryRetryPolicy, fewestAttempts } from '../../server/src/federation/retry-policy.js';
import { instanceIdentifier } from '../../server/src/federation/names.js';
import { aboutOf } from '../../server/src/federation/outbox.js';

const ms = (d: { total(unit: 'millisecond'): number } | null) => (d ? d.total('millisecond') : null);

describe('delivery retry policy', () => {
  const defaults = { retryForMs: 7 * 24 * 3600_000, maxDelayMs: 3600_000 };
  const policy = deliveryRetryPolicy(defaults);
  const at = (elapsedMs: number, attempts: number) =>
    // the policy reads the elapsed time in milliseconds only
    ms(policy({ elapsedTime: { total: () => elapsedMs }, attempts } as never));

  it('doubles from a second, never waits more than the ceiling, and gives up only after the window', () => {
    expect(at(0, 0)).toBeGreaterThanOrEqual(1000);
    expect(at(0, 0)).toBeLessThanOrEqual(2000);
    expect(at(60_000, 5)).toBeGreaterThanOrEqual(32_000);
    expect(at(6 * 24 * 3600_000, 500)).toBe(3600_000);
    expect(at(7 * 24 * 3600_000 - 1, 170)).toBe(3600_000);
    expect(at(7 * 24 * 3600_000, 170)).toBeNull();
    // a week of failures is at least 170 attempts, the last ones an hour apart
    expect(fewestAttempts(defaults)).toBeGreaterThanOrEqual(170);
  });
});

describe('what an outbox item is about', () => {
  it('names build reports, reviews, versions and designs', () => {
    const id = '0b7a9b38-7a52-4a8e-9f8c-7e0b1d4b2c11';
    expect(aboutOf('Offer', { object: `http://b.example/ap/builds/${id}` })).toEqual({
      kind: 'build-report',
      url: `http://b.example/ap/builds/${id}`,
      buildReport: id,
    });
    expect(
      aboutOf('Create', {
        object: {
          id: `http://a.example/ap/builds/${id}/reviews/1700000000000`,
          inReplyTo: 'http://b.example/ap/builds/x',
          name: 'approve',
        },
      }),
    ).toMatchObject({ kind: 'review', buildReport: id, decision: 'approve' });
    expect(aboutOf('Create', { object: { id: 'http://a.example/ap/designs/ana/brick-press/versions/1.1.0' } })).toEqual(
      {
        kind: 'version',
        url: 'http://a.example/ap/designs/ana/brick-press/versions/1.1.0',
        design: 'ana/brick-press',
        version: '1.1.0',
      },
    );
    expect(aboutOf('Update', { object: { id: 'http://a.example/ap/actors/ana~brick-press' } })).toMatchObject({
      kind: 'design',
      design: 'ana/brick-press',
    });
    expect(aboutOf('Follow', { object: 'https://mastodon.example/users/x' })).toEqual({
      kind: 'other',
      url: 'https://mastodon.example/users/x',
    });
  });
});

describe.each(databaseKinds)('outbox of an instance whose peer never answers (%s)', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let deadPort: number;
  let closeDead: () => Promise<void>;

  beforeAll(async () => {
    // an address that accepts connections and closes them at once: no HTTP answer, ever
    deadPort = await freePort();
    const dead = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => dead.listen(deadPort, '127.0.0.1', () => r()));
    closeDead = () => new Promise((r) => dead.close(() => r()));
    const port = await freePort();
    t = await createTestApp(kind, {
      federation: true,
      federationAllowPrivate: true,
      publicUrl: `http://127.0.0.1:${port}`,
      federationRetryForMs: 1000,
      federationRetryMaxDelayMs: 150,
    });
    admin = await registerUser(t.app, 'lena');
    member = await registerUser(t.app, 'member');
    t.deps.federation!.start();
  });
  afterAll(async () => {
    await t?.deps.federation?.stop();
    await t?.close();
    await closeDead?.();
  });

  const outbox = async (user: TestUser, query = '') =>
    t.app.inject({ url: `/api/federation/outbox${query}`, headers: user.auth });

  it('lists a delivery retrying with its error, then failed and kept; an admin’s retry tries it again', async () => {
    const ctx = t.deps.federation!.context();
    const actor = ctx.getActorUri(instanceIdentifier);
    const target = new URL(`http://127.0.0.1:${deadPort}/ap/actors/ana~press`);
    await ctx.sendActivity(
      { identifier: instanceIdentifier },
      { id: target, inboxId: new URL(`http://127.0.0.1:${deadPort}/ap/inbox`), endpoints: null },
      new Follow({ id: new URL('#follows/1', actor), actor, object: target }),
    );
    await expect.poll(async () => (await outbox(admin)).json().items[0]?.state, { timeout: 10_000 }).toBe('retrying');
    const item = (await outbox(admin)).json().items[0];
    expect(item).toMatchObject({
      activity: { id: `${actor.href}#follows/1`, type: 'Follow' },
      about: { kind: 'design', design: 'ana/press' },
      target: { instance: `127.0.0.1:${deadPort}`, inbox: `http://127.0.0.1:${deadPort}/ap/inbox` },
      failedAt: null,
    });
    expect(item.lastError).toBeTruthy();
    expect(item.nextAttemptAt).not.toBeNull();

    await expect.poll(async () => (await outbox(admin)).json().items[0]?.state, { timeout: 15_000 }).toBe('failed');
    const failed = (await outbox(admin, '?state=failed')).json().items[0];
    expect(failed.attempts).toBeGreaterThanOrEqual(2);
    expect(failed.nextAttemptAt).toBeNull();
    expect(failed.failedAt).not.toBeNull();
    expect(failed.lastError).toBeTruthy();
    // a failed delivery is no longer claimed: it stays as it is
    await new Promise((r) => setTimeout(r, 700));
    expect((await outbox(admin)).json().items).toEqual([failed]);
    expect((await outbox(admin, '?state=retrying')).json().items).toEqual([]);

    // members cannot look or retry; an admin's retry of it gives it a new window, and it fails again after it
    expect((await outbox(member)).statusCode).toBe(403);
    const byMember = await t.app.inject({
      method: 'POST',
      url: '/api/federation/outbox/retry',
      headers: member.auth,
      payload: {},
    });
    expect(byMember.statusCode).toBe(403);
    const retried = await t.app.inject({
      method: 'POST',
      url: '/api/federation/outbox/retry',
      headers: admin.auth,
      payload: { id: failed.id },
    });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toEqual({ retried: 1 });
    const after = (await outbox(admin)).json().items[0];
    expect(after.state).toBe('retrying');
    expect(Date.parse(after.queuedAt)).toBeGreaterThan(Date.parse(failed.queuedAt));
    await expect.poll(async () => (await outbox(admin)).json().items[0]?.state, { timeout: 15_000 }).toBe('failed');
    expect((await outbox(admin)).json().items[0].attempts).toBeGreaterThan(failed.attempts);
  }, 60_000);
});
