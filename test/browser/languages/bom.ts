// The BOM, its cut list and the file list of the sample brick press in Catalan and in Arabic: headings, labels and
// counts from the catalogue, numbers in the locale's digits grouping, and the page right to left in Arabic; a BOM
// with warnings shows them in Catalan, worded by the web from their codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishSampleBrickPress } from '../../helpers/sample-brick-press.js';
import { createDesign, publish } from '../../helpers/app.js';
import { translator } from '../../../server/src/locales/translate.js';
import { IntlMessageFormat } from 'intl-messageformat';
import { haveChromium, openBrowserSession, root, type BrowserSession } from '../harness.js';

const catalogue = (tag: string) => JSON.parse(readFileSync(join(root, 'locales', `${tag}.json`), 'utf8'));
const web = (tag: string) => catalogue(tag).web;
/** Counts, a length in a metric symbol and one in feet: the words worded, the symbol kept. */
const unitsBom = 'Name,Qty,Unit\nBolt M12,12,pcs\nPin,1,pcs\nFlat bar,1.5,m\nRope,3,ft\n';
/** Four warnings: an unreadable quantity and price, a unit that differs from its column, a price in two currencies. */
const warnedBom =
  'Name,Qty,Unit,Unit Price\nBolt M12,a few,pcs,0.35\nNut M12,4,pcs,cheap\nFlat bar,2 kg,m,3.00\nWasher,8,pcs,$ 1.00 EUR\n';

describe.skipIf(!haveChromium)('the BOM in Catalan and Arabic', () => {
  let session: BrowserSession;
  let ose: Awaited<ReturnType<typeof publishSampleBrickPress>>;

  beforeAll(async () => {
    session = await openBrowserSession();
    ose = await publishSampleBrickPress(session.t.app);
    await createDesign(session.t.app, ose, 'warned-press');
    const r = await publish(session.t.app, ose, 'ose', 'warned-press', { version: '1.0.0' }, [], {
      name: 'bom.csv',
      bytes: warnedBom,
    });
    if (r.statusCode !== 201) throw new Error(`publish warned-press: ${r.statusCode} ${r.body}`);
  });
  afterAll(async () => {
    await session?.close();
  });

  async function openIn(tag: string, design = 'brick-press') {
    const { page, base } = session;
    await page.goto(`${base}/`);
    await page.evaluate((chosen) => window.localStorage.setItem('andecha.locale', chosen), tag);
    await page.goto(`${base}/ose/${design}`);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(tag);
    return page;
  }

  it('in Catalan: the BOM table, its controls, the cut list and the files', async () => {
    const ca = web('ca');
    const page = await openIn('ca');
    await page.getByRole('heading', { name: ca.bomSection.heading }).waitFor({ timeout: 15_000 });
    await page.getByLabel(ca.bomSection.units).fill('10');
    await page.locator('table.bom-table tbody tr').first().waitFor({ timeout: 15_000 });
    const headers = await page.locator('table.bom-table thead th').allInnerTexts();
    expect(headers.map((h) => h.trim())).toEqual([
      ca.bomTable.position,
      ca.bomTable.partNumber,
      ca.bomTable.name,
      ca.bomTable.quantity,
      ca.bomTable.toOrder,
      ca.bomTable.unitCost,
      ca.bomTable.lineCost,
      ca.bomTable.supplier,
    ]);
    await page.getByText(ca.cutListView.summary).click();
    const first = page.locator('.cut-group > p').first();
    // 13 barres de 6.000 mm: Catalan groups thousands with a dot
    await expect
      .poll(() => first.innerText(), { timeout: 15_000 })
      .toMatch(/^\d+ barres de 6\.000 mm · malbaratament /);
    expect(await page.getByRole('heading', { name: 'Fitxers' }).count()).toBe(1);
    // (the design page around it is translated by its own engineer: only the BOM section is checked here)
    expect(await page.locator('#bom').getByText('Bill of materials').count()).toBe(0);
  });

  it('in Catalan: a BOM’s warnings in Catalan from their codes, none in English', async () => {
    const { page } = session;
    // the server is asked for English: what the page shows in Catalan is worded by the web from code and values
    await page.route('**/api/designs/ose/warned-press/versions/*/bom?*', (route) =>
      route.continue({ headers: { ...route.request().headers(), 'accept-language': 'en' } }),
    );
    try {
      const ca = web('ca');
      const replied = page.waitForResponse((r) => /\/warned-press\/versions\/[^/]+\/bom\?/.test(r.url()));
      await openIn('ca', 'warned-press');
      const reply = await replied;
      const warnings = (await reply.json()).warnings as {
        code: string;
        values?: Record<string, string>;
        message: string;
      }[];
      // the server did answer in English
      expect(warnings[0]!.message).toBe('expected a quantity such as 4, 2.5 m or 3/4; counted as 1');
      expect(warnings.map((w) => w.code)).toEqual([
        'quantity-unreadable',
        'price-unreadable',
        'unit-differs',
        'price-two-currencies',
      ]);
      await page.locator('details.warnings summary').click();
      const items = (await page.locator('details.warnings li').allInnerTexts()).map((text) => text.trim());
      const catalan = translator('bomWarnings', 'ca');
      const key = (code: string) => code.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      expect(items).toEqual(
        warnings.map(
          (w, i) => `${ca.bomSection.line.replace('{line}', String(i + 2))} ${catalan(key(w.code), w.values)}`,
        ),
      );
      const english = Object.values(catalogue('en').bomWarnings as Record<string, string>).map((m) =>
        m.split('{')[0]!.trim(),
      );
      for (const item of items)
        for (const start of english.filter((m) => m.length > 12))
          expect(item, `English "${start}" in "${item}"`).not.toContain(start);
      expect(await page.locator('details.warnings').innerText()).not.toMatch(/expected|counted as|differs/);
    } finally {
      await page.unroute('**/api/designs/ose/warned-press/versions/*/bom?*');
    }
  });

  it('in Catalan: BOM units as words from the catalogue, metric symbols kept, no English unit word', async () => {
    await createDesign(session.t.app, ose, 'units-press');
    const r = await publish(session.t.app, ose, 'ose', 'units-press', { version: '1.0.0' }, [], {
      name: 'bom.csv',
      bytes: unitsBom,
    });
    expect(r.statusCode, r.body).toBe(201);
    const units = web('ca').units as Record<string, string>;
    const worded = (key: string, quantity: string, count: number) =>
      new IntlMessageFormat(units[key]!, 'ca').format({ quantity, count }) as string;
    const page = await openIn('ca', 'units-press');
    const cells = page.locator('table.bom-table [data-testid="bom-quantity"]');
    await cells.first().waitFor({ timeout: 15_000 });
    const shown = (await cells.allInnerTexts()).map((text) => text.trim());
    expect(shown).toEqual([worded('pcs', '12', 12), worded('pcs', '1', 1), '1,5 m', worded('ft', '3', 3)]);
    expect(shown).toEqual(['12 peces', '1 peça', '1,5 m', '3 peus']);
    // English says its units as the kernel spells them: "{count, plural, other {{quantity} pcs}}"
    const english = Object.values(web('en').units as Record<string, string>).map(
      (m) => /\{quantity\} ([^}]+)\}/.exec(m)![1]!,
    );
    expect(english).toContain('pcs');
    const table = await page.locator('table.bom-table').innerText();
    for (const word of english) expect(table, `English unit "${word}"`).not.toMatch(new RegExp(`\\d ${word}\\b`));
  });

  it('in Arabic: right to left, the BOM heading and the totals in Arabic', async () => {
    const ar = web('ar');
    const page = await openIn('ar');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByRole('heading', { name: ar.bomSection.heading }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: ar.bomTable.expandAll }).waitFor();
    const total = await page.locator('.totals dt').first().innerText();
    expect(total).toMatch(/^الإجمالي لـ/);
    await page.evaluate(() => window.localStorage.removeItem('andecha.locale'));
  });
});
