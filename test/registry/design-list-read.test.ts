// The design list read in one statement per page (design-list-read.ts), on both databases: who sees which designs
// (hidden ones: their owner and admins; a blocked instance's mirror: admins only), pages that follow each other in
// both sorts and with filters, and the extras (latest version, maintainers, stars) the page reads with its rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';

describe.each(databaseKinds)('the design list on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let ana: TestUser;
  let ben: TestUser;

  /** every slug the reader sees, following the cursors `limit` at a time */
  async function allPages(query: string, reader?: TestUser, limit = 2): Promise<string[]> {
    const slugs: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const url: string = `/api/designs?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await t.app.inject({ url, headers: reader?.auth });
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json();
      expect(page.items.length).toBeLessThanOrEqual(limit);
      slugs.push(...page.items.map((d: { slug: string }) => d.slug));
      cursor = page.nextCursor;
      if (!cursor) return slugs;
    }
    throw new Error('the cursors did not end');
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await registerUser(t.app, 'warden'); // the first account is the admin
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
    for (const [who, slug, category] of [
      [ana, 'press', 'construction'],
      [ana, 'mill', 'agriculture'],
      [ana, 'kiln', 'construction'],
      [ben, 'loom', 'tools'],
      [ben, 'pump', 'agriculture'],
    ] as const)
      await createDesign(t.app, who, slug, { title: `The ${slug}`, category, tags: [category, 'bench'] });
    await publish(t.app, ana, 'ana', 'mill', { version: '1.0.0' }, [{ path: 'README.md', bytes: '# Mill\n' }]);
    await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/mill/maintainers',
      headers: ana.auth,
      payload: { handle: 'ben' },
    });
    await t.app.inject({ method: 'PUT', url: '/api/designs/ana/mill/star', headers: ben.auth });
    // a taken-down design of ana's and a mirror of a blocked instance (as the moderation and federation code set them)
    await t.deps.db.raw(`update designs set hidden = true where slug = 'kiln'`);
    await t.deps.db.raw(`update designs set origin_blocked = true where slug = 'loom'`);
  }, 120_000);
  afterAll(() => t?.close());

  it('shows each reader what they may see, newest first, over as many pages as it takes', async () => {
    const newest = (
      await t.deps.db.raw<{ slug: string }>(`select slug from designs order by updated_at desc, id desc`)
    ).rows.map((r) => r.slug);
    const without = (...gone: string[]) => newest.filter((s) => !gone.includes(s));
    expect(await allPages('')).toEqual(without('kiln', 'loom'));
    expect(await allPages('', ben)).toEqual(without('kiln', 'loom'));
    expect(await allPages('', ana)).toEqual(without('loom'));
    expect(await allPages('', admin)).toEqual(newest);
    // one page of everything reads the same
    expect(await allPages('', admin, 20)).toEqual(newest);
  });

  it('pages by title and with filters the same way', async () => {
    expect(await allPages('&sort=title', admin, 1)).toEqual(['kiln', 'loom', 'mill', 'press', 'pump']);
    expect(await allPages('&sort=title&category=construction', ana, 1)).toEqual(['kiln', 'press']);
    expect(await allPages('&sort=title&category=construction', undefined, 1)).toEqual(['press']);
    expect(await allPages('&tag=agriculture&owner=ana', undefined, 1)).toEqual(['mill']);
  });

  it('reads the page’s extras with its rows', async () => {
    const items = (await t.app.inject({ url: '/api/designs?limit=20' })).json().items;
    const mill = items.find((d: { slug: string }) => d.slug === 'mill');
    expect(mill).toMatchObject({ latestVersion: '1.0.0', maintainers: ['ben'], stars: 1, hidden: false });
    const press = items.find((d: { slug: string }) => d.slug === 'press');
    expect(press).toMatchObject({ latestVersion: null, maintainers: [], stars: 0 });
    // the same document as the design's own read
    expect(mill).toEqual((await t.app.inject({ url: '/api/designs/ana/mill' })).json());
  });
});
