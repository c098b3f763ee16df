// A workshop planning a batch of the sample brick press in Chromium: units, the BOM table (supplier, to order,
// notes), the cut list checked against lengths and counts worked out by hand, and the page on a 390 px phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesign, publish, type TestUser } from '../helpers/app.js';
import { publishSampleBrickPress } from '../helpers/sample-brick-press.js';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';

/**
 * The cut list of 10 brick presses 1.1.0, by hand from designs/brick-press/1.1.0/bom.csv (quantity per press ÷ cut
 * length = pieces per press; × 10 presses). Each row: length mm, pieces, BOM position.
 */
const expectedCuts = [
  // ASTM A36 square tube 2in x 2in x 3/16in
  ['1200', '40', '1.2'], // ring rails, long sides: 4.8 m ÷ 1200 mm = 4 per press × 10
  ['930', '40', '1.1'], // legs: 3.72 m ÷ 930 mm = 4 × 10
  ['500', '40', '1.11'], // ring rails, short sides: 2.0 m ÷ 500 mm = 4 × 10
  ['500', '30', '1.3'], // chamber bearers and cross-member: 1.5 m ÷ 500 mm = 3 × 10
  ['450', '20', '1.4'], // drawer cylinder arms: 0.9 m ÷ 450 mm = 2 × 10
  ['240', '10', '1.12'], // arm cross-piece: 0.24 m ÷ 240 mm = 1 × 10
  // ASTM A36 square tube 1.5in x 1.5in x 3/16in
  ['950', '20', '1.5'], // diagonal braces: 1.9 m ÷ 950 mm = 2 × 10
  ['740', '20', '3.2'], // hopper lip, long sides: 1.48 m ÷ 740 mm = 2 × 10
  ['660', '20', '3.7'], // hopper lip, short sides: 1.32 m ÷ 660 mm = 2 × 10
  ['520', '40', '3.4'], // hopper posts: 2.08 m ÷ 520 mm = 4 × 10
  ['300', '20', '1.8'], // exit table arms: 0.6 m ÷ 300 mm = 2 × 10
  // AISI 1018 round bar 3.5in
  ['50', '10', '2.5'], // press foot boss: 0.05 m ÷ 50 mm = 1 × 10
  // ASTM A36 round bar 1/2in
  ['660', '110', '3.3'], // grate bars: 7.26 m ÷ 660 mm = 11 × 10
];

describe.skipIf(!haveChromium)('workshop BOM and cut list in Chromium', () => {
  let session: BrowserSession;
  let ose: TestUser;

  beforeAll(async () => {
    session = await openBrowserSession();
    ose = await publishSampleBrickPress(session.t.app);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('shows the cut list for 10 presses with the lengths and counts worked out by hand, and no whole-bar guesses', async () => {
    const { page, base } = session;
    await page.goto(`${base}/ose/brick-press`);
    await page.getByLabel('Units to build').fill('10');
    const legRow = page.locator('tr.bom-row', { hasText: 'CEB-101' });
    await page.getByRole('button', { name: 'Expand all' }).click();
    // 3.72 m per press × 10
    await expect
      .poll(() => legRow.locator('[data-testid=bom-quantity]').innerText(), { timeout: 10_000 })
      .toBe('37.2 m');
    await page.getByText('Cut list for stock lengths').click();
    const rows = page.locator('[data-testid=cut-row]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(expectedCuts.length);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '');
        return [cells[0]!.replace(/\D/g, ''), cells[1]!.trim(), cells[2]!.trim().split(/\s+/)[0]!];
      }),
    );
    expect(shown).toEqual(expectedCuts);
    // grate bars: 9 fit a 6000 mm bar (9 × 660 + 8 × 3 kerf = 5964 mm; a 10th would need 6627), 110 ÷ 9 → 13 bars
    const grate = page.locator('.cut-group', { hasText: 'ASTM A36 round bar 1/2in' });
    await expect.poll(() => grate.locator('p').first().innerText()).toMatch(/^13 bars of 6,000 mm/);
    const cutList = page.locator('details.cutlist');
    expect(await cutList.innerText()).not.toMatch(/length unknown/);
    // the bars hold exactly the pieces above, and none is a whole 6000 mm bar standing in for an unknown length
    // (identical bars are drawn once; data-bars says how many are cut alike)
    const bars = await cutList.locator('.stock-bar').evaluateAll((items) =>
      items.map((bar) => ({
        label: bar.getAttribute('aria-label') ?? '',
        count: Number(bar.getAttribute('data-bars')),
      })),
    );
    const piecesInBars = new Map<string, number>();
    for (const { label, count } of bars) {
      for (const [, length, position] of label.matchAll(/([\d,]+) mm \(pos\. ([\d.]+)\)/g)) {
        const key = `${length!.replace(/\D/g, '')}|${position}`;
        piecesInBars.set(key, (piecesInBars.get(key) ?? 0) + count);
      }
    }
    expect(Object.fromEntries(piecesInBars)).toEqual(
      Object.fromEntries(expectedCuts.map(([length, count, position]) => [`${length}|${position}`, Number(count)])),
    );
    await cutList.scrollIntoViewIfNeeded();
    await session.shot('workshop-cutlist');
  });

  it('shows a supplier, what to order and the notes of a line in the BOM table', async () => {
    const { page } = session;
    const legRow = page.locator('tr.bom-row', { hasText: 'CEB-101' });
    await expect(legRow.locator('[data-testid=bom-supplier]').innerText()).resolves.toBe('Metals Depot');
    // no pack size in the sample: what to order is the need, 37.2 m for 10 presses
    await expect(legRow.locator('[data-testid=bom-to-order]').innerText()).resolves.toBe('37.2 m');
    // 37.2 m × $9.80 = $364.56
    await expect(legRow.locator('[data-testid=bom-line-cost]').innerText()).resolves.toBe('$364.56');
    const note = page.locator('tr.bom-row:has-text("CEB-101") + tr.bom-notes-row [data-testid=bom-notes]');
    await expect(note.innerText()).resolves.toBe('Note: 4 legs x 930 mm');
    await page.evaluate(() => document.querySelector('#bom')!.scrollIntoView());
    await session.shot('workshop-bom', { fullPage: false });
    await session.expectAccessible(page, 'workshop BOM');
  });

  it('fits a 390 px phone: no sideways scroll of the page, and the cost columns reachable in the table', async () => {
    const phone = await session.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await phone.newPage();
    try {
      await page.goto(`${session.base}/ose/brick-press`);
      await page.getByLabel('Units to build').fill('10');
      await page.getByRole('button', { name: 'Expand all' }).click();
      const legRow = page.locator('tr.bom-row', { hasText: 'CEB-101' });
      await expect
        .poll(() => legRow.locator('[data-testid=bom-quantity]').innerText(), { timeout: 10_000 })
        .toBe('37.2 m');
      await page.evaluate(() => document.querySelector('#bom')!.scrollIntoView());
      await session.shot('workshop-bom-phone-start', { page, fullPage: false });
      const overflow = () =>
        page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await overflow()).toBe(0);
      const cost = legRow.locator('[data-testid=bom-line-cost]');
      await cost.scrollIntoViewIfNeeded();
      const box = (await cost.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(await cost.innerText()).toBe('$364.56');
      // and it is the cell a finger on that spot touches: nothing clips or covers it
      expect(
        await page.evaluate(
          ({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid=bom-line-cost]')?.textContent ?? null,
          { x: box.x + box.width / 2, y: box.y + box.height / 2 },
        ),
      ).toBe('$364.56');
      const scroller = legRow.locator('xpath=ancestor::div[contains(@class, "table-scroll")]');
      expect(await scroller.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(390);
      // the table scrolled inside its own box, not the page
      expect(await page.evaluate(() => window.scrollX)).toBe(0);
      expect(await scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
      await session.shot('workshop-bom-phone', { page, fullPage: false });
      await page.getByText('Cut list for stock lengths').click();
      await page.locator('[data-testid=cut-row]').first().waitFor({ timeout: 10_000 });
      expect(await overflow()).toBe(0);
      await page.locator('details.cutlist').scrollIntoViewIfNeeded();
      await session.shot('workshop-cutlist-phone', { page, fullPage: false });
    } finally {
      await phone.close();
    }
  });
  it('names a stock line that gives only its total length as "length unknown" instead of drawing bars for it', async () => {
    const { page, base, t } = session;
    await createDesign(t.app, ose, 'frame-kit', { title: 'Frame kit' });
    const bom =
      'Level,Description,Qty,Unit,Material,Notes\n1,Diagonal brace,3.1,m,S235 angle 30x30x3,Mitre both ends\n2,Leg,2,m,S235 square tube 40x40x3,4 legs x 500 mm\n';
    expect(
      (
        await publish(
          t.app,
          ose,
          'ose',
          'frame-kit',
          { version: '1.0.0' },
          [{ path: 'README.md', bytes: '# Frame kit\n' }],
          { name: 'bom.csv', bytes: bom },
        )
      ).statusCode,
    ).toBe(201);
    await page.goto(`${base}/ose/frame-kit`);
    await page.getByText('Cut list for stock lengths').click();
    const unknown = page.locator('[data-testid=cut-unknown]');
    await unknown.first().waitFor({ timeout: 10_000 });
    // 3.1 m for one frame, pieces not given
    expect((await unknown.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim())).toEqual([
      'length unknown 3,100 1 Diagonal brace · S235 angle 30x30x3',
    ]);
    // the legs come from the notes (4 × 500 mm), with the warning that they were read from text
    expect(await page.locator('[data-testid=cut-row]').allInnerTexts()).toEqual([
      expect.stringMatching(/^500\s+4\s+2 Leg$/),
    ]);
    await expect(page.locator('details.cutlist .warnings').innerText()).resolves.toContain(
      'read from the notes ("4 legs x 500 mm")',
    );
    expect(await page.locator('details.cutlist').innerText()).not.toMatch(/6,000 mm \(pos\. 1\)/);
    await page.locator('details.cutlist').scrollIntoViewIfNeeded();
    await session.shot('workshop-cutlist-unknown', { fullPage: false });
  });

  it("shows a board's designators, footprint and MPN, and a DNP line as not fitted, with no cost", async () => {
    const { page, base, t } = session;
    await createDesign(t.app, ose, 'blinker', { title: 'Blinker board' });
    const bom =
      'Reference,Value,Footprint,Qty,DNP,MPN,Unit Price,Currency\n' +
      'R1-R3,10k,R_0603,3,,RC0603FR-0710KL,0.01,EUR\n' +
      'C1,100n,C_0603,1,DNP,GRM188R71H104KA93D,0.05,EUR\n';
    const files = [{ path: 'README.md', bytes: '# Blinker\n' }];
    const reply = await publish(t.app, ose, 'ose', 'blinker', { version: '1.0.0' }, files, {
      name: 'bom.csv',
      bytes: bom,
    });
    expect(reply.statusCode).toBe(201);
    await page.goto(`${base}/ose/blinker`);
    const resistors = page.locator('tr.bom-row', { hasText: 'RC0603FR-0710KL' });
    await expect
      .poll(() => resistors.locator('[data-testid=bom-electronics]').innerText(), { timeout: 10_000 })
      .toBe('R1, R2, R3 · R_0603 · RC0603FR-0710KL');
    const capacitor = page.locator('tr.bom-row', { hasText: 'GRM188R71H104KA93D' });
    expect(await capacitor.locator('[data-testid=bom-to-order]').innerText()).toBe('not fitted');
    expect(await capacitor.locator('[data-testid=bom-line-cost]').innerText()).toBe('—');
    await session.shot('workshop-bom-electronics', { fullPage: false });
  });
});
