// Designs on both databases: create, read, list with filters and cursors, edit, maintainers, permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, isProblem, registerUser, type TestApp, type TestUser } from '../helpers/app.js';

describe.each(databaseKinds)('designs on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a design owned by the caller and reads it back', async () => {
    const d = await createDesign(t.app, ana, 'brick-press', {
      summary: 'CEB press',
      category: 'construction',
      tags: ['earth', 'press'],
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
    });
    expect(d).toMatchObject({
      owner: 'ana',
      slug: 'brick-press',
      title: 'Design brick-press',
      category: 'construction',
      tags: ['earth', 'press'],
      latestVersion: null,
    });
    const r = await t.app.inject({ url: '/api/designs/ana/brick-press' });
    expect(r.statusCode).toBe(200);
    expect(r.json().licenses).toEqual({ hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' });
    const missing = await t.app.inject({ url: '/api/designs/ana/nope' });
    expect(missing.statusCode).toBe(404);
    expect(isProblem(missing)).toBe(true);
  });

  it('refuses a taken slug, an invalid SPDX licence, unknown fields and anonymous callers', async () => {
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/designs',
      headers: ana.auth,
      payload: { slug: 'brick-press', title: 'again' },
    });
    expect(dup.statusCode).toBe(409);
    const lic = await t.app.inject({
      method: 'POST',
      url: '/api/designs',
      headers: ana.auth,
      payload: { slug: 'x1', title: 'x', licenses: { hardware: 'MIT AND (' } },
    });
    expect(lic.statusCode).toBe(400);
    expect(lic.json().errors[0].field).toBe('/licenses/hardware');
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/designs',
      headers: ana.auth,
      payload: { slug: 'x2', title: 'x', colour: 'red' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors.map((e: any) => e.field)).toEqual(['/colour']);
    const types = await t.app.inject({
      method: 'POST',
      url: '/api/designs',
      headers: ana.auth,
      payload: { slug: 'x3', title: 7, tags: 'a' },
    });
    expect(types.statusCode).toBe(400);
    expect(
      types
        .json()
        .errors.map((e: any) => e.field)
        .sort(),
    ).toEqual(['/tags', '/title']);
    const anon = await t.app.inject({ method: 'POST', url: '/api/designs', payload: { slug: 'x4', title: 'x' } });
    expect(anon.statusCode).toBe(401);
  });

  it('lets the owner and maintainers edit, nobody else; only the owner manages maintainers', async () => {
    await createDesign(t.app, ana, 'tractor');
    const byBen = await t.app.inject({
      method: 'PATCH',
      url: '/api/designs/ana/tractor',
      headers: ben.auth,
      payload: { title: 'Mine now' },
    });
    expect(byBen.statusCode).toBe(403);
    expect(isProblem(byBen)).toBe(true);
    const benAdds = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/tractor/maintainers',
      headers: ben.auth,
      payload: { handle: 'ben' },
    });
    expect(benAdds.statusCode).toBe(403);
    const add = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/tractor/maintainers',
      headers: ana.auth,
      payload: { handle: 'ben' },
    });
    expect(add.statusCode).toBe(201);
    expect(add.json().maintainers).toEqual(['ben']);
    const edit = await t.app.inject({
      method: 'PATCH',
      url: '/api/designs/ana/tractor',
      headers: ben.auth,
      payload: { title: 'LifeTrac', tags: ['tractor'] },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({ title: 'LifeTrac', tags: ['tractor'], maintainers: ['ben'] });
    const remove = await t.app.inject({
      method: 'DELETE',
      url: '/api/designs/ana/tractor/maintainers/ben',
      headers: ana.auth,
    });
    expect(remove.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'PATCH',
      url: '/api/designs/ana/tractor',
      headers: ben.auth,
      payload: { title: 'x' },
    });
    expect(after.statusCode).toBe(403);
  });

  it('lists with filters, sorts, clamps the limit and pages with stable cursors', async () => {
    for (let i = 0; i < 7; i++)
      await createDesign(t.app, ben, `part-${i}`, {
        title: `Part ${String.fromCharCode(71 - i)}`,
        category: i % 2 ? 'energy' : 'agriculture',
        tags: i === 3 ? ['special'] : [],
      });
    const energy = await t.app.inject({ url: '/api/designs?owner=ben&category=energy' });
    expect(
      energy
        .json()
        .items.map((d: any) => d.slug)
        .sort(),
    ).toEqual(['part-1', 'part-3', 'part-5']);
    const tagged = await t.app.inject({ url: '/api/designs?tag=special' });
    expect(tagged.json().items.map((d: any) => d.slug)).toEqual(['part-3']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await t.app.inject({
        url: `/api/designs?owner=ben&sort=title&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(r.statusCode).toBe(200);
      seen.push(...r.json().items.map((d: any) => d.title));
      cursor = r.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Part A', 'Part B', 'Part C', 'Part D', 'Part E', 'Part F', 'Part G']);
    const recent: string[] = [];
    cursor = null;
    do {
      const r: any = await t.app.inject({ url: `/api/designs?owner=ben&limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      recent.push(...r.json().items.map((d: any) => d.slug));
      cursor = r.json().nextCursor;
    } while (cursor);
    expect(recent).toEqual(['part-6', 'part-5', 'part-4', 'part-3', 'part-2', 'part-1', 'part-0']);
    const big = await t.app.inject({ url: '/api/designs?limit=100000' });
    expect(big.statusCode).toBe(200);
    const badCursor = await t.app.inject({ url: '/api/designs?cursor=garbage' });
    expect(badCursor.statusCode).toBe(400);
    const badLimit = await t.app.inject({ url: '/api/designs?limit=abc' });
    expect(badLimit.statusCode).toBe(400);
  });

  it('serves OpenAPI 3 generated from the schemas, and health endpoints', async () => {
    const oa = await t.app.inject({ url: '/api/openapi.json' });
    expect(oa.statusCode).toBe(200);
    expect(oa.json().openapi).toMatch(/^3\./);
    expect(Object.keys(oa.json().paths)).toEqual(
      expect.arrayContaining(['/api/designs', '/api/designs/{owner}/{slug}/versions', '/api/auth/register']),
    );
    expect(JSON.stringify(oa.json())).toContain('design-create');
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', blobs: 'ok', startup: 'ok' } });
    t.deps.startup.done = false;
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(503);
    t.deps.startup.done = true;
  });
});
