// Sign-in hardening: sign-out and the session list, tokens that cannot outlive the token that made them, password
// rules (length, the commonest passwords, one character repeated) and one limiter for every password check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createTestApp, isProblem, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { setPassword } from '../../server/src/admin/users.js';
import { newPassword } from '../../server/src/accounts/secrets.js';

describe.each(databaseKinds)('sessions, tokens and passwords (%s)', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const login = async (user: TestUser) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: user.handle, password: user.password },
      })
    ).json().token as string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signs out: the session answers 401 at once, the others stay', async () => {
    const laptop = await login(ana);
    const phone = await login(ana);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: as(laptop) });
    expect(out.statusCode).toBe(204);
    const ended = await t.app.inject({ url: '/api/me', headers: as(laptop) });
    expect(ended.statusCode).toBe(401);
    // RFC 6750: a client tells a dead token (forget it) from a wrong password, which has no such header
    expect(ended.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect((await t.app.inject({ url: '/api/me', headers: as(phone) })).statusCode).toBe(200);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: ana.handle, password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBeUndefined();
  });

  it('lists sessions with the current one marked, and revokes one by id', async () => {
    const other = await login(ana);
    const list = await t.app.inject({ url: '/api/me/sessions', headers: ana.auth });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; current: boolean; createdAt: string; expiresAt: string }[];
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.length).toBeGreaterThanOrEqual(2);
    const otherId = (await t.app.inject({ url: '/api/me/sessions', headers: as(other) }))
      .json()
      .items.find((s: { current: boolean }) => s.current).id;
    expect(JSON.stringify(items)).not.toContain(other);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/me/sessions/${otherId}`, headers: ana.auth });
    expect(revoked.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/me', headers: as(other) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/me', headers: ana.auth })).statusCode).toBe(200);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/me/sessions/${otherId}`, headers: ana.auth });
    expect(again.statusCode).toBe(404);
    // an API token is no session: sign-out says how to revoke it instead
    const tok = (
      await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: ana.auth,
        payload: { name: 'ci', scope: 'write' },
      })
    ).json().token;
    const notSession = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: as(tok) });
    expect(notSession.statusCode).toBe(400);
    expect(notSession.json().detail).toContain('DELETE /api/tokens/');
  });

  it('refuses a token that would outlive the token making it', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: ana.auth,
      payload: { name: 'short', scope: 'write', expiresAt: soon },
    });
    expect(short.statusCode).toBe(201);
    const byShort = as(short.json().token);
    for (const payload of [
      { name: 'forever', scope: 'write' },
      { name: 'later', scope: 'write', expiresAt: new Date(Date.now() + 3600_000).toISOString() },
    ]) {
      const r = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: byShort, payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(403);
      expect(isProblem(r)).toBe(true);
      expect(r.json().errors[0].field).toBe('/expiresAt');
    }
    const within = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: byShort,
      payload: { name: 'within', scope: 'read', expiresAt: new Date(Date.now() + 30_000).toISOString() },
    });
    expect(within.statusCode).toBe(201);
    // nor outrank it: a read token makes none
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: as(within.json().token),
      payload: { name: 'up', scope: 'write', expiresAt: new Date(Date.now() + 10_000).toISOString() },
    });
    expect(r.statusCode).toBe(403);
  });

  it('refuses short, common and one-character passwords at registration and in set-password', async () => {
    for (const password of ['1234567', '12345678', 'password', 'PassWord1', '        ', 'aaaaaaaaaaaa']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { handle: 'weak' + Math.floor(Math.random() * 1e6), email: `w${Math.random()}@example.org`, password },
      });
      expect(r.statusCode, JSON.stringify(password)).toBe(400);
      expect(r.json().errors[0].field).toBe('/password');
      await expect(setPassword(t.deps.db.db, ana.handle, password)).rejects.toMatchObject({ status: 400 });
    }
    // what set-password --generate makes is accepted
    await expect(setPassword(t.deps.db.db, ana.handle, newPassword())).resolves.toBeUndefined();
  });
});

describe('one limiter for every password check', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { authRateLimitPerMinute: 4 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts wrong passwords to DELETE /api/me and logins together: past the limit, 429 with Retry-After', async () => {
    const bo = await registerUser(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({
        method: 'DELETE',
        url: '/api/me',
        headers: bo.auth,
        payload: { password: 'wrong one' },
      });
      statuses.push(r.statusCode);
    }
    const loginOk = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: bo.handle, password: bo.password },
    });
    statuses.push(loginOk.statusCode);
    const over = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: bo.auth,
      payload: { password: bo.password },
    });
    const overLogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: bo.handle, password: bo.password },
    });
    expect(statuses).toEqual([403, 403, 403, 200]);
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(overLogin.statusCode).toBe(429);
    // the account was not deleted by the refused attempt
    expect((await t.app.inject({ url: '/api/me', headers: bo.auth })).statusCode).toBe(200);
  });
});
