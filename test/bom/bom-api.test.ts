// The BOM through the API on both databases: frozen at publish, scaled, exported, cut, previewed, where-used.
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
import { spreadsheetBom } from '../fixtures/spreadsheet-bom.js';

const bomCsv =
  'Level,Part Number,Description,Qty,Unit,Unit Price,Currency,Supplier\n1,FR-01,Frame weldment,1,pcs,0,USD,\n1.1,ST-40,Square tube 40x40x3,6.2,m,4.10,USD,Local steel\n1.2,BL-M12,Bolt M12x40,16,pcs,0.35,USD,Fastenal\n2,HY-CYL,Hydraulic cylinder 2.5in x 10in,1,pcs,189.00,USD,Surplus Center\n';
const count = (ls: any[]): number => ls.reduce((n, l) => n + 1 + count(l.children ?? []), 0);

describe.each(databaseKinds)('BOM API on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const base = '/api/designs/ana/press/versions/1.0.0';
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'x' }], {
      name: 'bom.csv',
      bytes: bomCsv,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().bom).toMatchObject({ lines: 4, warnings: 0 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('returns the tree with a checksum, scaled linearly for N units with exact totals', async () => {
    const one = (await t.app.inject({ url: `${base}/bom` })).json();
    expect(count(one.lines)).toBe(4);
    expect(one.lines[0].children.map((c: any) => c.partNumber)).toEqual(['ST-40', 'BL-M12']);
    expect(one.checksum).toMatch(/^[0-9a-f]{64}$/);
    const five = (await t.app.inject({ url: `${base}/bom?units=5` })).json();
    expect(five.lines[0].children[0].quantity).toBe('31');
    expect(five.lines[0].children[1].quantity).toBe('80');
    expect(five.checksum).toBe(one.checksum);
    // 6.2 × 4.10 + 16 × 0.35 + 189 = 220.02 per machine
    expect(one.totals.byCurrency.USD).toBe('220.02');
    expect(five.totals.byCurrency.USD).toBe('1100.1');
    const eur = (await t.app.inject({ url: `${base}/bom?currency=EUR&rates=USD:0.9` })).json();
    expect(eur.totals.converted).toEqual({ currency: 'EUR', amount: '198.018' });
  });

  it('flattens and exports CSV/TSV carrying the checksum', async () => {
    const flat = (await t.app.inject({ url: `${base}/bom?flatten=true&units=2` })).json();
    expect(flat.lines.every((l: any) => !l.children?.length)).toBe(true);
    const csv = await t.app.inject({ url: `${base}/bom?format=csv&units=2` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('Part Number');
    expect(csv.body).toContain(csv.headers['x-bom-checksum'] as string);
    const tsv = await t.app.inject({ url: `${base}/bom?format=tsv` });
    expect(tsv.body.split('\n')[0]).toContain('\t');
  });

  it('cuts stock lengths into bars, and lists a tube given only as a total length as length unknown, with no cuts', async () => {
    const r = await t.app.inject({ url: `${base}/bom/cutlist?units=2&stock=6m&kerf=3mm` });
    expect(r.statusCode).toBe(200);
    expect(r.json().stockMm).toBe('6000');
    // 6.2 m of square tube per machine and no cut length: 12.4 m for 2, in pieces nobody named
    expect(r.json().groups).toEqual([]);
    expect(r.json().lengthUnknown).toEqual([{ position: '1.1', name: 'Square tube 40x40x3', totalMm: '12400' }]);
    expect(r.json().warnings).toEqual([
      {
        position: '1.1',
        code: 'cut-length-unknown',
        values: { name: 'Square tube 40x40x3', totalMm: '12400' },
        message: expect.stringContaining('length unknown'),
      },
    ]);
    const withLengths = 'Level,Description,Qty,Unit,Cut length\n1,Square tube 40x40x3,4,pcs,1550\n';
    expect(
      (
        await publish(t.app, ana, 'ana', 'press', { version: '1.5.0' }, [{ path: 'a.txt', bytes: 'x' }], {
          name: 'bom.csv',
          bytes: withLengths,
        })
      ).statusCode,
    ).toBe(201);
    const cut = (await t.app.inject({ url: '/api/designs/ana/press/versions/1.5.0/bom/cutlist?units=2' })).json();
    // 4 × 2 = 8 pieces of 1550 mm; 3 per bar (3 × 1550 + 2 × 3 = 4656 ≤ 6000) → 3 bars
    expect(cut.groups.map((group: any) => [group.cuts, group.barsNeeded])).toEqual([
      [[{ lengthMm: '1550', count: 8, position: '1' }], 3],
    ]);
    expect(cut.warnings).toEqual([]);
    const bad = await t.app.inject({ url: `${base}/bom/cutlist?stock=long` });
    expect(bad.statusCode).toBe(400);
  });

  it('imports a spreadsheet export (preamble, section rows, "$-" prices) at /api/bom/parse and at publish', async () => {
    const fd = new FormData();
    fd.append('bom', new Blob([spreadsheetBom]), 'CEB Press BOM - Sheet1.csv');
    const preview = await t.app.inject({ method: 'POST', url: '/api/bom/parse', ...(await formPayload(fd)) });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().lines.map((line: any) => line.name)).toEqual([
      'Leg',
      'Ring rail',
      'Table plate',
      'Controller',
      'Wire',
    ]);
    expect(preview.json().warnings.map((warning: any) => warning.message)).toContain('section heading row skipped');
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.6.0' }, [{ path: 'a.txt', bytes: 'x' }], {
      name: 'CEB Press BOM - Sheet1.csv',
      bytes: spreadsheetBom,
    });
    expect(r.statusCode).toBe(201);
    const view = (await t.app.inject({ url: '/api/designs/ana/press/versions/1.6.0/bom' })).json();
    // 3.72 × 9.80 + 4.8 × 9.80 + 168 + 27.60 = 36.456 + 47.04 + 195.60 = 279.096 USD; the wire has no price
    expect(view.totals.byCurrency).toEqual({ USD: '279.096' });
    expect(view.lines.find((line: any) => line.name === 'Leg').suppliers).toEqual([{ name: 'Metals Depot' }]);
  });

  it('previews a parse with the column mapping, and refuses a BOM with no header (422 with errors)', async () => {
    const fd = new FormData();
    fd.append('bom', new Blob(['Qty;Bezeichnung;Preis\n2;Schraube;"0,50 €"\n']), 'bom.csv');
    const r = await t.app.inject({ method: 'POST', url: '/api/bom/parse', ...(await formPayload(fd)) });
    expect(r.statusCode).toBe(200);
    expect(r.json().format).toBe('ssv');
    expect(r.json().mapping.length).toBeGreaterThan(0);
    const junk = new FormData();
    junk.append('bom', new Blob(['hello world\nthis is not a bom\n']), 'bom.csv');
    const bad = await t.app.inject({ method: 'POST', url: '/api/bom/parse', ...(await formPayload(junk)) });
    expect(bad.statusCode).toBe(422);
    expect(isProblem(bad)).toBe(true);
    const before = (await t.deps.db.raw('select count(*)::int as n from design_versions')).rows[0].n;
    const pub = await publish(t.app, ana, 'ana', 'press', { version: '2.0.0' }, [], {
      name: 'bom.csv',
      bytes: 'hello world\nthis is not a bom\n',
    });
    expect(pub.statusCode).toBe(422);
    expect((await t.deps.db.raw('select count(*)::int as n from design_versions')).rows[0].n).toBe(before);
  });

  it('finds where a part is used', async () => {
    const r = (await t.app.inject({ url: '/api/parts?q=hydraulic' })).json();
    expect(r.items).toEqual([
      {
        partNumber: 'HY-CYL',
        mpn: null,
        name: 'Hydraulic cylinder 2.5in x 10in',
        usedInCount: 1,
        substitutes: [],
        usedIn: [{ owner: 'ana', slug: 'press', version: '1.0.0', position: '2', quantity: '1', unit: 'pcs' }],
      },
    ]);
    const byNumber = (await t.app.inject({ url: '/api/parts?q=BL-M12' })).json();
    expect(byNumber.items[0].partNumber).toBe('BL-M12');
    const none = await t.app.inject({ url: `/api/designs/ana/press/versions/1.0.0/bom`.replace('1.0.0', 'latest') });
    expect(none.statusCode).toBe(200);
  });
});
