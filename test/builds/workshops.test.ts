// Workshops on both databases: create (place rounded, processes from the BOM vocabulary), members and roles, lists
// near a point / by process / by country, what can be built where, and the production network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { loadSchemas } from '../../server/src/schemas.js';
import { PROCESSES } from '../../server/src/bom/kernel/processes.js';

const bomCsv =
  [
    'Level,Part Number,Description,Qty,Unit,Process',
    '1,FR-01,Frame weldment,1,pcs,welding',
    '1.1,ST-40,Square tube,6.2,m,sawing',
    '2,SH-01,Shaft,1,pcs,lathe',
    '3,PL-01,Plate,2,pcs,welding',
  ].join('\n') + '\n';

describe.each(databaseKinds)('workshops on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let ben: TestUser;
  let cho: TestUser;
  const post = (user: TestUser, url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: user.auth, payload: payload as object });

  beforeAll(async () => {
    t = await createTestApp(kind);
    [ana, ben, cho] = [await registerUser(t.app), await registerUser(t.app), await registerUser(t.app)];
    await createDesign(t.app, ana, 'lathe-stand');
    expect(
      (
        await publish(t.app, ana, ana.handle, 'lathe-stand', { version: '1.0.0' }, [], {
          name: 'bom.csv',
          bytes: bomCsv,
        })
      ).statusCode,
    ).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('creates a workshop: place rounded to ~1 km, everyday process names mapped, creator is its first admin', async () => {
    const r = await post(ana, '/api/workshops', {
      slug: 'taller-gijon',
      name: 'Taller Gijón',
      description: 'Metal shop',
      place: { city: 'Gijón', region: 'Asturias', country: 'es', lat: 43.535712, lon: -5.661534 },
      processes: ['MIG', 'welding', 'turning', 'saw'],
      tools: ['MIG welder 200 A'],
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      slug: 'taller-gijon',
      name: 'Taller Gijón',
      place: { city: 'Gijón', region: 'Asturias', country: 'ES', lat: 43.54, lon: -5.66 },
      processes: ['welding', 'lathe', 'sawing'],
      tools: ['MIG welder 200 A'],
      members: [{ handle: ana.handle, role: 'admin' }],
    });
    expect(
      (await post(ben, '/api/workshops', { slug: 'taller-gijon', name: 'x', place: { city: 'x', country: 'ES' } }))
        .statusCode,
    ).toBe(409);
    const unknown = await post(ben, '/api/workshops', {
      slug: 'odd',
      name: 'Odd',
      place: { city: 'x', country: 'ES' },
      processes: ['telekinesis'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(isProblem(unknown)).toBe(true);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ field: '/processes/0', value: 'telekinesis' })]);
    expect(
      (await post(ben, '/api/workshops', { slug: 'far', name: 'Far', place: { city: 'x', country: 'ES', lat: 95 } }))
        .statusCode,
    ).toBe(400);
    expect(
      (await post(ben, '/api/workshops', { slug: 'x2', name: 'X', place: { city: 'x', country: 'ES' }, colour: 'red' }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/workshops',
          payload: { slug: 'anon', name: 'A', place: { city: 'x', country: 'ES' } },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('admins add members and set roles; members cannot', async () => {
    expect((await post(ben, '/api/workshops/taller-gijon/members', { handle: cho.handle })).statusCode).toBe(403);
    const add = await post(ana, '/api/workshops/taller-gijon/members', { handle: ben.handle });
    expect(add.statusCode).toBe(201);
    expect(add.json().members).toEqual([
      expect.objectContaining({ handle: ana.handle, role: 'admin' }),
      expect.objectContaining({ handle: ben.handle, role: 'member' }),
    ]);
    expect((await post(ben, '/api/workshops/taller-gijon/members', { handle: cho.handle })).statusCode).toBe(403);
    expect(
      (await post(ana, '/api/workshops/taller-gijon/members', { handle: ben.handle, role: 'admin' })).statusCode,
    ).toBe(201);
    expect(
      (await post(ben, '/api/workshops/taller-gijon/members', { handle: cho.handle, role: 'member' })).statusCode,
    ).toBe(201);
    expect((await post(ana, '/api/workshops/taller-gijon/members', { handle: 'nobody-here' })).statusCode).toBe(404);
    const ws = (await t.app.inject({ url: '/api/workshops/taller-gijon' })).json();
    expect(ws.members.map((m: any) => [m.handle, m.role])).toEqual([
      [ana.handle, 'admin'],
      [ben.handle, 'admin'],
      [cho.handle, 'member'],
    ]);
    expect(ws.builds).toEqual([]);
    // cho leaves; the last admin cannot leave a workshop without admins
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/workshops/taller-gijon/members/${cho.handle}`,
          headers: cho.auth,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/workshops/taller-gijon/members/${ben.handle}`,
          headers: ana.auth,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/workshops/taller-gijon/members/${ana.handle}`,
          headers: ana.auth,
        })
      ).statusCode,
    ).toBe(409);
  });

  it('lists near a point (nearest first, within a radius), by process and by country', async () => {
    const mk = (slug: string, city: string, country: string, lat: number, lon: number, processes: string[]) =>
      post(cho, '/api/workshops', { slug, name: slug, place: { city, country, lat, lon }, processes });
    expect((await mk('oviedo-lathe', 'Oviedo', 'ES', 43.3614, -5.8494, ['lathe', 'cnc-mill'])).statusCode).toBe(201);
    expect((await mk('aviles-saw', 'Avilés', 'ES', 43.5547, -5.9248, ['sawing', 'welding'])).statusCode).toBe(201);
    expect((await mk('leon-weld', 'León', 'ES', 42.5987, -5.5671, ['welding'])).statusCode).toBe(201);
    expect((await mk('nairobi', 'Nairobi', 'KE', -1.2864, 36.8172, ['welding', 'lathe', 'sawing'])).statusCode).toBe(
      201,
    );

    const near = (await t.app.inject({ url: '/api/workshops?near=43.54,-5.66&radiusKm=60' })).json();
    expect(near.items.map((w: any) => w.slug)).toEqual(['taller-gijon', 'aviles-saw', 'oviedo-lathe']);
    expect(near.items[0].distanceKm).toBe(0);
    expect(near.items[1].distanceKm).toBeCloseTo(21, 0);
    const welding = (await t.app.inject({ url: '/api/workshops?near=43.54,-5.66&process=welding' })).json();
    expect(welding.items.map((w: any) => w.slug)).toEqual(['taller-gijon', 'aviles-saw', 'leon-weld', 'nairobi']);
    const ke = (await t.app.inject({ url: '/api/workshops?country=ke' })).json();
    expect(ke.items.map((w: any) => w.slug)).toEqual(['nairobi']);
    expect((await t.app.inject({ url: '/api/workshops?near=north' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/workshops?near=95,10' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/workshops?process=telekinesis' })).statusCode).toBe(400);
  });

  it('says what is missing to build a version at a workshop, and which designs a workshop can build', async () => {
    const base = `/api/designs/${ana.handle}/lathe-stand/versions/1.0.0`;
    const at = (await t.app.inject({ url: `${base}/buildability?workshop=leon-weld` })).json();
    expect(at).toMatchObject({
      needs: ['welding', 'lathe', 'sawing'],
      has: ['welding'],
      buildable: false,
      known: true,
    });
    expect(at.missing).toEqual([
      { process: 'lathe', lines: ['2'] },
      { process: 'sawing', lines: ['1.1'] },
    ]);
    const full = (await t.app.inject({ url: `${base}/buildability?workshop=taller-gijon` })).json();
    expect(full).toMatchObject({ buildable: true, missing: [] });
    expect((await t.app.inject({ url: `${base}/buildability?workshop=nope` })).statusCode).toBe(404);

    const can = (await t.app.inject({ url: '/api/workshops/nairobi/buildable' })).json();
    expect(can.items).toEqual([
      expect.objectContaining({
        owner: ana.handle,
        slug: 'lathe-stand',
        version: '1.0.0',
        needs: ['welding', 'lathe', 'sawing'],
      }),
    ]);
    expect((await t.app.inject({ url: '/api/workshops/leon-weld/buildable' })).json().items).toEqual([]);
  });

  it('lists a design the workshop built among what it can build, marked built, even when its processes fall short', async () => {
    const report = async (workshop: string, outcome: string) => {
      const form = new FormData();
      form.append('report', JSON.stringify({ workshop, outcome }));
      const { payload, headers } = await formPayload(form);
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/designs/${ana.handle}/lathe-stand/versions/1.0.0/builds`,
        headers: { ...cho.auth, ...headers },
        payload,
      });
      expect(r.statusCode).toBe(201);
      return r.json().id as string;
    };
    // León welds only (no lathe, no saw): the BOM alone says it cannot build the stand, its own build says it can
    const id = await report('leon-weld', 'success');
    const can = (await t.app.inject({ url: '/api/workshops/leon-weld/buildable' })).json();
    expect(can.items).toEqual([
      expect.objectContaining({
        slug: 'lathe-stand',
        built: { version: '1.0.0', outcome: 'success', report: id },
        missing: ['lathe', 'sawing'],
      }),
    ]);
    // a failed build proves nothing
    await report('aviles-saw', 'failed');
    expect((await t.app.inject({ url: '/api/workshops/aviles-saw/buildable' })).json().items).toEqual([]);
  });

  it('proposes the production network near a point', async () => {
    const base = `/api/designs/${ana.handle}/lathe-stand/versions/1.0.0`;
    // near León within 100 km: León welds and Oviedo turns (≈ 88 km); nobody saws — Gijón and Avilés are ≈ 105 km away
    const plan = (await t.app.inject({ url: `${base}/network?near=42.60,-5.57&radiusKm=100` })).json();
    expect(plan).toMatchObject({
      covered: false,
      exact: true,
      needs: ['welding', 'lathe', 'sawing'],
      radiusKm: 100,
      candidates: 2,
    });
    expect(plan.workshops.map((w: any) => [w.slug, w.processes, w.lines])).toEqual([
      ['leon-weld', ['welding'], ['1', '3']],
      ['oviedo-lathe', ['lathe'], ['2']],
    ]);
    expect(plan.uncovered).toEqual([{ process: 'sawing', lines: ['1.1'] }]);
    // within 120 km Gijón does all three: one workshop beats the nearer pair plus Avilés
    const wider = (await t.app.inject({ url: `${base}/network?near=42.60,-5.57&radiusKm=120` })).json();
    expect(wider).toMatchObject({ covered: true, candidates: 4 });
    expect(wider.workshops.map((w: any) => [w.slug, w.processes, w.lines])).toEqual([
      ['taller-gijon', ['welding', 'lathe', 'sawing'], ['1', '3', '2', '1.1']],
    ]);
    const one = (await t.app.inject({ url: `${base}/network?near=43.54,-5.66&radiusKm=30` })).json();
    expect(one.workshops.map((w: any) => w.slug)).toEqual(['taller-gijon']);
    const none = (await t.app.inject({ url: `${base}/network?near=0,0&radiusKm=10` })).json();
    expect(none).toMatchObject({ covered: false, workshops: [], candidates: 0 });
    expect(none.uncovered.map((u: any) => u.process)).toEqual(['welding', 'lathe', 'sawing']);
    expect((await t.app.inject({ url: `${base}/network` })).statusCode).toBe(400);
  });
});

describe('process vocabulary', () => {
  it('workshops accept exactly the BOM processes (the schema does not repeat the list)', () => {
    const s = loadSchemas().find((x) => x.$id === 'workshop-process')!;
    expect(s.enum).toBeUndefined();
    expect(PROCESSES).toContain('welding');
  });
});
