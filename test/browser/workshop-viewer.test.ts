// The viewer, workshop and explore journeys in Chromium, judged by what a user sees: one model at a time in the
// viewer, part toggles that hide what they name, files opened in place, inside-out meshes drawn filled; a
// workshop's built designs and member links; explore cards that fill in once drawn, searches that find something,
// and three.js downloaded only where a viewer is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import * as THREE from 'three';
import type { Locator, Page } from 'playwright-core';
import { createDesign, formPayload, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { haveChromium, imageLoaded, openBrowserSession, pictureSpread, root, type BrowserSession } from './harness.js';
import { assemblyMesh } from '../fixtures/cad.js';
import { plateDxf } from '../fixtures/dxf.js';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { writeGlb } from '../../server/src/cad/write/gltf.js';
import { writeStlBinary } from '../../server/src/cad/write/stl.js';
import type { Mesh } from '../../server/src/cad/types.js';

/** The base plate of assemblyMesh() alone, where it sits in the assembly: the same part published twice. */
function basePlateMesh(): Mesh {
  return meshFromGeometry([{ name: 'base plate', geometry: new THREE.BoxGeometry(40, 30, 5).translate(0, 0, 2.5) }]);
}

/** A block whose triangles wind clockwise seen from outside (inside out), or the same block wound right. */
function blockStl(insideOut: boolean): Buffer {
  const mesh = meshFromGeometry([{ name: 'block', geometry: new THREE.BoxGeometry(40, 24, 14).translate(0, 0, 7) }]);
  if (insideOut) {
    const p = mesh.positions;
    for (let t = 0; t < p.length; t += 9) {
      for (let k = 0; k < 3; k++) [p[t + 3 + k], p[t + 6 + k]] = [p[t + 6 + k], p[t + 3 + k]];
    }
  }
  return writeStlBinary(mesh);
}

/** Mean absolute difference of two same-sized screenshots, 0–255 per channel. */
async function pictureDifference(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((png) => sharp(png).removeAlpha().raw().toBuffer()));
  if (x.length !== y.length) return 255;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i] - y[i]);
  return sum / x.length;
}

const bomCsv =
  [
    'Level,Part Number,Description,Qty,Unit,Process',
    '1,PL-01,Base plate,1,pcs,welding',
    '2,PN-01,Pin,1,pcs,lathe',
  ].join('\n') + '\n';

describe.skipIf(!haveChromium)('viewer, workshop and explore in Chromium', () => {
  let session: BrowserSession;
  let t: TestApp;
  let base: string;
  let page: Page;
  let ana: TestUser;
  let ben: TestUser;

  const readyCanvas = () => page.locator('canvas.viewer-canvas[data-state=ready]');
  /** Until every file of the design's latest version has been processed (expect.poll is for tests, not hooks). */
  async function waitForPipeline(owner: string, slug: string): Promise<void> {
    for (
      const started = Date.now();
      Date.now() - started < 60_000;
      await new Promise((resolve) => setTimeout(resolve, 200))
    ) {
      if (
        (await t.app.inject({ url: `/api/designs/${owner}/${slug}/versions/latest` })).json().pipeline?.state === 'done'
      )
        return;
    }
    throw new Error(`${owner}/${slug}: the pipeline did not finish within 60 s`);
  }

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ t, base, page } = session);
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
    await createDesign(t.app, ana, 'pin-press', {
      title: 'Pin press',
      category: 'fabrication',
      tags: ['press', 'pins'],
    });
    const published = await publish(
      t.app,
      ana,
      'ana',
      'pin-press',
      { version: '1.0.0' },
      [
        { path: 'cad/press.glb', bytes: await writeGlb(assemblyMesh()) },
        { path: 'cad/base-plate.stl', bytes: writeStlBinary(basePlateMesh()) },
        { path: 'drawings/plate.dxf', bytes: plateDxf(4) },
      ],
      { name: 'bom.csv', bytes: bomCsv },
    );
    expect(published.statusCode).toBe(201);
    for (const [slug, title, insideOut] of [
      ['inside-out', 'Inside-out block', true],
      ['right-way', 'Right-way block', false],
    ] as const) {
      await createDesign(t.app, ben, slug, { title, category: 'construction', tags: ['blocks'] });
      expect(
        (
          await publish(t.app, ben, 'ben', slug, { version: '1.0.0' }, [
            { path: 'block.stl', bytes: blockStl(insideOut) },
          ])
        ).statusCode,
      ).toBe(201);
    }
    await waitForPipeline('ana', 'pin-press');
    await waitForPipeline('ben', 'inside-out');
    await waitForPipeline('ben', 'right-way');
  }, 180_000);

  afterAll(async () => {
    await session?.close();
  });

  it('shows the assembly once — not the assembly and its part overlapped — and a part toggle hides that part', async () => {
    await page.goto(`${base}/ana/pin-press`);
    const canvas = readyCanvas();
    await canvas.waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Assembly (cad/press.glb)' }).waitFor();
    // the assembly's two parts, and not the third mesh base-plate.stl would add on top of its base plate
    expect(await canvas.getAttribute('data-meshes')).toBe('2');
    expect(await pictureSpread(canvas)).toBeGreaterThan(8);
    const assembly = await canvas.screenshot();
    await session.shot('viewer-assembly');

    // the assembly file opened on its own draws exactly the same picture: nothing else was in the default view
    await page.goto(`${base}/ana/pin-press?file=${encodeURIComponent('cad/press.glb')}`);
    await readyCanvas().waitFor({ timeout: 30_000 });
    expect(await pictureDifference(assembly, await readyCanvas().screenshot())).toBeLessThan(1);

    const pin = page.getByRole('checkbox', { name: 'pin', exact: true });
    await pin.uncheck();
    expect(await pin.isChecked()).toBe(false);
    expect(await readyCanvas().getAttribute('data-hidden')).toBe('1');
    const withoutPin = await readyCanvas().screenshot();
    expect(await pictureDifference(assembly, withoutPin), 'hiding the pin changes the picture').toBeGreaterThan(1);
    await session.shot('viewer-part-hidden', { fullPage: false });
    await pin.check();
    expect(
      await pictureDifference(assembly, await readyCanvas().screenshot()),
      'showing it again restores the picture',
    ).toBeLessThan(1);
  }, 90_000);

  it('shows the sample brick press as its assembly alone, not overlapped by its part files', async () => {
    const folder = join(root, 'designs', 'brick-press', '1.1.0');
    const files = [
      'cad/brick-press.glb',
      'cad/compression-chamber.3mf',
      'cad/frame.stl',
      'cad/hopper.obj',
      'drawings/chamber-side-plate.dxf',
    ];
    await createDesign(t.app, ana, 'brick-press', {
      title: 'Compressed Earth Brick Press',
      category: 'construction',
      tags: ['bricks'],
    });
    const published = await publish(
      t.app,
      ana,
      'ana',
      'brick-press',
      { version: '1.1.0' },
      files.map((path) => ({ path, bytes: readFileSync(join(folder, path)) })),
    );
    expect(published.statusCode).toBe(201);
    await waitForPipeline('ana', 'brick-press');
    await page.goto(`${base}/ana/brick-press`);
    const canvas = readyCanvas();
    await canvas.waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Assembly (cad/brick-press.glb)' }).waitFor();
    const whole = await canvas.screenshot();
    await session.shot('viewer-brick-press', { fullPage: false });
    // the hopper is in the assembly once: hiding its toggle takes it off the picture
    await page.getByRole('checkbox', { name: 'hopper shell' }).uncheck();
    expect(await pictureDifference(whole, await canvas.screenshot())).toBeGreaterThan(1);
    await session.shot('viewer-brick-press-no-hopper', { fullPage: false });
  }, 120_000);

  it('shows a version of separate models, none the whole, as one model of the version with a toggle per file', async () => {
    await createDesign(t.app, ben, 'two-blocks', { title: 'Two blocks' });
    const plate = meshFromGeometry([
      { name: 'plate', geometry: new THREE.BoxGeometry(30, 30, 4).translate(200, 0, 2) },
    ]);
    expect(
      (
        await publish(t.app, ben, 'ben', 'two-blocks', { version: '1.0.0' }, [
          { path: 'block.stl', bytes: blockStl(false) },
          { path: 'plate.stl', bytes: writeStlBinary(plate) },
        ])
      ).statusCode,
    ).toBe(201);
    await waitForPipeline('ben', 'two-blocks');
    // the whole-version model is made after the files; until then the largest file stands in (and says so)
    for (
      const started = Date.now();
      (await t.app.inject({ url: '/api/designs/ben/two-blocks/versions/1.0.0/model.glb' })).statusCode === 202;
    ) {
      if (Date.now() - started > 60_000) throw new Error('model.glb was not made within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await page.goto(`${base}/ben/two-blocks`);
    const canvas = page.locator('section.viewer[data-model=version] canvas.viewer-canvas[data-state=ready]');
    await canvas.waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Whole version (2 models)' }).waitFor();
    expect(await canvas.getAttribute('data-meshes')).toBe('2');
    expect(await page.getByRole('checkbox').count()).toBe(2);
    await session.shot('viewer-whole-version', { fullPage: false });
  }, 120_000);

  it('opens a file from the list in the viewer without downloading it; its Download button downloads it', async () => {
    await page.goto(`${base}/ana/pin-press`);
    await readyCanvas().waitFor({ timeout: 30_000 });
    const downloads: string[] = [];
    const onDownload = (d: { suggestedFilename(): string }) => downloads.push(d.suggestedFilename());
    page.on('download', onDownload);
    await page.getByRole('button', { name: 'cad/base-plate.stl' }).click();
    await page.getByRole('heading', { name: 'cad/base-plate.stl' }).waitFor();
    const canvas = page.locator(
      'section.viewer[data-model="cad/base-plate.stl"] canvas.viewer-canvas[data-state=ready]',
    );
    await canvas.waitFor({ timeout: 30_000 });
    expect(await canvas.getAttribute('data-meshes')).toBe('1');
    expect(await pictureSpread(canvas)).toBeGreaterThan(8);
    expect(new URL(page.url()).searchParams.get('file')).toBe('cad/base-plate.stl');
    await session.shot('viewer-file-opened', { fullPage: false });

    // a DXF opens as its drawing
    await page.getByRole('button', { name: 'drawings/plate.dxf' }).click();
    const drawing = page.locator('img.viewer-drawing');
    await drawing.waitFor();
    await expect.poll(() => imageLoaded(drawing), { timeout: 20_000 }).toBe(true);
    expect(await pictureSpread(drawing)).toBeGreaterThan(8);
    await session.shot('viewer-drawing', { fullPage: false });
    page.off('download', onDownload);
    expect(downloads, 'opening files downloads nothing').toEqual([]);

    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download cad/base-plate.stl' }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe('base-plate.stl');

    // and the viewer goes back to the whole design
    await page.getByRole('button', { name: 'Show the whole design' }).click();
    await page.getByRole('heading', { name: 'Assembly (cad/press.glb)' }).waitFor();

    // on a phone each file keeps its open button and Download within the page width
    await page.setViewportSize({ width: 390, height: 844 });
    const download = page.getByRole('link', { name: 'Download drawings/plate.dxf' });
    await download.scrollIntoViewIfNeeded();
    const box = await download.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await session.shot('viewer-files-phone', { fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 90_000);

  it('draws an inside-out mesh filled, as the same mesh wound the right way', async () => {
    const shots: Buffer[] = [];
    for (const slug of ['inside-out', 'right-way']) {
      await page.goto(`${base}/ben/${slug}`);
      const canvas = readyCanvas();
      await canvas.waitFor({ timeout: 30_000 });
      expect(await pictureSpread(canvas)).toBeGreaterThan(8);
      shots.push(await canvas.screenshot());
      await session.shot(`viewer-${slug}`, { fullPage: false });
    }
    // culled back faces would leave only the far walls of the inside-out block: an open box, shaded otherwise
    expect(await pictureDifference(shots[0], shots[1])).toBeLessThan(2);
  }, 60_000);

  it('the workshop page lists the design it built under "Can build here", and its members are links', async () => {
    const post = (user: TestUser, url: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: user.auth, payload });
    // welding only: the BOM's lathe line would keep the press out of "Can build here" but for the workshop's own build
    expect(
      (
        await post(ben, '/api/workshops', {
          slug: 'taller-ben',
          name: 'Taller Ben',
          place: { city: 'Gijón', country: 'ES' },
          processes: ['welding'],
        })
      ).statusCode,
    ).toBe(201);
    expect((await post(ben, '/api/workshops/taller-ben/members', { handle: 'ana' })).statusCode).toBe(201);
    const form = new FormData();
    form.append('report', JSON.stringify({ workshop: 'taller-ben', outcome: 'success', hours: 6 }));
    const { payload, headers } = await formPayload(form);
    const built = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/pin-press/versions/1.0.0/builds',
      headers: { ...ben.auth, ...headers },
      payload,
    });
    expect(built.statusCode).toBe(201);

    await page.goto(`${base}/workshops/taller-ben`);
    const canBuild = page.locator('section', { has: page.getByRole('heading', { name: 'Can build here' }) });
    await canBuild.getByRole('link', { name: 'Pin press' }).waitFor({ timeout: 15_000 });
    await canBuild.getByRole('link', { name: 'built here (1.0.0)' }).waitFor();
    const member = page.getByRole('link', { name: '@ana' });
    expect(await member.getAttribute('href')).toBe('/ana');
    expect(await page.getByRole('link', { name: '@ben' }).getAttribute('href')).toBe('/ben');
    await session.shot('workshop-built');
    await session.expectAccessible(page, 'workshop');
    await member.click();
    // a member's handle leads to their profile, which lists their designs
    await page.waitForURL(`${base}/ana`);
    await page.locator('.design-card', { hasText: 'Pin press' }).waitFor();
    expect(await page.locator('.design-card', { hasText: 'Inside-out block' }).count()).toBe(0);
  }, 60_000);

  it('an explore card drawn while the page is open goes from placeholder to picture without a reload', async () => {
    const worker = t.deps.pipeline!.worker;
    await worker.stop();
    await createDesign(t.app, ben, 'late-block', { title: 'Late block', category: 'construction', tags: ['blocks'] });
    expect(
      (
        await publish(t.app, ben, 'ben', 'late-block', { version: '1.0.0' }, [
          { path: 'block.stl', bytes: blockStl(false) },
        ])
      ).statusCode,
    ).toBe(201);
    await page.goto(`${base}/`);
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    const card = page.locator('.design-card', { hasText: 'Late block' });
    await card.locator('.thumb-pending').waitFor({ timeout: 15_000 });
    await card.getByText('Drawing the preview…').waitFor();
    await session.shot('explore-drawing', { fullPage: false });
    worker.start();
    const picture = card.locator('img.thumb');
    await picture.waitFor({ timeout: 60_000 });
    await expect.poll(() => imageLoaded(picture), { timeout: 10_000 }).toBe(true);
    expect(
      await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce),
      'the page was not reloaded',
    ).toBe(true);
    await session.shot('explore-drawn', { fullPage: false });
  }, 90_000);

  it('an empty search says what found nothing, keeps the page width and suggests searches that find designs', async () => {
    await page.goto(`${base}/?q=${encodeURIComponent('grain mill')}`);
    await page.getByText('No design matches “grain mill”.').waitFor({ timeout: 15_000 });
    const results = await page.locator('.explore-results').boundingBox();
    const explore = await page.locator('.explore').boundingBox();
    expect(results!.width, 'the empty result spans the page').toBeGreaterThan(explore!.width * 0.9);
    await session.shot('explore-empty', { fullPage: false });
    await session.expectAccessible(page, 'explore-empty');
    const suggestions = page.locator('.search-suggestions button');
    const texts = await suggestions.allInnerTexts();
    expect(texts.length).toBeGreaterThan(0);
    expect(await page.getByRole('searchbox').getAttribute('placeholder')).toContain(texts[0]);
    for (const text of texts) {
      await page.goto(`${base}/?q=${encodeURIComponent('grain mill')}`);
      await page.locator('.search-suggestions').getByRole('button', { name: text, exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('q') === text);
      await page.locator('.design-card').first().waitFor({ timeout: 10_000 });
    }

    // with a filter set, the message names it and offers to clear it, keeping the words
    await page.goto(`${base}/?q=${encodeURIComponent('grain mill')}&category=energy`);
    await page.getByText('No design matches “grain mill” with Category: energy.').waitFor({ timeout: 15_000 });
    await session.shot('explore-empty-filtered', { fullPage: false });
    await page.getByRole('button', { name: 'Clear the filters, keep “grain mill”' }).click();
    await page.waitForURL((url) => !url.searchParams.has('category') && url.searchParams.get('q') === 'grain mill');
  }, 90_000);

  it('downloads three.js on a design page with a model, and not on the explore or login pages', async () => {
    const viewerChunk = /\/assets\/scene-[^/]*\.js$/;
    const fresh = await session.context.newPage();
    const requested: string[] = [];
    fresh.on('request', (request) => requested.push(request.url()));
    const visit = async (path: string, ready: (p: Page) => Locator) => {
      requested.length = 0;
      await fresh.goto(`${base}${path}`);
      await ready(fresh).waitFor({ timeout: 30_000 });
      await fresh.waitForLoadState('networkidle').catch(() => undefined);
      return requested.filter((url) => viewerChunk.test(url));
    };
    expect(await visit('/', (p) => p.locator('.design-card').first())).toEqual([]);
    expect(await visit('/login', (p) => p.getByRole('button', { name: 'Sign in' }))).toEqual([]);
    expect(await visit('/workshops', (p) => p.getByRole('heading', { name: 'Workshops', level: 1 }))).toEqual([]);
    expect(
      (await visit('/ben/right-way', (p) => p.locator('canvas.viewer-canvas[data-state=ready]'))).length,
    ).toBeGreaterThan(0);
    await fresh.close();
  }, 60_000);
});
