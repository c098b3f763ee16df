// Route plumbing done once: every route under /api/designs/{owner}/{slug} checks its owner/slug/version parameters
// against schemas/design-params and resolves the design (and version) the same way, whatever domain declares it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesign, createTestApp, isProblem, publish, registerUser, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';

const designRoute = /^\/api\/designs\/:owner\/:slug(\/|$)/;

/** The query strings routes require, so that a request reaches the design lookup. */
const requiredQuery: Record<string, string> = {
  compare: '?from=1.0.0&to=1.0.0',
  visual: '?from=1.0.0&to=1.0.0&path=frame.stl',
  buildability: '?workshop=nowhere',
  network: '?near=43.5,-5.6',
};

/** A concrete URL for a route pattern: its parameters filled from `values`, a file path for the wildcard. */
function fill(pattern: string, values: Record<string, string>): string {
  const path = pattern.replace(/:([a-z]+)/gi, (_, name: string) => values[name] ?? 'x').replace(/\*$/, 'frame.stl');
  return path + (requiredQuery[pattern.split('/').pop()!] ?? '');
}

describe.each(databaseKinds)('design routes (%s)', (kind) => {
  let t: TestApp;
  let owner: string;
  let routes: { method: string; url: string }[];

  beforeAll(async () => {
    t = await createTestApp(kind);
    const u = await registerUser(t.app);
    owner = u.handle;
    await createDesign(t.app, u, 'press');
    const r = await publish(t.app, u, owner, 'press', { version: '1.0.0' }, [{ path: 'frame.stl', bytes: 'solid x' }]);
    expect(r.statusCode).toBe(201);
    routes = t.app.registeredRoutes.filter((r) => designRoute.test(r.url) && r.method !== 'HEAD');
  });
  afterAll(() => t?.close());

  it('covers the routes of every domain that hangs off a design', () => {
    const urls = new Set(routes.map((r) => r.url));
    for (const url of [
      '/api/designs/:owner/:slug',
      '/api/designs/:owner/:slug/versions/:version/bom',
      '/api/designs/:owner/:slug/versions/:version/packet.pdf',
      '/api/designs/:owner/:slug/versions/:version/builds',
      '/api/designs/:owner/:slug/proposals/:id',
    ])
      expect(urls).toContain(url);
  });

  it('refuses an owner, a slug or a version longer than the schema allows with 400 on every route', async () => {
    // an owner may be name@instance (a mirrored design's remote owner): up to 320 characters
    const long = { owner: 'o'.repeat(321), slug: 's'.repeat(65), version: '1'.repeat(101) };
    for (const { method, url } of routes) {
      for (const param of ['owner', 'slug', 'version'] as const) {
        if (!url.includes(`:${param}`)) continue;
        const values = {
          owner,
          slug: 'press',
          version: '1.0.0',
          lang: 'es',
          id: '00000000-0000-4000-8000-000000000000',
        };
        const r = await t.app.inject({ method: method as 'GET', url: fill(url, { ...values, [param]: long[param] }) });
        expect(r.statusCode, `${method} ${url} with a long ${param}`).toBe(400);
        expect(isProblem(r)).toBe(true);
        expect(r.json().errors[0].field).toBe(`/params/${param}`);
      }
    }
  });

  it('answers 404 for a design or version that does not exist on every route that reads one', async () => {
    for (const { url } of routes.filter((r) => r.method === 'GET')) {
      const values = { owner, slug: 'press', version: '1.0.0', lang: 'es', id: '00000000-0000-4000-8000-000000000000' };
      const missingDesign = await t.app.inject({ method: 'GET', url: fill(url, { ...values, slug: 'no-such' }) });
      expect(missingDesign.statusCode, `GET ${url} of a missing design`).toBe(404);
      expect(missingDesign.json().detail).toContain(`${owner}/no-such`);
      if (!url.includes(':version')) continue;
      const missingVersion = await t.app.inject({ method: 'GET', url: fill(url, { ...values, version: '9.9.9' }) });
      expect(missingVersion.statusCode, `GET ${url} of a missing version`).toBe(404);
      expect(missingVersion.json().detail).toContain('9.9.9');
    }
  });

  it('asks a write route for a write token before it looks the design up', async () => {
    const anonymous = await t.app.inject({
      method: 'PATCH',
      url: `/api/designs/${owner}/no-such`,
      payload: { title: 'x' },
    });
    expect(anonymous.statusCode).toBe(401);
    const yank = await t.app.inject({ method: 'POST', url: `/api/designs/${owner}/no-such/versions/1.0.0/yank` });
    expect(yank.statusCode).toBe(401);
  });
});
