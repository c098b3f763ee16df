// End to end in Debian's Chromium (playwright-core): the registry as people use it, through the web app on a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import * as THREE from 'three';
import { publish, type TestApp, type TestUser } from '../helpers/app.js';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { writeStlBinary } from '../../server/src/cad/write/stl.js';

/** Two boxes as one binary STL: a base plate and an upright, so the render has faces at several angles. */
function bracketStl(): Buffer {
  const boxes = [
    [0, 0, 0, 60, 40, 6],
    [0, 0, 6, 8, 40, 50],
  ];
  const triangles: number[][][] = [];
  for (const [x0, y0, z0, x1, y1, z1] of boxes) {
    const v = [
      [x0, y0, z0],
      [x1, y0, z0],
      [x1, y1, z0],
      [x0, y1, z0],
      [x0, y0, z1],
      [x1, y0, z1],
      [x1, y1, z1],
      [x0, y1, z1],
    ];
    const faces = [
      [0, 2, 1],
      [0, 3, 2],
      [4, 5, 6],
      [4, 6, 7],
      [0, 1, 5],
      [0, 5, 4],
      [1, 2, 6],
      [1, 6, 5],
      [2, 3, 7],
      [2, 7, 6],
      [3, 0, 4],
      [3, 4, 7],
    ];
    for (const face of faces) triangles.push(face.map((index) => v[index]));
  }
  const bytes = Buffer.alloc(84 + 50 * triangles.length);
  bytes.writeUInt32LE(triangles.length, 80);
  triangles.forEach((triangle, i) =>
    triangle.forEach((vertex, k) => vertex.forEach((c, j) => bytes.writeFloatLE(c, 84 + 50 * i + 12 + 12 * k + 4 * j))),
  );
  return bytes;
}

const bomCsv = [
  'Level,Part Number,Description,Qty,Unit,Unit Price,Currency,Supplier',
  '1,FR-01,Frame weldment,1,pcs,0,USD,',
  '1.1,ST-40,Square tube 40x40x3,6.2,m,4.10,USD,Local steel',
  '1.2,BL-M12,Bolt M12x40,16,pcs,0.35,USD,Fastenal',
  '2,HY-CYL,Hydraulic cylinder 2.5in x 10in,1,pcs,189.00,USD,Surplus Center',
].join('\n');

const readme =
  '# Brick press\n\nA manual press for compressed earth blocks.\n\n- Frame of square tube\n- Hydraulic cylinder\n\n<script>alert(1)</script>\n';

type Step = { name: string; page: Page };

describe.skipIf(!haveChromium)('web app in Chromium', () => {
  let session: BrowserSession;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let fixtureDir: string;
  const lead = { handle: 'lead', password: 'lead-password-1' };
  const maker = { handle: 'maker', password: 'maker-password-1' };
  let buildId: string | undefined;
  let proposed = false;

  /** True when the server has a route for this request (its 404 handler answers "No route …" otherwise). */
  async function routeExists(method: string, url: string): Promise<boolean> {
    const r = await t.app.inject({ method: method as 'GET', url });
    return !(r.statusCode === 404 && /No route/.test(r.body));
  }

  async function requireRoute(ctx: { skip: (note?: string) => never }, method: string, url: string) {
    if (!(await routeExists(method, url))) {
      const note = `API not built yet: ${method} ${url}`;
      console.warn(`browser test skipped — ${note}`);
      ctx.skip(note);
    }
  }

  const shot = ({ name, page: p }: Step, options: { fullPage?: boolean } = { fullPage: true }) =>
    session.shot(name, { ...options, page: p });
  const expectAccessible = (p: Page, label: string) => session.expectAccessible(p, label);
  const signInAs = (user: { handle: string; password: string }) => session.signInAs(user);
  const apiUser = (user: { handle: string; password: string }): Promise<TestUser> => session.apiUser(user);

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ t, base, browser, page } = session);
    fixtureDir = mkdtempSync(join(tmpdir(), 'andecha-web-'));
    mkdirSync(join(fixtureDir, 'brick-press', 'frame'), { recursive: true });
    writeFileSync(join(fixtureDir, 'brick-press', 'frame', 'bracket.stl'), bracketStl());
    writeFileSync(join(fixtureDir, 'brick-press', 'bom.csv'), bomCsv);
    writeFileSync(join(fixtureDir, 'brick-press', 'README.md'), readme);
    writeFileSync(
      join(fixtureDir, 'photo.jpg'),
      await sharp({ create: { width: 320, height: 240, channels: 3, background: '#a0623a' } })
        .jpeg()
        .toBuffer(),
    );
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
  });

  it('serves the app at / and at a deep link (index.html fallback)', async () => {
    const deep = await fetch(`${base}/someone/something/compare?from=1&to=2`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toContain('text/html');
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Machines made in common' }).waitFor();
    await page.getByText('No designs published yet.').waitFor();
  });

  it('registers the lead through the form', async () => {
    await page.goto(`${base}/register`);
    await shot({ name: 'register', page });
    await expectAccessible(page, 'register');
    await page.getByLabel('Handle').fill(lead.handle);
    await page.getByLabel('Email').fill('lead@example.org');
    await page.getByLabel('Password').fill(lead.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${base}/`);
    await page.getByRole('link', { name: '@lead' }).waitFor();
  });

  it('creates a design and publishes a folder with an STL, a README and a BOM', async () => {
    await page.goto(`${base}/publish`);
    // the new-design form's own fields: the edit form of a chosen design has a Title and a Summary too
    const newDesign = page.getByRole('form', { name: 'New design' });
    await newDesign.getByLabel('Title').fill('Brick press');
    expect(await newDesign.getByLabel('Slug (address)').inputValue()).toBe('brick-press');
    await newDesign.getByLabel('Summary').fill('Manual press for compressed earth blocks');
    await page.getByRole('button', { name: 'Create design' }).click();
    await page.waitForURL(/design=lead%2Fbrick-press|design=lead\/brick-press/);

    await page.setInputFiles('#pick-folder', join(fixtureDir, 'brick-press'));
    await page.locator('.picked-files').getByText('frame/bracket.stl').first().waitFor();
    expect(await page.locator('select[name=bom]').inputValue()).toBe('bom.csv');
    if (await routeExists('POST', '/api/bom/parse')) {
      await page.getByText('Columns recognised').waitFor({ timeout: 10_000 });
      await page.getByRole('cell', { name: 'Qty', exact: true }).waitFor();
    }
    await page.getByLabel('Changelog').fill('First public version.');
    await shot({ name: 'publish', page });
    await expectAccessible(page, 'publish');
    await page.getByRole('button', { name: /^Publish lead\/brick-press@1\.0\.0/ }).click();
    await page.getByRole('heading', { name: 'Published lead/brick-press@1.0.0' }).waitFor({ timeout: 30_000 });
    await page.getByText(/^(\d+) of \1 files processed$/).waitFor({ timeout: 60_000 });
    await shot({ name: 'publish-progress', page });
    await page.getByRole('link', { name: 'Open the design page' }).click();
    await page.waitForURL(`${base}/lead/brick-press/1.0.0`);
  }, 120_000);

  it('shows the design: preview image, a non-blank 3D canvas, the sanitised README and file facts', async () => {
    const preview = await fetch(
      `${base}/api/designs/lead/brick-press/versions/1.0.0/previews/frame/bracket.stl?size=256&format=webp`,
    );
    expect(preview.status).toBe(200);
    const thumb = page.locator('.file-row img.thumb').first();
    await thumb.waitFor();
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 })
      .toBe(true);

    const canvas = page.locator('canvas.viewer-canvas[data-state=ready]');
    await canvas.waitFor({ timeout: 30_000 });
    const pixels = await sharp(await canvas.screenshot()).stats();
    const spread = Math.max(...pixels.channels.slice(0, 3).map((channel) => channel.stdev));
    expect(spread, 'the 3D canvas is not uniform').toBeGreaterThan(8);

    await page.getByRole('heading', { name: 'About this design' }).waitFor();
    await page.locator('.markdown h1', { hasText: 'Brick press' }).waitFor();
    expect(await page.locator('.markdown script').count()).toBe(0);
    await page.getByText(/24 triangles/).waitFor();
    await shot({ name: 'design', page });
    await expectAccessible(page, 'design');
  });

  it('scales the BOM with the units selector', async (ctx) => {
    await requireRoute(ctx, 'GET', '/api/designs/lead/brick-press/versions/1.0.0/bom?format=json');
    await page.goto(`${base}/lead/brick-press`);
    const bolts = page.locator('tr', { hasText: 'BL-M12' });
    await page
      .getByRole('button', { name: 'Expand all' })
      .click()
      .catch(() => undefined);
    await expect
      .poll(() => bolts.locator('[data-testid=bom-quantity]').innerText(), { timeout: 10_000 })
      .toMatch(/^16\b/);
    await page.getByLabel('Units to build').fill('3');
    await page
      .getByRole('button', { name: 'Expand all' })
      .click()
      .catch(() => undefined);
    await expect
      .poll(() => bolts.locator('[data-testid=bom-quantity]').innerText(), { timeout: 10_000 })
      .toMatch(/^48\b/);
    expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toContain('units=3');
    if (await routeExists('GET', '/api/designs/lead/brick-press/versions/1.0.0/bom/cutlist')) {
      await page.getByText('Cut list for stock lengths').click();
      await page.locator('.cut-group, .cutlist p.muted').first().waitFor({ timeout: 10_000 });
    }
    await shot({ name: 'design-bom', page });
  });

  it('forks the design as a second user', async (ctx) => {
    await requireRoute(ctx, 'POST', '/api/designs/lead/brick-press/forks');
    await session.signOut();
    await page.goto(`${base}/register`);
    await page.getByLabel('Handle').fill(maker.handle);
    await page.getByLabel('Email').fill('maker@example.org');
    await page.getByLabel('Password').fill(maker.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/lead/brick-press`);
    await page.getByRole('button', { name: 'Fork' }).click();
    await page.getByLabel('New slug').fill('brick-press-metric');
    await page.getByRole('button', { name: 'Create fork' }).click();
    await page.waitForURL(`${base}/maker/brick-press-metric`);
    await page.getByText('Forked from').first().waitFor();
    await shot({ name: 'fork', page });
    if (await routeExists('GET', '/api/designs/lead/brick-press/proposals')) {
      await page.getByRole('button', { name: 'Propose upstream' }).click();
      await page.getByLabel('What changed, and why upstream should take it').fill('Metric fasteners throughout.');
      await shot({ name: 'propose', page });
      await expectAccessible(page, 'propose');
      await page.getByRole('button', { name: 'Send proposal' }).click();
      await page.getByText('Proposed maker/brick-press-metric@1.0.0 to lead/brick-press').waitFor();
      proposed = true;
    }
  });

  it('compares two versions', async (ctx) => {
    await requireRoute(ctx, 'GET', '/api/designs/lead/brick-press/compare?from=1.0.0&to=1.0.0');
    const leadApi = await apiUser(lead);
    const second = await publish(
      t.app,
      leadApi,
      'lead',
      'brick-press',
      { version: '1.1.0', changelog: 'Taller upright' },
      [{ path: 'frame/bracket.stl', bytes: bracketStl().subarray(0, 84 + 50 * 12) }],
      { name: 'bom.csv', bytes: bomCsv.replace('16,pcs', '20,pcs') },
    );
    expect(second.statusCode).toBe(201);
    await page.goto(`${base}/lead/brick-press/compare?from=1.0.0&to=1.1.0`);
    await page.getByRole('heading', { name: 'Files' }).waitFor({ timeout: 15_000 });
    await page.getByText('frame/bracket.stl').first().waitFor();
    await shot({ name: 'compare', page });
    await expectAccessible(page, 'compare');
    const fork = await t.app.inject({ method: 'GET', url: '/api/designs/maker/brick-press-metric' });
    if (fork.statusCode === 200 && fork.json().upstream !== undefined) {
      await page.goto(`${base}/maker/brick-press-metric`);
      await page.getByText('A newer upstream version exists').waitFor({ timeout: 10_000 });
      expect(await page.getByRole('link', { name: 'See what changed upstream' }).getAttribute('href')).toContain(
        'to=lead%2Fbrick-press%401.1.0',
      );
      await shot({ name: 'fork-upstream', page });
    }
  });

  it('creates a workshop', async (ctx) => {
    await requireRoute(ctx, 'GET', '/api/workshops');
    await page.goto(`${base}/workshops`);
    if (!(await page.getByRole('link', { name: '@maker' }).count())) {
      await signInAs(maker);
      await page.goto(`${base}/workshops`);
    }
    await page.getByRole('button', { name: 'Add your workshop' }).click();
    await page.getByLabel('Name').fill('Taller Xixón');
    await page.getByLabel('City').fill('Gijón');
    await page.getByLabel('Country (ISO code)').fill('ES');
    await page.getByLabel('welding').check();
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await page.waitForURL(`${base}/workshops/taller-xixon`);
    await page.getByRole('heading', { name: 'Taller Xixón' }).waitFor();
    await page
      .locator('.state-loading')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    await shot({ name: 'workshop', page });
    await expectAccessible(page, 'workshop');
    await page.goto(`${base}/workshops`);
    await page.getByRole('link', { name: 'Taller Xixón' }).waitFor();
    await shot({ name: 'workshops', page });
    await expectAccessible(page, 'workshops');
  });

  it('reports a build with a photo', async (ctx) => {
    await requireRoute(ctx, 'POST', '/api/designs/lead/brick-press/versions/1.0.0/builds');
    await page.goto(`${base}/lead/brick-press/1.0.0`);
    await page.getByRole('button', { name: 'Report a build' }).click();
    await page.getByLabel('Person-hours').fill('14');
    await page.getByLabel('Actual total cost').fill('812.50');
    await page.getByLabel('Currency').last().fill('EUR');
    await page.getByLabel('Notes (Markdown)').fill('Built with local tube.');
    await page.setInputFiles('#build-photos', join(fixtureDir, 'photo.jpg'));
    await page.getByAltText('Preview of photo.jpg').waitFor();
    await shot({ name: 'build-report', page });
    await page.getByRole('button', { name: 'Submit report' }).click();
    const link = page.getByRole('link', { name: 'See the report' });
    await link.waitFor({ timeout: 20_000 });
    buildId = new URL((await link.getAttribute('href'))!, base).searchParams.get('build') ?? undefined;
    expect(buildId).toBeTruthy();
  });

  it('lets the lead approve the build from the review queue', async (ctx) => {
    await requireRoute(ctx, 'GET', '/api/reviews/queue');
    if (!buildId) ctx.skip('no build report from the previous step');
    await session.signOut();
    await signInAs(lead);
    await page.goto(`${base}/reviews`);
    await page.locator('.review-item a').first().waitFor();
    await shot({ name: 'reviews', page });
    await expectAccessible(page, 'reviews');
    await page.locator(`a[href="/reviews?build=${encodeURIComponent(buildId!)}"]`).click();
    await page.getByRole('heading', { name: /Build of/ }).waitFor();
    await page.getByLabel('Approve').check();
    await page.getByLabel('Comment').fill('Looks right, thanks.');
    await shot({ name: 'review', page });
    await page.getByRole('button', { name: 'Send review' }).click();
    await page.getByText('Decision recorded: approve.').waitFor();
  });

  it('shows the approved build in the field data', async (ctx) => {
    await requireRoute(ctx, 'GET', '/api/designs/lead/brick-press/versions/1.0.0/field');
    if (!buildId) ctx.skip('no build report from the previous steps');
    await page.goto(`${base}/lead/brick-press/1.0.0`);
    await expect
      .poll(
        () =>
          page
            .locator('[data-testid=field-approved]')
            .innerText()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toBe('1');
    await shot({ name: 'design-field', page });
  });

  it('the workshop page lists the build', async (ctx) => {
    if (!buildId) ctx.skip('no build report from the previous steps');
    await page.goto(`${base}/workshops/taller-xixon`);
    await page.locator(`.build-list a[href="/reviews?build=${encodeURIComponent(buildId!)}"]`).waitFor();
    await shot({ name: 'workshop-builds', page });
  });

  it('lets the lead accept the proposal as a new version', async (ctx) => {
    if (!proposed) ctx.skip('no proposal from the fork step');
    await page.goto(`${base}/lead/brick-press`);
    const proposal = page.locator('.proposal', { hasText: 'maker/brick-press-metric@1.0.0' });
    await proposal.waitFor();
    await proposal.getByRole('button', { name: 'Accept…' }).click();
    await expect(await proposal.getByLabel('Publish as version').inputValue()).toBe('1.2.0');
    await shot({ name: 'proposal-accept', page });
    await expectAccessible(page, 'design with proposals');
    await proposal.getByRole('button', { name: 'Publish brick-press@1.2.0' }).click();
    await page
      .getByText('Accepted: published as version 1.2.0.')
      .or(proposal.locator('.notice-error'))
      .first()
      .waitFor({ timeout: 20_000 });
    const acceptError = proposal.locator('.notice-error');
    if (await acceptError.count()) throw new Error(`accepting the proposal failed: ${await acceptError.innerText()}`);
    await page.locator('.proposal[data-state=accepted]').waitFor();
  });

  it('shows the lead’s feed', async (ctx) => {
    await requireRoute(ctx, 'GET', '/api/me/feed');
    await page.getByRole('link', { name: 'My feed' }).click();
    await page.getByRole('heading', { name: 'My feed', level: 1 }).waitFor();
    await page.locator('.feed-fork', { hasText: 'maker/brick-press-metric' }).waitFor({ timeout: 10_000 });
    if (proposed) await page.locator('.feed-proposal').first().waitFor();
    await shot({ name: 'feed', page });
    await expectAccessible(page, 'feed');
  });

  it('finds the design by search, with a highlighted snippet and facets', async () => {
    await page.goto(`${base}/?q=press`);
    const card = page.locator('.design-card', { hasText: 'Brick press' }).first();
    await card.waitFor();
    if (await card.locator('.design-card-snippet').count()) {
      await card.locator('.design-card-snippet mark').first().waitFor();
      expect(await page.locator('.design-card-snippet script, .design-card-snippet [onerror]').count()).toBe(0);
    }
    await page.locator('.facets').waitFor();
    await shot({ name: 'search', page });
    await expectAccessible(page, 'search');
  });

  it('shows the parts matching a search, with the versions that use them', async () => {
    await page.goto(`${base}/?q=${encodeURIComponent('hydraulic cylinder')}`);
    const parts = page.locator('.part-matches');
    await parts.getByText('Hydraulic cylinder 2.5in x 10in').waitFor();
    expect(await parts.getByText('HY-CYL').count()).toBeGreaterThan(0);
    await parts
      .getByRole('link', { name: /lead\/brick-press/ })
      .first()
      .waitFor();
    await shot({ name: 'search-parts', page }, { fullPage: false });
    await expectAccessible(page, 'search-parts');
  });

  it('draws a large model in the 3D viewer from its meshopt-compressed GLB', async () => {
    const leadApi = await apiUser(lead);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/designs',
          headers: leadApi.auth,
          payload: { slug: 'knot', title: 'Knot' },
        })
      ).statusCode,
    ).toBe(201);
    const knot = writeStlBinary(
      meshFromGeometry([{ name: 'knot', geometry: new THREE.TorusKnotGeometry(20, 6, 300, 40) }]),
    );
    expect(
      (await publish(t.app, leadApi, 'lead', 'knot', { version: '1.0.0' }, [{ path: 'knot.stl', bytes: knot }]))
        .statusCode,
    ).toBe(201);
    // the GLB exists and is compressed before the page opens, so the viewer loads it and not the STL fallback
    let glbUrl = '';
    await expect
      .poll(
        async () => {
          glbUrl =
            (await t.app.inject({ url: '/api/designs/lead/knot/versions/1.0.0' })).json().files[0].previews?.glb ?? '';
          return glbUrl;
        },
        { timeout: 60_000 },
      )
      .not.toBe('');
    const glb = (await t.app.inject({ url: glbUrl })).rawPayload;
    const json = JSON.parse(glb.subarray(20, 20 + glb.readUInt32LE(12)).toString());
    expect(json.extensionsUsed).toContain('EXT_meshopt_compression');
    const errors: string[] = [];
    // script errors only (a decoder refused by the CSP is one); a 404 of a not-yet-made thumbnail is not
    const onConsole = (m: { type(): string; text(): string }) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    };
    page.on('console', onConsole);
    await page.goto(`${base}/lead/knot`);
    const canvas = page.locator('canvas.viewer-canvas[data-state=ready]');
    await canvas.waitFor({ timeout: 30_000 });
    // drawn from the GLB itself, not from the STL the viewer falls back to when a GLB cannot be read
    expect(await canvas.getAttribute('data-drawn')).toBe('glb');
    const pixels = await sharp(await canvas.screenshot()).stats();
    expect(
      Math.max(...pixels.channels.slice(0, 3).map((channel) => channel.stdev)),
      'the 3D canvas is not uniform',
    ).toBeGreaterThan(8);
    page.off('console', onConsole);
    expect(errors, errors.join('\n')).toEqual([]);
  }, 90_000);

  it('workshops, reviews and compare pages load in whatever state their API is in, and pass axe', async () => {
    for (const [name, path, heading] of [
      ['workshops-state', '/workshops', 'Workshops'],
      ['reviews-state', '/reviews', 'Reviews'],
      ['compare-state', '/lead/brick-press/compare?from=1.0.0&to=1.0.0', 'Compare Brick press'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page
        .locator('.state-loading')
        .waitFor({ state: 'detached', timeout: 10_000 })
        .catch(() => undefined);
      await shot({ name, page });
      await expectAccessible(page, name);
    }
  });

  it('explore lists the design with its preview; tokens and login pages pass axe; the phone layout holds', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Brick press' }).first().waitFor();
    const cardImage = page.locator('.design-card img.thumb').first();
    await cardImage.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => cardImage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    await shot({ name: 'explore', page });
    await expectAccessible(page, 'explore');
    await page.goto(`${base}/settings/tokens`);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    if (await routeExists('GET', '/api/tokens')) {
      await page.getByLabel('Name').fill('workshop laptop');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByText('Copy it now: it will not be shown again.', { exact: false }).waitFor();
      expect((await page.getByLabel('Token', { exact: true }).inputValue()).length).toBeGreaterThan(16);
      await page.getByRole('cell', { name: 'workshop laptop', exact: true }).waitFor();
    }
    await shot({ name: 'tokens', page });
    await expectAccessible(page, 'tokens');
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.goto(`${base}/lead/brick-press/1.0.0`);
    await phone.locator('h1').waitFor();
    await phone.locator('.file-row').first().waitFor();
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, 'no sideways scrolling on a phone').toBeLessThanOrEqual(1);
    await shot({ name: 'design-phone', page: phone });
    await phone.goto(`${base}/login`);
    await shot({ name: 'login-phone', page: phone });
    await expectAccessible(phone, 'login');
    await phone.close();
  });
});
