// The BOM's warnings and unreadable reasons through the API in the reader's language (Accept-Language), on both
// databases: the version's BOM, the parse preview, the cut list and the problem of a BOM that cannot be used, each
// checked against the catalogue; a warning stored before codes were recorded reads back in its English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
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
import { catalogueFile } from '../helpers/catalogues.js';
import { translator } from '../../server/src/locales/translate.js';
import { versionBoms } from '../../server/src/bom/tables.js';
import { designs, designVersions } from '../../server/src/registry/tables.js';

/** A BOM with three problems: an unreadable quantity, an unreadable price, a tube known only by its total length. */
const troubledCsv =
  'Name,Qty,Unit,Unit Price\nBolt M12,a few,pcs,0.35\nNut M12,4,pcs,cheap\nSquare tube 40x40,6.2,m,4.10\n';
const es = catalogueFile('es');
const spanish = translator('bomWarnings', 'es');
const english = catalogueFile('en');

describe.each(databaseKinds)('BOM warnings in the reader’s language on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const base = '/api/designs/ana/press/versions/1.0.0';
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'x' }], {
      name: 'bom.csv',
      bytes: troubledCsv,
    });
    expect(r.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the version’s BOM: Spanish warnings for Accept-Language es, the English sentences without it', async () => {
    const r = await t.app.inject({ url: `${base}/bom`, headers: { 'accept-language': 'es-ES,es;q=0.9' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-language']).toBe('es');
    expect(r.headers.vary).toMatch(/accept-language/i);
    const warnings = r.json().warnings as { line: number; code: string; message: string }[];
    expect(warnings.map((w) => [w.line, w.code])).toEqual([
      [2, 'quantity-unreadable'],
      [3, 'price-unreadable'],
    ]);
    expect(warnings.map((w) => w.message)).toEqual([es.bomWarnings.quantityUnreadable, es.bomWarnings.priceUnreadable]);
    const plain = (await t.app.inject({ url: `${base}/bom` })).json();
    expect(plain.warnings.map((w: { message: string }) => w.message)).toEqual([
      'expected a quantity such as 4, 2.5 m or 3/4; counted as 1',
      'expected a price such as 4.00, $4.00 or 4,00 €',
    ]);
    // the view's own warnings (a currency with no rate) too
    const converted = await t.app.inject({
      url: `${base}/bom?currency=EUR&rates=GBP:1.1`,
      headers: { 'accept-language': 'es' },
    });
    const rate = converted.json().warnings.find((w: { code: string }) => w.code === 'exchange-rate-missing');
    expect(rate.message).toBe(spanish('exchangeRateMissing', rate.values));
    expect(rate.message).toContain('EUR');
  });

  it('the cut list words its warnings in Spanish', async () => {
    const r = await t.app.inject({ url: `${base}/bom/cutlist`, headers: { 'accept-language': 'es' } });
    expect(r.statusCode).toBe(200);
    const [warning] = r.json().warnings;
    expect(warning).toMatchObject({
      code: 'cut-length-unknown',
      values: { name: 'Square tube 40x40', totalMm: '6200' },
    });
    expect(warning.message).toBe(spanish('cutLengthUnknown', warning.values));
    expect(warning.message).toMatch(/^Square tube 40x40: longitud desconocida/);
  });

  it('the parse preview words its warnings in Spanish', async () => {
    const fd = new FormData();
    fd.append('bom', new Blob([troubledCsv]), 'bom.csv');
    const { payload, headers } = await formPayload(fd);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/bom/parse',
      payload,
      headers: { ...headers, 'accept-language': 'es' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().warnings.map((w: { message: string }) => w.message)).toEqual([
      es.bomWarnings.quantityUnreadable,
      es.bomWarnings.priceUnreadable,
    ]);
  });

  it('a BOM that cannot be used: the problem’s detail and each line’s reason wholly in Spanish', async () => {
    await createDesign(t.app, ana, 'no-qty');
    const fd = new FormData();
    fd.append('manifest', JSON.stringify({ version: '1.0.0' }));
    fd.append('bom', new Blob(['Part Number,Description\nB1,Bolt\n']), 'partes.csv');
    const { payload, headers } = await formPayload(fd);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/no-qty/versions',
      payload,
      headers: { ...headers, authorization: `Bearer ${ana.token}`, 'accept-language': 'es' },
    });
    expect(r.statusCode).toBe(422);
    expect(isProblem(r)).toBe(true);
    const reason = es.bomWarnings.noQuantityColumn;
    expect(r.json().detail).toBe(
      translator('problems', 'es')('bom.cannotBeUsed', { filename: 'partes.csv', why: reason }),
    );
    expect(r.json().detail).not.toContain(english.bomWarnings.noQuantityColumn);
    expect(r.json().errors).toEqual([
      { line: 1, column: '', value: 'Part Number,Description', code: 'no-quantity-column', message: reason },
    ]);
    // in English, the sentence the kernel made
    const again = await formPayload(fd);
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/no-qty/versions',
      payload: again.payload,
      headers: { ...again.headers, authorization: `Bearer ${ana.token}` },
    });
    expect(en.json().detail).toBe(
      'The BOM "partes.csv" cannot be used: no quantity column: expected a column named Qty, Quantity, Amount or Count',
    );
  });

  it('a warning stored before codes were recorded reads back with its English sentence, in any language', async () => {
    await createDesign(t.app, ana, 'old-press');
    const r = await publish(t.app, ana, 'ana', 'old-press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'x' }], {
      name: 'bom.csv',
      bytes: troubledCsv,
    });
    expect(r.statusCode).toBe(201);
    const db = t.deps.db.db;
    const [version] = await db
      .select({ id: designVersions.id })
      .from(designVersions)
      .innerJoin(designs, eq(designs.id, designVersions.designId))
      .where(eq(designs.slug, 'old-press'));
    const stored = [{ line: 2, column: 'Qty', value: 'a few', message: 'could not read this quantity' }];
    await db.update(versionBoms).set({ warnings: stored }).where(eq(versionBoms.versionId, version!.id));
    const old = await t.app.inject({
      url: '/api/designs/ana/old-press/versions/1.0.0/bom',
      headers: { 'accept-language': 'es' },
    });
    expect(old.statusCode).toBe(200);
    expect(old.json().warnings).toEqual(stored);
  });
});
