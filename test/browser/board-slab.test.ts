// A circuit board in the 3D viewer, in Chromium, judged by what a user sees: `?board=` shows the board alone as a green
// slab with its pictures on (gold pads where the board has them, not mirrored), Back and "Show the whole design" undo
// it, and the version's assembly draws the board where the manifest places it, as a part that can be hidden.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import * as THREE from 'three';
import type { Page } from 'playwright-core';
import { createDesign, publish, registerUser, type TestApp } from '../helpers/app.js';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';
import { makeBoard } from '../helpers/board-fixture.js';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { writeStlBinary } from '../../server/src/cad/write/stl.js';

type Pixels = { green: number; gold: number; greenX: number; goldX: number };

/** Solder mask and board edges (dark green), and pad copper (gold), counted in a screenshot, with their mean column. */
async function boardPixels(png: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const found: Pixels = { green: 0, gold: 0, greenX: 0, goldX: 0 };
  for (let i = 0; i < data.length; i += 3) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    const x = (i / 3) % info.width;
    if (g > r + 25 && g > b + 25 && r < 120) {
      found.green++;
      found.greenX += x;
    } else if (r > 150 && g > 100 && b < 100 && r > g + 20) {
      found.gold++;
      found.goldX += x;
    }
  }
  found.greenX /= found.green || 1;
  found.goldX /= found.gold || 1;
  return found;
}

const boardId = 'electronics/controller';
const placedAt = [100, 0, 10] as const;

describe.skipIf(!haveChromium)('circuit board slab in the 3D viewer', () => {
  let session: BrowserSession;
  let t: TestApp;
  let base: string;
  let page: Page;
  const board = makeBoard({ folder: boardId, name: 'controller', pads: 6, traces: 4 });
  const readyCanvas = () => page.locator('canvas.viewer-canvas[data-state=ready]');
  const boxOf = async () => (await readyCanvas().getAttribute('data-box'))!.split(',').map(Number);

  beforeAll(async () => {
    // this engineer's port range on the shared machine
    session = await openBrowserSession({ port: 47331 });
    ({ t, base, page } = session);
    const ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'charger', { title: 'Charge controller', category: 'energy' });
    const frame = meshFromGeometry([
      { name: 'frame', geometry: new THREE.BoxGeometry(40, 30, 10).translate(20, 15, 5) },
    ]);
    const published = await publish(
      t.app,
      ana,
      'ana',
      'charger',
      { version: '1.0.0', boards: { [boardId]: { position: placedAt, rotation: [0, 0, 0] } } },
      [
        { path: 'frame.stl', bytes: writeStlBinary(frame) },
        ...Object.entries(board.files).map(([path, text]) => ({ path, bytes: new TextEncoder().encode(text) })),
      ],
    );
    expect(published.statusCode, published.body).toBe(201);
    for (const started = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 200))) {
      const v = (await t.app.inject({ url: '/api/designs/ana/charger/versions/latest' })).json();
      if (v.pipeline?.state === 'done' && v.boards?.[0]?.pipeline.state === 'done') {
        expect(v.boards.map((b: { id: string }) => b.id)).toEqual([boardId]);
        break;
      }
      if (Date.now() - started > 90_000) throw new Error(`the version was not processed in 90 s: ${JSON.stringify(v)}`);
    }
  }, 180_000);

  afterAll(async () => {
    await session?.close();
  });

  it('shows ?board= alone: a green slab with its pictures, pads where the board has them', async () => {
    await page.goto(`${base}/ana/charger`);
    await readyCanvas().waitFor({ timeout: 30_000 });
    await page.goto(`${base}/ana/charger?board=${encodeURIComponent(boardId)}`);
    await page.getByRole('heading', { name: 'Circuit board controller' }).waitFor();
    const canvas = page.locator('canvas.viewer-canvas[data-state=ready][data-pictures="2"]');
    await canvas.waitFor({ timeout: 30_000 });
    // the slab is the board's outline and 1.6 mm thick, in millimetres, nothing else drawn
    const box = await boxOf();
    [0, 0, 0, board.width, board.height, 1.6].forEach((expected, k) => expect(box[k]).toBeCloseTo(expected, 1));
    const seen = await boardPixels(await canvas.screenshot());
    await session.shot('board-slab-alone');
    expect(seen.green, 'the board fills a good part of the view').toBeGreaterThan(20_000);
    expect(seen.gold, 'its pads show: the top picture is on').toBeGreaterThan(500);
    // the pads are all at the board's low-x end, which this camera shows on the left: not mirrored
    expect(seen.goldX).toBeLessThan(seen.greenX - 20);
  });

  it('Back and "Show the whole design" go back to the assembly', async () => {
    await page.goBack();
    await page.waitForURL(`${base}/ana/charger`);
    await page.getByRole('heading', { name: 'frame.stl' }).waitFor();
    await page.goForward();
    await page.getByRole('heading', { name: 'Circuit board controller' }).waitFor();
    await page.getByRole('button', { name: 'Show the whole design' }).click();
    await page.waitForURL(`${base}/ana/charger`);
    await page.getByRole('heading', { name: 'frame.stl' }).waitFor();
  });

  it('draws the board in the assembly where the manifest places it, a part that can be hidden', async () => {
    await page.goto(`${base}/ana/charger`);
    const canvas = page.locator('canvas.viewer-canvas[data-state=ready][data-pictures="2"]');
    await canvas.waitFor({ timeout: 30_000 });
    // the frame spans 0–40 × 0–30 × 0–10 mm; the board's corner at (100, 0, 10) stretches the box to its far edge
    const box = await boxOf();
    const expected = [0, 0, 0, placedAt[0] + board.width, 30, placedAt[2] + 1.6];
    expected.forEach((value, k) => expect(box[k], `box[${k}]`).toBeCloseTo(value, 1));
    const withBoard = await boardPixels(await canvas.screenshot());
    await session.shot('board-slab-assembly');
    expect(withBoard.green).toBeGreaterThan(1_000);

    const toggle = page.getByRole('checkbox', { name: 'controller', exact: true });
    await toggle.uncheck();
    expect(await readyCanvas().getAttribute('data-hidden')).toBe('1');
    const without = await boardPixels(await readyCanvas().screenshot());
    expect(without.green, 'hidden, no board green is left').toBeLessThan(withBoard.green / 20);
    await toggle.check();
  });
});
