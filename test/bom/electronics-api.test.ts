// Electronic BOMs through the API on both databases: published, read back with designators, value, footprint, MPN
// and fitted; exported and re-imported; and parts search finding an MPN in two designs.
import { sql } from 'drizzle-orm';
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

// KiCad's BOM export, with a range and a DNP line
const kicadBom =
  '"Reference","Value","Footprint","Qty","DNP","MPN","Manufacturer","Unit Price","Currency"\n' +
  '"R1-R4","10k","Resistor_SMD:R_0603_1608Metric","4","","RC0603FR-0710KL","Yageo","0.01","EUR"\n' +
  '"C1","100n","Capacitor_SMD:C_0603_1608Metric","1","DNP","GRM188R71H104KA93D","Murata","0.05","EUR"\n';
// JLCPCB's, which has no quantity column, using the same resistor
const jlcpcbBom =
  'Comment,Designator,Footprint,LCSC Part #,MPN\n' +
  '10k,"R1,R2,R3",R0603,C25804,RC0603FR-0710KL\n' +
  'ESP32-C3,U1,QFN-32,C2838500,ESP32-C3FH4\n';

describe.each(databaseKinds)('electronic BOMs through the API on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
    await createDesign(t.app, ana, 'blinker');
    await createDesign(t.app, ben, 'sensor-board');
    const files = [{ path: 'README.md', bytes: '# board' }];
    const first = await publish(t.app, ana, 'ana', 'blinker', { version: '1.0.0' }, files, {
      name: 'blinker-bom.csv',
      bytes: kicadBom,
    });
    expect(first.statusCode).toBe(201);
    expect(first.json().bom).toMatchObject({ lines: 2, warnings: 0 });
    const second = await publish(t.app, ben, 'ben', 'sensor-board', { version: '0.1.0' }, files, {
      name: 'BOM_jlcpcb.csv',
      bytes: jlcpcbBom,
    });
    expect(second.statusCode).toBe(201);
    expect(second.json().bom).toMatchObject({ lines: 2, warnings: 0 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reads the BOM back with designators, value, footprint, MPN and fitted; unfitted lines cost nothing', async () => {
    const reply = await t.app.inject({ url: '/api/designs/ana/blinker/versions/1.0.0/bom?units=10' });
    expect(reply.statusCode).toBe(200);
    const { lines, totals, warnings } = reply.json();
    expect(warnings).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({
        designators: ['R1', 'R2', 'R3', 'R4'],
        value: '10k',
        footprint: 'Resistor_SMD:R_0603_1608Metric',
        mpn: 'RC0603FR-0710KL',
        manufacturer: 'Yageo',
        quantity: '40',
        lineCost: '0.4',
      }),
      expect.objectContaining({ designators: ['C1'], value: '100n', fitted: false, quantity: '10' }),
    ]);
    expect(lines[1].lineCost).toBeUndefined();
    expect(totals.byCurrency).toEqual({ EUR: '0.4' });
  });

  it('counts the designators of the JLCPCB BOM as its quantities', async () => {
    const { lines } = (await t.app.inject({ url: '/api/designs/ben/sensor-board/versions/0.1.0/bom' })).json();
    expect(lines.map((line: any) => [line.name, line.quantity, line.designators])).toEqual([
      ['10k', '3', ['R1', 'R2', 'R3']],
      ['ESP32-C3', '1', ['U1']],
    ]);
  });

  it('exports a CSV that parses back to the same lines', async () => {
    const csv = await t.app.inject({ url: '/api/designs/ana/blinker/versions/1.0.0/bom?format=csv' });
    expect(csv.statusCode).toBe(200);
    const fd = new FormData();
    fd.append('bom', new Blob([csv.body]), 'bom.csv');
    const preview = await t.app.inject({ method: 'POST', url: '/api/bom/parse', ...(await formPayload(fd)) });
    expect(preview.statusCode).toBe(200);
    const stored = (await t.app.inject({ url: '/api/designs/ana/blinker/versions/1.0.0/bom' })).json();
    const strip = ({ quantityPer: _q, lineCost: _c, orderQuantity: _o, ...line }: any) => line;
    expect(preview.json().lines).toEqual(stored.lines.map(strip));
  });

  it("reads lines stored before designators and fitted were named so (refdes, dnf) as today's lines", async () => {
    await t.deps.db.db.execute(sql`update bom_lines
      set line = (line - 'designators' - 'fitted') || jsonb_build_object('refdes', line->'designators')
        || case when line->>'fitted' = 'false' then '{"dnf": true}'::jsonb else '{}'::jsonb end
      where line ? 'designators'`);
    const { lines } = (await t.app.inject({ url: '/api/designs/ana/blinker/versions/1.0.0/bom?units=2' })).json();
    expect(lines.map((line: any) => [line.designators, line.fitted, line.lineCost])).toEqual([
      [['R1', 'R2', 'R3', 'R4'], undefined, '0.08'],
      [['C1'], false, undefined],
    ]);
  });

  it('finds an MPN in both designs through parts search', async () => {
    const reply = await t.app.inject({ url: '/api/parts?q=RC0603FR-0710KL' });
    expect(reply.statusCode).toBe(200);
    const uses = reply
      .json()
      .items.flatMap((item: any) => item.usedIn.map((use: any) => `${use.owner}/${use.slug}@${use.version}`));
    expect(uses.sort()).toEqual(['ana/blinker@1.0.0', 'ben/sensor-board@0.1.0']);
    const quantities = reply.json().items.flatMap((item: any) => item.usedIn.map((use: any) => use.quantity));
    expect(quantities.sort()).toEqual(['3', '4']);
  });
});
