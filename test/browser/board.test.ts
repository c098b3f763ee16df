// The board page in Chromium, as a maker uses it: a published board with a BOM of designators and a pick-and-place
// file per side; the design page lists the board, its page shows it beside its parts; pointing at a line lights its
// parts where their pads are drawn, clicking a part chooses its line, a bottom part turns the board over; a version
// without a centroid file says so, one with a shifted origin says that; in Arabic the board is not mirrored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import sharp from 'sharp';
import type { Locator, Page } from 'playwright-core';
import { haveChromium, imageLoaded, openBrowserSession, pictureSpread, type BrowserSession } from './harness.js';
import { createDesign, publish, registerUser, type TestUser } from '../helpers/app.js';
import { boardBom, makeBoard, makeCentroid } from '../helpers/board-fixture.js';

/** A free port of this file's range (47200–47299): the machine's test servers keep to theirs. */
async function portInRange(): Promise<number> {
  for (let port = 47200 + Math.floor(Math.random() * 50); port < 47300; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 47200-47299');
}

const board = makeBoard({ folder: 'pcb', name: 'blinker', pads: 6, traces: 4, origin: [100, -120] });
const boardFiles = Object.entries(board.files).map(([path, bytes]) => ({ path, bytes }));
const parts = [
  { designator: 'R1', pad: 0 },
  { designator: 'R2', pad: 1 },
  { designator: 'C1', pad: 4 },
];
/**
 * Where the page should draw a pad of the fixture, worked out from the fixture alone (its pads in board coordinates,
 * Y up, and its size): the picture shows the board edge to edge, the bottom seen from below (mirrored).
 */
async function padOnScreen(image: Locator, pad: number, side: 'top' | 'bottom') {
  const box = (await image.boundingBox())!;
  const [x, y] = board.padCentres[pad]!;
  const across = side === 'top' ? x : board.width - x;
  return { x: box.x + (across / board.width) * box.width, y: box.y + ((board.height - y) / board.height) * box.height };
}

/** The colour on screen at a page point, from a screenshot of the board's picture. */
async function colourAt(page: Page, image: Locator, at: { x: number; y: number }) {
  const box = (await image.boundingBox())!;
  const { data, info } = await sharp(await image.screenshot())
    .raw()
    .toBuffer({ resolveWithObject: true });
  const scale = info.width / box.width;
  const px = Math.round((at.x - box.x) * scale);
  const py = Math.round((at.y - box.y) * scale);
  const i = (py * info.width + px) * info.channels;
  return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]! };
}

async function centreOf(locator: Locator) {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const litDesignators = (page: Page) =>
  page.locator('.board-marker.is-lit').evaluateAll((els) => els.map((el) => el.getAttribute('data-designator')));

describe.skipIf(!haveChromium)('the board page (Chromium)', () => {
  let session: BrowserSession;
  let ana: TestUser;

  beforeAll(async () => {
    session = await openBrowserSession({ port: await portInRange() });
    const { t } = session;
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'blinker', { title: 'Blinker' });
    const versions: [string, { path: string; bytes: string }[]][] = [
      [
        '1.0.0',
        [
          { path: 'pcb/blinker-top.pos', bytes: makeCentroid(board, parts) },
          {
            path: 'pcb/blinker-bottom.pos',
            bytes: makeCentroid(board, [{ designator: 'U1', pad: 2, side: 'bottom', rotation: 180 }]),
          },
        ],
      ],
      ['1.1.0', []],
      ['1.2.0', [{ path: 'pcb/blinker-all.pos', bytes: makeCentroid(board, parts, [-100, 120]) }]],
    ];
    for (const [version, extra] of versions) {
      const r = await publish(t.app, ana, 'ana', 'blinker', { version }, [...boardFiles, ...extra], {
        name: 'bom.csv',
        bytes: boardBom,
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    for (const [version] of versions) {
      const t0 = Date.now();
      for (;;) {
        const doc = (await t.app.inject({ url: `/api/designs/ana/blinker/versions/${version}` })).json();
        if (doc.boards?.[0]?.pipeline.state === 'done') break;
        if (Date.now() - t0 > 90_000) throw new Error(`${version}: the board was not drawn`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }, 240_000);
  afterAll(async () => {
    await session?.close();
  });

  it('lists the board on the design page: its picture, facts, its page and the 3D view', async () => {
    const { page, base } = session;
    await page.goto(`${base}/ana/blinker/1.0.0`);
    const card = page.locator('[data-testid=board-card]');
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => imageLoaded(card.locator('img')), { timeout: 15_000 }).toBe(true);
    expect(await pictureSpread(card.locator('img'))).toBeGreaterThan(10);
    expect(await card.locator('h3').innerText()).toBe('pcb');
    expect(await card.locator('[data-testid=board-facts]').innerText()).toMatch(
      /18\.7 × 8\.5 mm\s+7 layers\s+2 copper layers\s+6 holes\s+smallest hole 0\.8 mm/,
    );
    expect(await card.getByRole('link', { name: 'View in 3D' }).getAttribute('href')).toBe(
      '/ana/blinker/1.0.0?board=pcb',
    );
    // the Gerbers and the drill file read as what they are in the file list
    const drill = page.locator('.file-row', { hasText: 'pcb/blinker.drl' });
    expect(await drill.locator('.thumb-file').innerText()).toBe('DRL');
    expect(await page.locator('.file-row', { hasText: 'blinker-F_Cu.gbr' }).locator('.thumb-file').innerText()).toBe(
      'GBR',
    );
    await card.scrollIntoViewIfNeeded();
    await session.shot('board-design-page', { fullPage: false });
    await session.expectAccessible(page, 'design page with a board');
    await card.getByRole('link', { name: 'Board and parts' }).click();
    await page.waitForURL(`${base}/ana/blinker/1.0.0/boards/pcb`);
  });

  it('lights the parts of the line pointed at where their pads are, and a clicked part chooses its line', async () => {
    const { page } = session;
    const image = page.locator('.board-image');
    await expect.poll(() => imageLoaded(image), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('pcb');
    await expect.poll(() => page.locator('.board-marker').count(), { timeout: 15_000 }).toBe(3);
    expect(await litDesignators(page)).toEqual([]);

    const resistors = page.locator('[data-testid=board-part]', { hasText: 'RC0603FR-0710KL' });
    await resistors.hover();
    await expect.poll(() => litDesignators(page)).toEqual(['R1', 'R2']);
    for (const { designator, pad } of parts.slice(0, 2)) {
      const marker = await centreOf(page.locator(`.board-marker[data-designator=${designator}]`));
      const expected = await padOnScreen(image, pad, 'top');
      expect(Math.abs(marker.x - expected.x), `${designator} x`).toBeLessThan(2);
      expect(Math.abs(marker.y - expected.y), `${designator} y`).toBeLessThan(2);
    }
    // the picture under the markers: pad 5 (no part on it, so no marker) is drawn where the mapping puts it, its
    // hole dark in the middle and its copper ring around
    const hole = await padOnScreen(image, 5, 'top');
    const mmOnScreen = (await image.boundingBox())!.width / board.width;
    const middle = await colourAt(page, image, hole);
    expect(middle.r + middle.g + middle.b, 'a hole').toBeLessThan(150);
    const ring = await colourAt(page, image, { x: hole.x + 0.62 * mmOnScreen, y: hole.y });
    expect(ring.r, 'copper').toBeGreaterThan(ring.b + 60);
    // R3 is in the BOM but not in the placement file: said so
    expect(await page.locator('.board-notes').innerText()).toContain('Not in the placement file: R3');
    await session.shot('board-page-hover', { fullPage: false });

    // a click on the capacitor's spot on the board chooses its line
    const spot = await padOnScreen(image, 4, 'top');
    await page.mouse.click(spot.x, spot.y);
    const capacitor = page.locator('[data-testid=board-part]', { hasText: 'GRM188R71H104KA93D' });
    await expect.poll(() => capacitor.getAttribute('class')).toContain('is-selected');
    expect(await capacitor.getByRole('button').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('C1');
    await page.mouse.move(0, 0);
    await expect.poll(() => litDesignators(page)).toEqual(['C1']);
    await session.shot('board-page-selected', { fullPage: false });
    await session.expectAccessible(page, 'board page');
  });

  it('turns the board over for a part on the bottom, mirrored; reachable with the keyboard', async () => {
    const { page } = session;
    const chip = page.locator('[data-testid=board-part]', { hasText: 'ATTINY85-20SU' }).getByRole('button');
    await chip.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.board-stage').getAttribute('data-side')).toBe('bottom');
    expect(await page.getByRole('button', { name: 'Bottom' }).getAttribute('aria-pressed')).toBe('true');
    const image = page.locator('.board-image');
    await expect.poll(() => imageLoaded(image), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => litDesignators(page)).toEqual(['U1']);
    const marker = await centreOf(page.locator('.board-marker[data-designator=U1]'));
    const expected = await padOnScreen(image, 2, 'bottom');
    expect(Math.abs(marker.x - expected.x)).toBeLessThan(2);
    expect(Math.abs(marker.y - expected.y)).toBeLessThan(2);
    // the top parts are on the other side: not drawn over the bottom
    expect(await page.locator('.board-marker').count()).toBe(1);
    await session.shot('board-page-bottom', { fullPage: false });
  });

  it("opens from a discussion's #C1 with that part's line chosen and lit", async () => {
    const { page, base, t } = session;
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/blinker/discussions',
      headers: ana.auth,
      payload: { kind: 'problem', title: 'C1 runs hot', body: 'Is #C1 too close to U1?', version: '1.0.0' },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    await page.goto(`${base}/ana/blinker/discussions/${asked.json().id}`);
    await page.getByRole('link', { name: '#C1' }).click();
    await page.waitForURL(`${base}/ana/blinker/1.0.0/boards/pcb?part=C1`);
    const capacitor = page.locator('[data-testid=board-part]', { hasText: 'GRM188R71H104KA93D' });
    await expect.poll(() => capacitor.getAttribute('class'), { timeout: 15_000 }).toContain('is-selected');
    await expect.poll(() => litDesignators(page), { timeout: 15_000 }).toEqual(['C1']);
    await session.shot('board-page-from-discussion', { fullPage: false });
  });

  it('says in one sentence that a version has no centroid file, and still shows board and parts', async () => {
    const { page, base } = session;
    await page.goto(`${base}/ana/blinker/1.1.0/boards/pcb`);
    await expect
      .poll(() => page.locator('[data-testid=board-no-centroid]').innerText(), { timeout: 15_000 })
      .toBe('This version has no pick-and-place (centroid) file for this board, so its parts cannot be shown on it.');
    await expect.poll(() => imageLoaded(page.locator('.board-image')), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('[data-testid=board-part]').count()).toBe(4);
    expect(await page.locator('.board-marker').count()).toBe(0);
  });

  it("says when the placement file's origin does not match the board", async () => {
    const { page, base } = session;
    await page.goto(`${base}/ana/blinker/1.2.0/boards/pcb`);
    await expect
      .poll(() => page.locator('[data-testid=board-origin-mismatch]').innerText(), { timeout: 15_000 })
      .toContain("The placement file's origin does not match the board");
    await session.shot('board-page-mismatch', { fullPage: false });
  });

  it('in Arabic: right to left around the board, the board itself not mirrored', async () => {
    const { context, base } = session;
    const page = await context.newPage();
    await page.addInitScript(() => window.localStorage.setItem('andecha.locale', 'ar'));
    await page.goto(`${base}/ana/blinker/1.0.0/boards/pcb`);
    const image = page.locator('.board-image');
    await expect.poll(() => imageLoaded(image), { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.getByRole('heading', { level: 2 }).first().innerText()).toBe('اللوحة');
    await page.locator('[data-testid=board-part]', { hasText: 'RC0603FR-0710KL' }).hover();
    await expect.poll(() => litDesignators(page)).toEqual(['R1', 'R2']);
    const marker = await centreOf(page.locator('.board-marker[data-designator=R1]'));
    const expected = await padOnScreen(image, 0, 'top');
    expect(Math.abs(marker.x - expected.x)).toBeLessThan(2);
    expect(Math.abs(marker.y - expected.y)).toBeLessThan(2);
    await session.expectAccessible(page, 'board page in Arabic');
    await session.shot('board-page-ar', { page, fullPage: false });
    await page.close();
  });
});
