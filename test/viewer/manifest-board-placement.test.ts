// The manifest's `boards` placements through the API on both databases: a placement is kept and returned as sent
// (with unknown fields, manifests being lenient), one that is not three numbers is refused with the field named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesign, isProblem, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { createTestApp } from '../helpers/app.js';

describe.each(databaseKinds)('board placements in the manifest on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const readme = { path: 'README.md', bytes: new TextEncoder().encode('# Charger\n') };

  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'charger');
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps a placement and returns it in the version document', async () => {
    const boards = {
      'electronics/controller': { position: [120, 40, 35.5], rotation: [0, 0, 90], thickness: 1.2, layer: 'tool-x' },
      root: { thickness: 0.8 },
    };
    const r = await publish(t.app, ana, 'ana', 'charger', { version: '1.0.0', boards }, [readme]);
    expect(r.statusCode, r.body).toBe(201);
    const v = (await t.app.inject({ url: '/api/designs/ana/charger/versions/1.0.0' })).json();
    expect(v.manifest.boards).toEqual(boards);
  });

  for (const [what, placement, field] of [
    ['a position of two numbers', { position: [1, 2] }, 'position'],
    ['a rotation in words', { rotation: ['0', '0', '90'] }, 'rotation'],
    ['a board of no thickness', { thickness: 0 }, 'thickness'],
  ] as const) {
    it(`refuses ${what}, naming the field`, async () => {
      const r = await publish(t.app, ana, 'ana', 'charger', { version: '1.0.1', boards: { root: placement } }, [
        readme,
      ]);
      expect(r.statusCode).toBe(400);
      expect(isProblem(r)).toBe(true);
      expect(r.body).toContain(field);
    });
  }
});
