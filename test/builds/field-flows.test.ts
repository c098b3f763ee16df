// What an approved build changes elsewhere: search facets and ranking inputs, lineage counts, the BOM's
// regional substitutions, parts search's substitutes, and "buildable with my workshop".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';

const bomCsv =
  'Level,Part Number,Description,Qty,Unit,Process\n1,ST-40,Square tube 40x40x3,6,m,welding\n2,HY-CYL,Hydraulic cylinder,1,pcs,hydraulics\n';

describe.each(databaseKinds)('field data flows on %s', (kind) => {
  let t: TestApp;
  let lead: TestUser;
  let maker: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    lead = await registerUser(t.app, 'lead');
    maker = await registerUser(t.app, 'maker');
    await createDesign(t.app, lead, 'press', { title: 'Brick press', category: 'construction' });
    expect(
      (await publish(t.app, lead, 'lead', 'press', { version: '1.0.0' }, [], { name: 'bom.csv', bytes: bomCsv }))
        .statusCode,
    ).toBe(201);
    const w = await t.app.inject({
      method: 'POST',
      url: '/api/workshops',
      headers: maker.auth,
      payload: {
        slug: 'fundi',
        name: 'Fundi',
        place: { city: 'Nairobi', country: 'KE' },
        processes: ['welding', 'hydraulics'],
      },
    });
    expect(w.statusCode).toBe(201);
    const fd = new FormData();
    fd.append(
      'report',
      JSON.stringify({
        workshop: 'fundi',
        outcome: 'success',
        hours: 30,
        cost: { amount: '500.00', currency: 'USD' },
        lines: [
          {
            position: '1',
            status: 'substituted',
            substitute: { name: 'Local 50 mm RHS' },
            reason: 'what the yard had',
          },
        ],
      }),
    );
    const { payload, headers } = await formPayload(fd);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/designs/lead/press/versions/1.0.0/builds',
      headers: { ...headers, ...maker.auth },
      payload,
    });
    expect(r.statusCode).toBe(201);
    const rv = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${r.json().id}/reviews`,
      headers: lead.auth,
      payload: { decision: 'approve', comment: 'good' },
    });
    expect(rv.statusCode).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('counts the approved build in search facets and filters', async () => {
    const s = (await t.app.inject({ url: '/api/designs?facets=true' })).json();
    expect(s.facets.hasBuilds).toEqual({ yes: 1, no: 0 });
    expect(s.facets.country).toEqual({ KE: 1 });
    expect(s.items[0].approvedBuilds).toBe(1);
    expect((await t.app.inject({ url: '/api/designs?country=KE' })).json().items.map((i: any) => i.slug)).toEqual([
      'press',
    ]);
  });

  it('shows the approved build in lineage and the regional substitution in the BOM', async () => {
    const lin = (await t.app.inject({ url: '/api/designs/lead/press/lineage' })).json();
    expect(JSON.stringify(lin)).toMatch(/"approvedBuilds":1/);
    const bom = (await t.app.inject({ url: '/api/designs/lead/press/versions/1.0.0/bom?region=KE' })).json();
    expect(bom.region.substitutions[0]).toMatchObject({
      position: '1',
      substitute: { name: 'Local 50 mm RHS' },
      count: 1,
    });
  });

  it('lists the substitutes approved builds used in parts search', async () => {
    const r = (await t.app.inject({ url: '/api/parts?q=st-40' })).json();
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({
      partNumber: 'ST-40',
      usedInCount: 1,
      substitutes: [{ name: 'Local 50 mm RHS', reports: 1 }],
    });
    const other = (await t.app.inject({ url: '/api/parts?q=HY-CYL' })).json();
    expect(other.items[0].substitutes).toEqual([]);
  });

  it("lists the account's workshops in /api/me", async () => {
    expect((await t.app.inject({ url: '/api/me', headers: maker.auth })).json().workshops).toEqual([
      { slug: 'fundi', name: 'Fundi', role: 'admin' },
    ]);
    expect((await t.app.inject({ url: '/api/me', headers: lead.auth })).json().workshops).toEqual([]);
  });

  it('finds designs buildable by a workshop', async () => {
    expect(
      (await t.app.inject({ url: '/api/designs?buildableBy=fundi' })).json().items.map((i: any) => i.slug),
    ).toEqual(['press']);
    await t.app.inject({
      method: 'POST',
      url: '/api/workshops',
      headers: maker.auth,
      payload: { slug: 'woodshop', name: 'Wood', place: { city: 'Pune', country: 'IN' }, processes: ['woodworking'] },
    });
    expect((await t.app.inject({ url: '/api/designs?buildableBy=woodshop' })).json().items).toEqual([]);
    expect((await t.app.inject({ url: '/api/designs?buildableBy=nope' })).statusCode).toBe(404);
  });
});
