// Stars on both databases: star and unstar (idempotent), the count on the design and its cards, `starred` for the
// reader, the count explore sorts by kept in step, and who may star.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, isProblem, registerUser, type TestApp, type TestUser } from '../helpers/app.js';

describe.each(databaseKinds)('stars on %s', (kind) => {
  let t: TestApp;
  let owner: TestUser;
  let ana: TestUser;
  let ben: TestUser;

  const star = (user: TestUser | undefined, slug: string, method: 'PUT' | 'DELETE' = 'PUT', handle = owner.handle) =>
    t.app.inject({ method, url: `/api/designs/${handle}/${slug}/star`, headers: user?.auth ?? {} });
  const design = async (slug: string, user?: TestUser) =>
    (await t.app.inject({ url: `/api/designs/${owner.handle}/${slug}`, headers: user?.auth ?? {} })).json();
  const searchStars = async (slug: string) =>
    (
      await t.deps.db.raw(
        'select s.stars from design_search s join designs d on d.id = s.design_id where d.owner_handle = $1 and d.slug = $2',
        [owner.handle, slug],
      )
    ).rows[0].stars as number;

  beforeAll(async () => {
    t = await createTestApp(kind);
    [owner, ana, ben] = [await registerUser(t.app), await registerUser(t.app), await registerUser(t.app)];
    for (const slug of ['press', 'mill', 'kiln']) await createDesign(t.app, owner, slug);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('stars and unstars a design, twice each changing nothing more', async () => {
    expect((await design('press', ana)).stars).toBe(0);
    expect((await design('press', ana)).starred).toBe(false);
    expect((await star(ana, 'press')).statusCode).toBe(204);
    expect((await star(ana, 'press')).statusCode).toBe(204);
    expect((await star(ben, 'press')).statusCode).toBe(204);
    const seenByAna = await design('press', ana);
    expect(seenByAna.stars).toBe(2);
    expect(seenByAna.starred).toBe(true);
    expect((await design('press', owner)).starred).toBe(false);
    // an anonymous reader sees the count, and nothing about themselves
    const anonymous = await design('press');
    expect(anonymous.stars).toBe(2);
    expect(anonymous).not.toHaveProperty('starred');
    expect(await searchStars('press')).toBe(2);

    expect((await star(ana, 'press', 'DELETE')).statusCode).toBe(204);
    expect((await star(ana, 'press', 'DELETE')).statusCode).toBe(204);
    expect((await design('press', ana)).starred).toBe(false);
    expect((await design('press')).stars).toBe(1);
    expect(await searchStars('press')).toBe(1);
    expect((await star(ben, 'press', 'DELETE')).statusCode).toBe(204);
    expect(await searchStars('press')).toBe(0);
  });

  it('shows the count on cards and sorts explore by stars', async () => {
    await star(ana, 'kiln');
    await star(ben, 'kiln');
    await star(ana, 'mill');
    const r = await t.app.inject({ url: `/api/designs?owner=${owner.handle}&sort=stars` });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { slug: string; stars: number }[];
    expect(items.map((i) => [i.slug, i.stars])).toEqual([
      ['kiln', 2],
      ['mill', 1],
      ['press', 0],
    ]);
    // the plain list (recent first) carries the counts too
    const plain = (await t.app.inject({ url: `/api/designs?owner=${owner.handle}` })).json().items as {
      slug: string;
      stars: number;
    }[];
    expect(Object.fromEntries(plain.map((i) => [i.slug, i.stars]))).toEqual({ kiln: 2, mill: 1, press: 0 });
    // a page at a time, the cursor carrying the count
    const first = (await t.app.inject({ url: `/api/designs?owner=${owner.handle}&sort=stars&limit=2` })).json();
    expect(first.items.map((i: { slug: string }) => i.slug)).toEqual(['kiln', 'mill']);
    const second = (
      await t.app.inject({ url: `/api/designs?owner=${owner.handle}&sort=stars&limit=2&cursor=${first.nextCursor}` })
    ).json();
    expect(second.items.map((i: { slug: string }) => i.slug)).toEqual(['press']);
  });

  it('asks for a signed-in writer and a design that exists', async () => {
    const anonymous = await star(undefined, 'press');
    expect(anonymous.statusCode).toBe(401);
    expect(isProblem(anonymous)).toBe(true);
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: ana.auth,
      payload: { name: 'ro', scope: 'read' },
    });
    const readOnly = await t.app.inject({
      method: 'PUT',
      url: `/api/designs/${owner.handle}/press/star`,
      headers: { authorization: `Bearer ${token.json().token}` },
    });
    expect(readOnly.statusCode).toBe(403);
    expect((await star(ana, 'no-such-design')).statusCode).toBe(404);
    expect((await design('press')).stars).toBe(0);
  });
});
