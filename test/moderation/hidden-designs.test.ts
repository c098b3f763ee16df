// What a hidden design gives away: a report about it answers as about nothing (no existence oracle), and its files
// reach its owner with `private` caching, so no shared cache keeps them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';

describe.each(databaseKinds)('hidden designs (%s)', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let ana: TestUser;
  let bo: TestUser;
  const report = (user: TestUser, id: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: user.auth,
      payload: { subject: 'design', id, reason: 'x' },
    });
  beforeAll(async () => {
    t = await createTestApp(kind);
    [admin, ana, bo] = [await registerUser(t.app), await registerUser(t.app), await registerUser(t.app)];
    await createDesign(t.app, ana, 'press');
    const r = await publish(t.app, ana, ana.handle, 'press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: '# Press' },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    await t.deps.db.raw(`update designs set hidden = true where slug = 'press'`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a report about a hidden design exactly as about a missing one, to those who cannot see it', async () => {
    const hidden = await report(bo, `${ana.handle}/press`);
    const missing = await report(bo, `${ana.handle}/pressx`);
    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(hidden.json().detail.replace('press', 'pressx')).toBe(missing.json().detail);
    expect((await report(admin, `${ana.handle}/press`)).statusCode).toBe(201);
    const none = (
      await t.deps.db.raw(`select count(*)::int as n from abuse_reports where reporter_id <> $1`, [
        (await t.deps.db.raw(`select id from users where handle = $1`, [admin.handle])).rows[0].id,
      ])
    ).rows[0].n;
    expect(none).toBe(0);
  });

  it("sends a hidden design's files private, a visible one's public", async () => {
    const url = `/api/designs/${ana.handle}/press/versions/1.0.0/files/README.md`;
    const own = await t.app.inject({ url, headers: ana.auth });
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    const latest = await t.app.inject({ url: url.replace('1.0.0', 'latest'), headers: ana.auth });
    expect(latest.headers['cache-control']).toBe('private, max-age=60');
    expect((await t.app.inject({ url })).statusCode).toBe(404);
    await t.deps.db.raw(`update designs set hidden = false where slug = 'press'`);
    expect((await t.app.inject({ url })).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await t.deps.db.raw(`update designs set hidden = true where slug = 'press'`);
  });
});
