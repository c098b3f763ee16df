// The project lead's and reader's journey in Chromium: comparing two versions (the geometry diff drawn on the first
// visit, BOM changes in words with the cost direction), and reviewing a build report (whole photos, lines named from
// the BOM, substitutes, safety points as a list, a review form with no default decision and a safety check).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import * as THREE from 'three';
import type { Locator, Page } from 'playwright-core';
import { createDesign, formPayload, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { haveChromium, imageLoaded, openBrowserSession, pictureSpread, type BrowserSession } from './harness.js';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { writeStlBinary } from '../../server/src/cad/write/stl.js';

/** An L bracket as one binary STL: a base plate and an upright of the given height. */
function bracketStl(uprightHeight: number): Buffer {
  const box = (w: number, d: number, h: number, x: number, y: number, z: number) =>
    new THREE.BoxGeometry(w, d, h).translate(x + w / 2, y + d / 2, z + h / 2);
  return writeStlBinary(
    meshFromGeometry([
      { name: 'plate', geometry: box(60, 40, 6, 0, 0, 0) },
      { name: 'upright', geometry: box(8, 40, uprightHeight, 0, 0, 6) },
    ]),
  );
}

/** A box as Wavefront OBJ text: a model whose preview address ends in `.obj` like the STL's ends in `.stl`. */
function boxObj(height: number): string {
  const v = [
    [0, 0, 0],
    [30, 0, 0],
    [30, 20, 0],
    [0, 20, 0],
    [0, 0, height],
    [30, 0, height],
    [30, 20, height],
    [0, 20, height],
  ];
  const faces = [
    [1, 3, 2],
    [1, 4, 3],
    [5, 6, 7],
    [5, 7, 8],
    [1, 2, 6],
    [1, 6, 5],
    [2, 3, 7],
    [2, 7, 6],
    [3, 4, 8],
    [3, 8, 7],
    [4, 1, 5],
    [4, 5, 8],
  ];
  return [...v.map((p) => `v ${p.join(' ')}`), ...faces.map((f) => `f ${f.join(' ')}`)].join('\n') + '\n';
}

const bom = (tubeMetres: string, cylinderPrice: string) =>
  [
    'Level,Part Number,Description,Qty,Unit,Unit Price,Currency,Supplier',
    '1,FR-01,Frame weldment,1,pcs,0,EUR,',
    `1.1,ST-40,Square tube 40x40x3,${tubeMetres},m,4.10,EUR,Local steel`,
    '1.2,BL-M12,Bolt M12x40,16,pcs,0.35,EUR,Fastenal',
    `2,HY-CYL,Hydraulic cylinder,1,pcs,${cylinderPrice},EUR,Surplus Center`,
  ].join('\n');

/**
 * A wide photo whose edges matter: red strips at the left and right and a white caption band along the bottom. A
 * square crop (object-fit: cover) loses the strips; a cut-off caption loses the band.
 */
async function captionedPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400">
    <rect width="800" height="400" fill="#7a5a3a"/>
    <rect width="40" height="400" fill="#e01010"/><rect x="760" width="40" height="400" fill="#e01010"/>
    <rect y="330" width="800" height="70" fill="#ffffff"/>
    <text x="400" y="378" font-family="DejaVu Sans" font-size="36" text-anchor="middle" fill="#000">Frame welded, 3 March</text>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** Mean RGB of a band of an element's screenshot, given as fractions of its width and height. */
async function bandColour(
  element: Locator,
  band: { left: number; top: number; width: number; height: number },
): Promise<number[]> {
  const png = await element.screenshot();
  const { width, height } = await sharp(png).metadata();
  const region = {
    left: Math.round(band.left * width!),
    top: Math.round(band.top * height!),
    width: Math.max(1, Math.round(band.width * width!)),
    height: Math.max(1, Math.round(band.height * height!)),
  };
  // stats() reads its input, not the pipeline's output: cut the band out first
  const stats = await sharp(await sharp(png).extract(region).toBuffer()).stats();
  return stats.channels.slice(0, 3).map((channel) => channel.mean);
}

describe.skipIf(!haveChromium)('the lead’s journey in Chromium: compare and review', () => {
  let session: BrowserSession;
  let t: TestApp;
  let base: string;
  let page: Page;
  let lead: TestUser;
  let maker: TestUser;

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ t, base, page } = session);
    lead = await registerUser(t.app, 'ana');
    maker = await registerUser(t.app, 'xuan');
    await createDesign(t.app, lead, 'press', { title: 'Brick press' });
    const first = await publish(
      t.app,
      lead,
      'ana',
      'press',
      { version: '1.0.0', changelog: 'First' },
      [
        { path: 'frame/bracket.stl', bytes: bracketStl(50) },
        { path: 'hopper/block.obj', bytes: boxObj(20) },
        { path: 'frame/gusset.stl', bytes: bracketStl(20) },
      ],
      { name: 'bom.csv', bytes: bom('1.9', '189.00') },
    );
    expect(first.statusCode).toBe(201);
    const second = await publish(
      t.app,
      lead,
      'ana',
      'press',
      {
        version: '1.1.0',
        changelog: 'Taller upright, dearer cylinder',
        safetyCritical: true,
        safety: ['Keep hands out of the chamber while the pump runs.', 'Relieve the pressure before opening a hose.'],
      },
      [
        { path: 'frame/bracket.stl', bytes: bracketStl(80) },
        { path: 'hopper/block.obj', bytes: boxObj(35) },
        // cut short: the header counts 24 triangles, the bytes hold 12, so this version's gusset cannot be read
        { path: 'frame/gusset.stl', bytes: bracketStl(30).subarray(0, 84 + 50 * 12) },
      ],
      { name: 'bom.csv', bytes: bom('2.4', '205.00') },
    );
    expect(second.statusCode).toBe(201);
    // both versions' previews are drawn; the diff between them is not, until someone asks for it
    for (const version of ['1.0.0', '1.1.0']) {
      const deadline = Date.now() + 60_000;
      while (
        (await t.app.inject({ url: `/api/designs/ana/press/versions/${version}` })).json().pipeline.state !== 'done'
      ) {
        if (Date.now() > deadline) throw new Error(`press@${version}: the pipeline did not finish in 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }, 180_000);

  afterAll(async () => {
    await session?.close();
  });

  it('shows the geometry diff of a changed STL on the first visit, while it is still being drawn', async () => {
    const drawn = await t.deps.db.raw(`select count(*)::int as n from jobs where kind = 'visual-diff'`);
    expect(drawn.rows[0].n, 'the diff is not drawn before the visit').toBe(0);
    const diffAnswers: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/compare/visual') && response.url().includes('path=frame%2Fbracket.stl'))
        diffAnswers.push(response.status());
    });
    await page.goto(`${base}/ana/press/compare?from=1.0.0&to=1.1.0`);
    await page.getByRole('heading', { name: 'Geometry' }).waitFor({ timeout: 15_000 });
    const figure = page.locator('figure.visual-diff', { hasText: 'frame/bracket.stl' });
    const diff = figure.getByRole('img', { name: 'Difference: frame/bracket.stl' });
    await diff.waitFor({ timeout: 60_000 });
    expect(await imageLoaded(diff)).toBe(true);
    expect(await pictureSpread(diff), 'the diff picture is not blank').toBeGreaterThan(8);
    // asked while it was being drawn (202), then asked again until it was there
    expect(diffAnswers[0]).toBe(202);
    expect(diffAnswers.at(-1)).toBe(200);
    for (const side of ['Before', 'After']) {
      const picture = figure.getByRole('img', { name: `${side}: frame/bracket.stl` });
      await picture.waitFor({ timeout: 15_000 });
      expect(await imageLoaded(picture)).toBe(true);
      expect(await pictureSpread(picture)).toBeGreaterThan(8);
    }
    // the upright grew 30 mm (two touching boxes are not one closed mesh, so no volume is measured)
    expect(await figure.locator('figcaption').innerText()).toBe('frame/bracket.stl z +30 mm');
    const obj = page
      .locator('figure.visual-diff', { hasText: 'hopper/block.obj' })
      .getByRole('img', { name: 'Difference: hopper/block.obj' });
    await obj.waitFor({ timeout: 60_000 });
    expect(await pictureSpread(obj), 'the OBJ diff picture is not blank').toBeGreaterThan(8);
    // a side that could not be read says so, and so does its difference, with the reader's reason
    const gusset = page.locator('figure.visual-diff', { hasText: 'frame/gusset.stl' });
    await gusset
      .locator('.visual-diff-image', { hasText: 'After' })
      .getByText('no preview of this version’s file')
      .waitFor();
    const notDrawn = gusset.locator('.visual-diff-image', { hasText: 'Difference' }).locator('[data-state=failed]');
    await notDrawn.waitFor({ timeout: 30_000 });
    expect(await notDrawn.innerText()).toMatch(/^Not drawn: No visual diff: .+/);
    await figure.scrollIntoViewIfNeeded();
    await session.shot('lead-compare');
    await session.expectAccessible(page, 'compare');
  }, 90_000);

  it('says what changed in the BOM in words, with Before and After and the cost direction', async () => {
    const table = page.locator('section[aria-labelledby=bom-diff] table');
    const tube = table.locator('tr', { hasText: 'ST-40' });
    await tube.waitFor();
    expect(await tube.locator('td').nth(4).innerText()).toBe('quantity 1.9 → 2.4');
    expect(await tube.locator('td.bom-before').innerText()).toBe('1.9 m × €4.10');
    expect(await tube.locator('td.bom-after').innerText()).toBe('2.4 m × €4.10');
    const cylinder = table.locator('tr', { hasText: 'HY-CYL' });
    expect(await cylinder.locator('td.bom-before').innerText()).toBe('1 pcs × €189.00');
    expect(await cylinder.locator('td.bom-after').innerText()).toBe('1 pcs × €205.00');
    expect(await cylinder.locator('td').nth(4).innerText()).toBe(
      'unit cost €189.00 → €205.00 ▲ +€16.00 more expensive',
    );
    expect(await table.innerText()).not.toContain('{');

    // 0.5 m of tube at €4.10 and €16 more for the cylinder: €18.05 more per machine, said and coloured as bad news
    const total = page.locator('.cost-delta [data-cost]');
    expect(await total.getAttribute('data-cost')).toBe('increase');
    expect(await total.innerText()).toBe('▲ +€18.05 more expensive');
    const colour = await total.evaluate((el) => getComputedStyle(el).color);
    expect(colour, 'a cost increase is in the warning colour, not green').toBe('rgb(158, 38, 24)');

    // the manifest's safety points (sentences) are a list, not joined into "chamber., Relieve"
    const safety = page.locator('tr', { hasText: 'safety' }).locator('.scalar-list li');
    expect(await safety.allInnerTexts()).toEqual([
      'Keep hands out of the chamber while the pump runs.',
      'Relieve the pressure before opening a hose.',
    ]);
    expect(await page.locator('main').innerText()).not.toContain('.,');
    await page.locator('section[aria-labelledby=bom-diff]').scrollIntoViewIfNeeded();
    await session.shot('lead-compare-bom', { fullPage: false });

    const phone = await session.browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.goto(`${base}/ana/press/compare?from=1.0.0&to=1.1.0`);
    await phone.locator('.cost-delta').waitFor({ timeout: 15_000 });
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, 'no sideways scrolling of the compare page on a phone').toBeLessThanOrEqual(1);
    await session.shot('lead-compare-phone', { page: phone });
    await phone.close();
  });

  it('shows a build report as a reviewer reads it, and asks for a decision and the safety check', async () => {
    const workshop = await t.app.inject({
      method: 'POST',
      url: '/api/workshops',
      headers: maker.auth,
      payload: {
        slug: 'taller-xixon',
        name: 'Taller Xixón',
        place: { city: 'Gijón', country: 'ES' },
        processes: ['welding'],
      },
    });
    expect(workshop.statusCode).toBe(201);
    const form = new FormData();
    form.append(
      'report',
      JSON.stringify({
        workshop: 'taller-xixon',
        outcome: 'success',
        hours: 14,
        cost: { amount: '830.00', currency: 'EUR' },
        lines: [
          {
            position: '1.2',
            status: 'substituted',
            substitute: { name: 'Bolt M12x45 8.8', supplier: 'Ferretería Xixón' },
            reason: 'M12x40 sold out locally',
          },
        ],
        safetyNotes: '- Guard fitted over the drawer path.\n- Relief valve tested at 1.5× rated pressure.',
        notes: 'Welded with **local** tube.\n\n<script>alert(1)</script>',
      }),
    );
    form.append('photos', new Blob([(await captionedPhoto()) as BlobPart]), 'frame.jpg');
    const { payload, headers } = await formPayload(form);
    const reported = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/versions/1.1.0/builds',
      headers: { ...headers, ...maker.auth },
      payload,
    });
    expect(reported.statusCode).toBe(201);
    const id = reported.json().id as string;
    await expect
      .poll(async () => (await t.app.inject({ url: `/api/builds/${id}` })).json().photos[0].state, { timeout: 30_000 })
      .toBe('done');

    await session.signInAs(lead);
    await page.goto(`${base}/reviews?build=${encodeURIComponent(id)}`);
    await page.getByRole('heading', { name: /Build of/ }).waitFor();

    // the whole photo: its own proportions, both red edge strips and the caption band along the bottom
    const photo = page.locator('.build-photo img');
    await photo.waitFor();
    await expect.poll(() => imageLoaded(photo), { timeout: 10_000 }).toBe(true);
    const [shown, natural] = await photo.evaluate((el: HTMLImageElement) => [
      el.clientWidth / el.clientHeight,
      el.naturalWidth / el.naturalHeight,
    ]);
    expect(shown).toBeCloseTo(natural, 1);
    const [leftRed, leftGreen] = await bandColour(photo, { left: 0.01, top: 0.3, width: 0.02, height: 0.3 });
    const [rightRed, rightGreen] = await bandColour(photo, { left: 0.97, top: 0.3, width: 0.02, height: 0.3 });
    expect(
      [leftRed > 150 && leftGreen < 90, rightRed > 150 && rightGreen < 90],
      'both edges of the photo are shown',
    ).toEqual([true, true]);
    expect(
      Math.min(...(await bandColour(photo, { left: 0.2, top: 0.84, width: 0.06, height: 0.02 }))),
      'the caption band is shown',
    ).toBeGreaterThan(200);
    expect(await page.locator('.build-photo figcaption').innerText()).toContain('Photo 1');

    // the line named from the version's BOM, the substitute said in words
    const line = page.locator('.build-lines tbody tr');
    expect(await line.locator('th').innerText()).toBe('1.2 Bolt M12x40 BL-M12');
    expect(await line.locator('td').first().innerText()).toBe(
      'instead of Bolt M12x40: Bolt M12x45 8.8 (from Ferretería Xixón)',
    );
    expect(await page.locator('.build-review').innerText()).not.toContain('name:');
    // the notes are Markdown, shown rendered and sanitised
    expect(await page.locator('.build-notes strong').innerText()).toBe('local');
    expect(await page.locator('.build-notes script').count()).toBe(0);
    expect(await page.locator('ul.safety-notes li').allInnerTexts()).toEqual([
      'Guard fitted over the drawer path.',
      'Relief valve tested at 1.5× rated pressure.',
    ]);

    // no decision until one is chosen; on this safety-critical design, no approval without the safety check
    const send = page.getByRole('button', { name: 'Send review' });
    expect(await page.locator('input[name=decision]:checked').count()).toBe(0);
    expect(await send.isDisabled()).toBe(true);
    await page.getByText('Choose a decision to send your review.').waitFor();
    await page.getByLabel('Approve').check();
    expect(await send.isDisabled()).toBe(true);
    await page.getByText('Tick the safety check above to approve.').waitFor();
    // what the check is against: the design's own safety points
    expect(await page.locator('.safety-points li').allInnerTexts()).toEqual([
      'Keep hands out of the chamber while the pump runs.',
      'Relieve the pressure before opening a hose.',
    ]);
    await session.shot('lead-review');
    await session.expectAccessible(page, 'review');
    await page.getByLabel(/Safety check/).check();
    expect(await send.isDisabled()).toBe(false);
    await page.getByLabel('Comment').fill('Guard and valve test seen in the photos.');
    await send.click();
    await page.getByText('Decision recorded: approve.').waitFor();
    const history = (await t.app.inject({ url: `/api/builds/${id}` })).json().history;
    expect(history.at(-1)).toMatchObject({ action: 'approve', safetyChecked: true });
  }, 90_000);
});
