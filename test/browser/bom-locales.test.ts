// The BOM, its cut list and the file list of the sample brick press in Catalan and in Arabic: headings, labels and
// counts from the catalogue, numbers in the locale's digits grouping, and the page right to left in Arabic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishSampleBrickPress } from '../helpers/sample-brick-press.js';
import { haveChromium, openBrowserSession, root, type BrowserSession } from './harness.js';

const web = (tag: string) => JSON.parse(readFileSync(join(root, 'locales', `${tag}.json`), 'utf8')).web;

describe.skipIf(!haveChromium)('the BOM in Catalan and Arabic', () => {
  let session: BrowserSession;

  beforeAll(async () => {
    session = await openBrowserSession();
    await publishSampleBrickPress(session.t.app);
  });
  afterAll(async () => {
    await session?.close();
  });

  async function openIn(tag: string) {
    const { page, base } = session;
    await page.goto(`${base}/`);
    await page.evaluate((chosen) => window.localStorage.setItem('andecha.locale', chosen), tag);
    await page.goto(`${base}/ose/brick-press`);
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
