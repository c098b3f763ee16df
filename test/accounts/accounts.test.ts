// Accounts on both databases: register, log in, me, first admin, reserved handles, bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createTestApp, isProblem, registerUser, type TestApp } from '../helpers/app.js';

describe.each(databaseKinds)('accounts on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('makes the first account admin, later ones not, and logs in by handle or email', async () => {
    const first = await registerUser(t.app, 'first');
    const second = await registerUser(t.app, 'second');
    const me1 = await t.app.inject({ url: '/api/me', headers: first.auth });
    expect(me1.json()).toMatchObject({ handle: 'first', isAdmin: true, email: 'first@example.org' });
    const me2 = await t.app.inject({ url: '/api/me', headers: second.auth });
    expect(me2.json().isAdmin).toBe(false);
    for (const login of ['second', 'SECOND@example.org']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login, password: second.password },
      });
      expect(r.statusCode).toBe(200);
      const me = await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${r.json().token}` } });
      expect(me.json().handle).toBe('second');
    }
  });

  it('stores neither passwords nor tokens in clear', async () => {
    const u = await registerUser(t.app, 'hashed');
    const { rows } = await t.deps.db.raw(`select password_hash from users where handle = 'hashed'`);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const s = await t.deps.db.raw(`select token_hash from sessions`);
    expect(s.rows.map((r: any) => r.token_hash)).not.toContain(u.token);
  });

  it('answers a wrong password and an unknown login the same way', async () => {
    await registerUser(t.app, 'carla');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'carla', password: 'nope-nope' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'nobody', password: 'nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('refuses reserved and taken handles', async () => {
    const reserved = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { handle: 'workshops', email: 'w@example.org', password: 'longenough' },
    });
    expect(reserved.statusCode).toBe(400);
    expect(reserved.json().errors[0].field).toBe('/handle');
    await registerUser(t.app, 'dupe');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { handle: 'dupe', email: 'other@example.org', password: 'longenough' },
    });
    expect(again.statusCode).toBe(409);
    expect(isProblem(again)).toBe(true);
  });

  it('lists each failing field of a bad body, malformed JSON included', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { handle: 'Bad Handle', email: 5, password: 'x', extra: true },
    });
    expect(r.statusCode).toBe(400);
    expect(isProblem(r)).toBe(true);
    const fields = r
      .json()
      .errors.map((e: any) => e.field)
      .sort();
    expect(fields).toEqual(['/email', '/extra', '/handle', '/password']);
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"handle": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(isProblem(malformed)).toBe(true);
  });

  it('answers 401 without or with a bad token', async () => {
    const none = await t.app.inject({ url: '/api/me' });
    expect(none.statusCode).toBe(401);
    const bad = await t.app.inject({ url: '/api/me', headers: { authorization: 'Bearer ands_forged' } });
    expect(bad.statusCode).toBe(401);
    expect(isProblem(bad)).toBe(true);
  });
});

describe.each(databaseKinds)('API tokens on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a token shown once, scopes it, lists it without the secret and revokes it at once', async () => {
    const u = await registerUser(t.app, 'scripter');
    const w = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: u.auth,
      payload: { name: 'ci', scope: 'write' },
    });
    expect(w.statusCode).toBe(201);
    expect(w.json()).toMatchObject({ name: 'ci', scope: 'write' });
    const write = { authorization: `Bearer ${w.json().token}` };
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: u.auth,
      payload: { name: 'ro', scope: 'read' },
    });
    const read = { authorization: `Bearer ${r.json().token}` };
    expect((await t.app.inject({ url: '/api/me', headers: read })).statusCode).toBe(200);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/designs',
      headers: read,
      payload: { slug: 'x', title: 'x' },
    });
    expect(denied.statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/designs', headers: write, payload: { slug: 'x', title: 'x' } }))
        .statusCode,
    ).toBe(201);
    const list = await t.app.inject({ url: '/api/tokens', headers: u.auth });
    expect(list.json().items.map((i: any) => i.name)).toEqual(['ci', 'ro']);
    expect(list.body).not.toContain(w.json().token);
    expect(list.json().items[0].lastUsedAt).not.toBeNull();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${w.json().id}`, headers: u.auth });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/me', headers: write })).statusCode).toBe(401);
    const past = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: u.auth,
      payload: { name: 'old', scope: 'read', expiresAt: '2001-01-01T00:00:00Z' },
    });
    expect(past.statusCode).toBe(400);
  });
});

describe('abuse limits (pglite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { authRateLimitPerMinute: 3 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('rate-limits login attempts with 429 problem+json and Retry-After', async () => {
    const tries = [];
    for (let i = 0; i < 4; i++)
      tries.push(
        await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'x', password: 'wrong-one' } }),
      );
    expect(tries.slice(0, 3).map((r) => r.statusCode)).toEqual([401, 401, 401]);
    expect(tries[3].statusCode).toBe(429);
    expect(isProblem(tries[3])).toBe(true);
    expect(tries[3].headers['retry-after']).toBeDefined();
  });

  it('sends security headers with a CSP', async () => {
    const r = await t.app.inject({ url: '/healthz' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});
