// Search relevance on a generated corpus with known answers, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';

const bom = (lines: string[]) => 'Level,Part Number,Description,Qty,Unit,Process\n' + lines.join('\n') + '\n';

const corpus = [
  {
    slug: 'brick-press',
    title: 'Compressed Earth Brick Press',
    category: 'construction',
    tags: ['ceb', 'earth'],
    lic: 'CERN-OHL-S-2.0',
    summary: 'Hydraulic press for earth blocks',
    bom: ['1,HY-CYL-2,Hydraulic cylinder 2 in bore,1,pcs,hydraulics', '2,ST-50,Square tube 2in,6,m,welding'],
  },
  {
    slug: 'power-unit',
    title: 'Hydraulic Power Unit',
    category: 'industry',
    tags: ['engine'],
    lic: 'CC-BY-SA-4.0',
    summary: 'A modular engine and pump',
    bom: ['1,PUMP-9,Gear pump,1,pcs,hydraulics', '2,HY-CYL-2,Hydraulic cylinder 2 in bore,2,pcs,hydraulics'],
  },
  {
    slug: 'wind-turbine',
    title: 'Wind Turbine',
    category: 'energy',
    tags: ['wind', 'electricity'],
    lic: 'CERN-OHL-S-2.0',
    summary: 'Horizontal axis generator',
    bom: ['1,BL-1,Blade,3,pcs,woodworking', '2,MAG-N42,Neodymium magnet,16,pcs,electronics-assembly'],
  },
  {
    slug: 'soil-pulverizer',
    title: 'Soil Pulverizer',
    category: 'construction',
    tags: ['soil'],
    lic: 'GPL-3.0-or-later',
    summary: 'Crushes clods for brick making',
    bom: ['1,RT-1,Rotor,1,pcs,welding'],
  },
];

describe.each(databaseKinds)('search on %s', (kind) => {
  let t: TestApp;
  let ose: TestUser;
  const search = async (qs: string) => (await t.app.inject({ url: `/api/designs?${qs}` })).json();
  const slugs = (r: any) => r.items.map((i: any) => i.slug);

  beforeAll(async () => {
    t = await createTestApp(kind);
    ose = await registerUser(t.app, 'ose');
    for (const d of corpus) {
      await createDesign(t.app, ose, d.slug, {
        title: d.title,
        category: d.category,
        tags: d.tags,
        summary: d.summary,
        licenses: { hardware: d.lic },
      });
      const r = await publish(t.app, ose, 'ose', d.slug, { version: '1.0.0', function: d.summary }, [], {
        name: 'bom.csv',
        bytes: bom(d.bom),
      });
      expect(r.statusCode).toBe(201);
    }
    await createDesign(t.app, ose, 'empty-idea', { title: 'An idea without versions' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds a design by title words, ranked first, with a highlighted snippet', async () => {
    const r = await search('q=brick%20press');
    expect(slugs(r)[0]).toBe('brick-press');
    expect(r.items[0].snippet).toContain('<mark>');
  });

  it('forgives typos and partial words (trigram)', async () => {
    expect(slugs(await search('q=brik%20pres'))[0]).toBe('brick-press');
    expect(slugs(await search('q=pulveriser'))[0]).toBe('soil-pulverizer');
    expect(slugs(await search('q=turbin'))).toContain('wind-turbine');
  });

  it('searches BOM part names and honours websearch syntax', async () => {
    expect(slugs(await search('q=neodymium%20magnet'))).toEqual(['wind-turbine']);
    const cyl = slugs(await search('q=hydraulic%20cylinder'));
    expect(cyl.slice(0, 2).sort()).toEqual(['brick-press', 'power-unit']);
    const notBrick = slugs(await search('q=hydraulic%20-brick'));
    expect(notBrick).toContain('power-unit');
    expect(notBrick).not.toContain('brick-press');
    expect(slugs(await search('q=%22earth%20blocks%22'))).toEqual(['brick-press']);
  });

  it('matches every word first, and any word only when no design has them all', async () => {
    // "square" and "magnet" are in no design together: each design with either is found
    expect(slugs(await search('q=square%20magnet')).sort()).toEqual(['brick-press', 'wind-turbine']);
    // "bore" and "engine" are: the power unit alone, not the brick press whose cylinder also has a bore
    expect(slugs(await search('q=bore%20engine'))).toEqual(['power-unit']);
  });

  it('counts facets exactly and filters by them', async () => {
    const r = await search('facets=true');
    expect(r.facets.category).toEqual({ construction: 2, energy: 1, industry: 1 });
    expect(r.facets.license).toEqual({ 'CERN-OHL-S': 2, 'CC-BY-SA': 1, GPL: 1 });
    expect(r.facets.process).toEqual({ hydraulics: 2, welding: 2, 'electronics-assembly': 1, woodworking: 1 });
    expect(r.facets.hasBuilds).toEqual({ yes: 0, no: 5 });
    expect(slugs(await search('process=hydraulics')).sort()).toEqual(['brick-press', 'power-unit']);
    expect(slugs(await search('q=press&category=construction'))).toEqual(['brick-press']);
    // every word is sought among the designs the filter leaves: the power unit alone has both, but it is not in
    // construction, where the brick press has one of them
    expect(slugs(await search('q=hydraulic%20engine'))).toEqual(['power-unit']);
    expect(slugs(await search('q=hydraulic%20engine&category=construction'))).toEqual(['brick-press']);
    expect(slugs(await search('license=GPL'))).toEqual(['soil-pulverizer']);
  });

  it('pages with a cursor that is stable under ties', async () => {
    for (let i = 0; i < 7; i++) await createDesign(t.app, ose, `tie-${i}`, { title: 'Identical tie design' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await search(`q=identical%20tie&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...slugs(r));
      cursor = r.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('finds a part number in every design that uses it', async () => {
    const r = (await t.app.inject({ url: '/api/parts?q=HY-CYL-2' })).json();
    expect(r.items).toHaveLength(1);
    expect(r.items[0].usedIn.map((u: any) => `${u.slug}:${u.quantity}`).sort()).toEqual([
      'brick-press:1',
      'power-unit:2',
    ]);
    expect(r.items[0].usedInCount).toBe(2);
  });

  it('finds a part by words of its name, an exact part number first, hidden designs left out', async () => {
    const parts = async (q: string) =>
      (await t.app.inject({ url: `/api/parts?q=${encodeURIComponent(q)}` })).json().items.map((i: any) => i.partNumber);
    expect(await parts('cylinder 2 in')).toEqual(['HY-CYL-2']);
    // every word, in any order, from the name, material or process; 2 inch is 2in is 2 in
    expect(await parts('hydraulic cylinder 2 inch')).toEqual(['HY-CYL-2']);
    expect(await parts('square tube 2 inch')).toEqual(['ST-50']);
    expect(await parts('hydraulics pump')).toEqual(['PUMP-9']);
    // no part has every word: the ones with the most
    expect(await parts('gear pump magnet')).toEqual(['PUMP-9']);
    // a word matches from the start of a word: "tube" finds the square tube, "ube" nothing
    expect(await parts('tube')).toEqual(['ST-50']);
    expect(await parts('ube')).toEqual([]);
    // regular-expression and LIKE characters are only characters
    for (const odd of ['(x+ [y *', '50%', 'a_b', '\\'])
      expect((await t.app.inject({ url: `/api/parts?q=${encodeURIComponent(odd)}` })).statusCode).toBe(200);
    const exact = (await t.app.inject({ url: '/api/parts?q=bl-1' })).json();
    expect(exact.items[0].partNumber).toBe('BL-1');
    expect((await t.app.inject({ url: '/api/parts?q=no-such-part' })).json().items).toEqual([]);
    // a design taken down (ose, the instance's first account, is its admin) no longer lists its parts
    const report = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: ose.auth,
      payload: { subject: 'design', id: 'ose/wind-turbine', reason: 'test' },
    });
    expect(report.statusCode).toBe(201);
    const hide = await t.app.inject({
      method: 'POST',
      url: `/api/admin/reports/${report.json().id}/resolve`,
      headers: ose.auth,
      payload: { action: 'hide' },
    });
    expect(hide.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/parts?q=bl-1' })).json().items).toEqual([]);
    const restore = await t.app.inject({
      method: 'POST',
      url: `/api/admin/reports/${report.json().id}/resolve`,
      headers: ose.auth,
      payload: { action: 'restore' },
    });
    expect(restore.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/parts?q=bl-1' })).json().items).toHaveLength(1);
  });

  it('lists where-used newest version first, and follows yanks and deleted accounts', async () => {
    const uses = async () => (await t.app.inject({ url: '/api/parts?q=RT-1' })).json().items[0];
    const maker = await registerUser(t.app, 'maker');
    await createDesign(t.app, maker, 'tool-cart', { title: 'Tool Cart' });
    for (const version of ['1.0.0', '1.1.0']) {
      expect(
        (
          await publish(t.app, maker, 'maker', 'tool-cart', { version }, [], {
            name: 'bom.csv',
            bytes: bom(['1,RT-1,Rotor,2,pcs,welding']),
          })
        ).statusCode,
      ).toBe(201);
    }
    // by owner, design, newest version first
    expect((await uses()).usedIn.map((u: any) => `${u.owner}/${u.slug}@${u.version}`)).toEqual([
      'maker/tool-cart@1.1.0',
      'maker/tool-cart@1.0.0',
      'ose/soil-pulverizer@1.0.0',
    ]);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/designs/maker/tool-cart/versions/1.1.0/yank',
          headers: maker.auth,
        })
      ).statusCode,
    ).toBe(200);
    expect((await uses()).usedInCount).toBe(2);
    // the design stays at its address after its account is deleted (the handle stays reserved), and is listed there
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: '/api/me',
          headers: maker.auth,
          payload: { password: maker.password },
        })
      ).statusCode,
    ).toBe(204);
    const owners = (await uses()).usedIn.map((u: any) => u.owner);
    expect(owners).toHaveLength(2);
    expect(owners).toEqual(['maker', 'ose']);
    // the where-used table holds exactly the lines of published versions of visible designs, as they are now
    const {
      rows: [diff],
    } = await t.deps.db.raw(`select
        (select count(*) from part_uses)::int as kept,
        (select count(*) from bom_lines l join design_versions v on v.id = l.version_id and v.state = 'published'
          join designs d on d.id = v.design_id and not d.hidden
          join part_uses u on u.line_id = l.id and u.owner_handle = d.owner_handle and u.slug = d.slug and u.version = v.version)::int as matching`);
    expect(diff.kept).toBe(diff.matching);
    expect(diff.kept).toBeGreaterThan(0);
  });

  it("keeps its copy of each design's own columns equal to the design (takedown, rename, deleted account)", async () => {
    const differing = async () =>
      (
        await t.deps.db.raw(`select count(*)::int as n from design_search s join designs d on d.id = s.design_id
      where (s.title, s.category, s.owner_id, s.owner_handle, s.hidden, s.created_at, s.updated_at)
        is distinct from (d.title, d.category, d.owner_id, d.owner_handle, d.hidden, d.created_at, d.updated_at)`)
      ).rows[0].n;
    const keeper = await registerUser(t.app, 'keeper');
    await createDesign(t.app, keeper, 'seed-drill', { title: 'Seed Drill', category: 'agriculture' });
    expect(
      (
        await publish(t.app, keeper, 'keeper', 'seed-drill', { version: '1.0.0' }, [], {
          name: 'bom.csv',
          bytes: bom(['1,SD-1,Coulter,4,pcs,welding']),
        })
      ).statusCode,
    ).toBe(201);
    expect(slugs(await search('q=seed%20drill&category=agriculture'))).toEqual(['seed-drill']);
    // an edit and a takedown by an admin through SQL, as an operator's script would: no application hook runs
    await t.deps.db.raw(`update designs set title = 'Row Seeder', category = 'farming' where slug = 'seed-drill'`);
    expect(slugs(await search('q=seed%20drill&category=farming'))).toEqual(['seed-drill']);
    await t.deps.db.raw(`update designs set hidden = true where slug = 'seed-drill'`);
    expect(slugs(await search('q=seed%20drill'))).toEqual([]);
    await t.deps.db.raw(`update designs set hidden = false where slug = 'seed-drill'`);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: '/api/me',
          headers: keeper.auth,
          payload: { password: keeper.password },
        })
      ).statusCode,
    ).toBe(204);
    expect((await search('q=seed%20drill')).items[0].owner).toBe('keeper');
    expect(await differing()).toBe(0);
  });
});
