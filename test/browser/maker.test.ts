// The maker's journey in Chromium: a new version of a safety-critical design made from the previous one (one file
// replaced, one removed, the rest, the manifest and the BOM carried), the diff seen before publishing, a confirmation
// before safety notes are dropped, and the design edited from its page with the licence picker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Page } from 'playwright-core';
import { createDesign, publish, type TestApp, type TestUser } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { plateDxf } from '../fixtures/dxf.js';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

const bomCsv =
  [
    'Level,Part Number,Description,Qty,Unit,Unit Price,Currency',
    '1,FR-01,Press frame weldment,1,pcs,0,EUR',
    '1.1,ST-60,Square tube 60x60x4,4.8,m,9.20,EUR',
    '2,HY-CYL,Hydraulic cylinder 20 t,1,pcs,310.00,EUR',
    '3,GD-01,Two-hand control guard,1,pcs,85.00,EUR',
  ].join('\n') + '\n';

const safety = [
  'Never reach under the ram: use the two-hand control.',
  'Check the relief valve is set to 180 bar before every shift.',
];

/** Every field of 1.0.0 a builder relies on, including ones the publish form has no widget for. */
const firstManifest = {
  version: '1.0.0',
  changelog: 'First release.',
  function: 'Presses sheet metal parts with a 20 t hydraulic cylinder.',
  safetyCritical: true,
  safety,
  readiness: { technology: 'TRL 6', documentation: 'ODRL 3' },
  mass: '240 kg',
  'outer-dimensions': { width: 900, depth: 700, height: 1850, unit: 'mm' },
  'fork-of': 'https://example.org/presses/classic-20t',
  units: 'mm',
};

async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return pages.join(' ').replace(/\s+/g, ' ');
}

describe.skipIf(!haveChromium)('the maker in Chromium', () => {
  let session: BrowserSession;
  let t: TestApp;
  let base: string;
  let page: Page;
  let mara: TestUser;
  let fixtureDir: string;
  const account = { handle: 'mara', password: 'mara-password-1' };
  const newFrame = cubeStl(24);

  const version = async (v: string) => (await t.app.inject({ url: `/api/designs/mara/press/versions/${v}` })).json();
  const shot = (name: string) => session.shot(name, { page });

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ t, base, page } = session);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { handle: account.handle, email: 'mara@example.org', password: account.password },
    });
    expect(r.statusCode).toBe(201);
    mara = await session.apiUser(account);
    await createDesign(t.app, mara, 'press', {
      title: 'Hydraulic press 20 t',
      summary: 'A workshop press for sheet metal',
      category: 'tools',
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
    });
    const first = await publish(
      t.app,
      mara,
      'mara',
      'press',
      firstManifest,
      [
        { path: 'frame/base.stl', bytes: cubeStl(20) },
        { path: 'drawings/plate.dxf', bytes: plateDxf() },
        { path: 'notes/cut-list.txt', bytes: 'Cut 4 x 1200 mm of 60x60x4 tube.\n' },
      ],
      { name: 'bom.csv', bytes: bomCsv },
    );
    expect(first.statusCode).toBe(201);
    fixtureDir = mkdtempSync(join(tmpdir(), 'andecha-maker-'));
    mkdirSync(join(fixtureDir, 'press', 'frame'), { recursive: true });
    writeFileSync(join(fixtureDir, 'press', 'frame', 'base.stl'), newFrame);
    await session.signInAs(account);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
  });

  it('makes 1.0.1 from 1.0.0: one file replaced, one removed, the rest, the manifest and the BOM carried', async () => {
    await page.goto(`${base}/mara/press`);
    await page.getByRole('heading', { name: 'Safety-critical machine' }).waitFor();
    await page.getByRole('link', { name: 'New version' }).click();
    await page.waitForURL(/\/publish\?design=mara%2Fpress&from=1\.0\.0/);
    await page.getByRole('heading', { name: 'New version of Hydraulic press 20 t' }).waitFor();
    // the form starts from 1.0.0: next patch proposed, changelog empty, files and BOM kept, safety notes filled in
    await expect.poll(() => page.locator('input[name=version]').inputValue()).toBe('1.0.1');
    expect(await page.getByLabel('Changelog').inputValue()).toBe('');
    const picked = page.locator('.picked-files');
    await picked.locator('.carried-file', { hasText: 'notes/cut-list.txt' }).waitFor();
    expect(await picked.locator('.carried-file').count()).toBe(3);
    expect(await page.locator('select[name=bom]').inputValue()).toBe('@carried');
    expect(await page.getByRole('textbox', { name: 'Safety 1' }).inputValue()).toBe(safety[0]);
    expect(await page.getByLabel('Safety critical').isChecked()).toBe(true);
    await page.getByText('Kept from 1.0.0 as they are').waitFor();
    await page.locator('.carried-facts').getByText('outer-dimensions').waitFor();

    await page.setInputFiles('#pick-folder', join(fixtureDir, 'press'));
    await picked.getByText('replaces 1.0.0’s').waitFor();
    await page.getByRole('button', { name: 'Remove notes/cut-list.txt' }).click();
    await page.getByLabel('Changelog').fill('Stiffer base frame; the cut list now lives in the BOM.');

    const diff = page.locator('.new-version-diff');
    await diff.locator('.change-changed', { hasText: 'frame/base.stl' }).waitFor();
    await diff.locator('.change-removed', { hasText: 'notes/cut-list.txt' }).waitFor();
    expect(await diff.locator('.change-added').count()).toBe(0);
    await diff.getByText('No manifest changes.').waitFor();
    await diff.getByText('Unchanged: bom.csv is kept as it is.').waitFor();
    await shot('maker-new-version');
    await session.expectAccessible(page, 'new version');

    await page.getByRole('button', { name: 'Publish mara/press@1.0.1' }).click();
    await page.getByRole('heading', { name: 'Published mara/press@1.0.1' }).waitFor({ timeout: 30_000 });
    expect(await page.getByText('Published with warnings').count()).toBe(0);

    // as a user: the page of 1.0.1 shows the safety notes and the files carried
    await page.goto(`${base}/mara/press/1.0.1`);
    const notes = page.locator('.safety-notes');
    await notes.getByText(safety[0]).waitFor();
    await notes.getByText(safety[1]).waitFor();
    await page.getByText('Stiffer base frame').waitFor();
    await page.locator('.version-bar').getByText('1.0.1').waitFor();
    await shot('maker-version-page');

    // via the API: every manifest field kept, the carried file the same bytes, the BOM the same lines
    const before = await version('1.0.0');
    const after = await version('1.0.1');
    const { version: _v1, changelog: _c1, ...keptBefore } = before.manifest;
    const { version: _v2, changelog: _c2, ...keptAfter } = after.manifest;
    expect(keptAfter).toEqual(keptBefore);
    expect(after.manifest.changelog).toBe('Stiffer base frame; the cut list now lives in the BOM.');
    const fileOf = (doc: any, path: string) => doc.files.find((f: any) => f.path === path);
    expect(after.files.map((f: any) => f.path).sort()).toEqual(['drawings/plate.dxf', 'frame/base.stl']);
    expect(fileOf(after, 'drawings/plate.dxf').sha256).toBe(fileOf(before, 'drawings/plate.dxf').sha256);
    expect(fileOf(after, 'frame/base.stl').sha256).toBe(sha(newFrame));
    expect(after.bom).toMatchObject({ filename: 'bom.csv', sha256: sha(bomCsv) });
    expect(after.warnings).toEqual([]);
    const bomOf = async (v: string) =>
      (await t.app.inject({ url: `/api/designs/mara/press/versions/${v}/bom` })).json();
    expect((await bomOf('1.0.1')).checksum).toBe((await bomOf('1.0.0')).checksum);

    // the build packet keeps its safety banner, and completeness did not fall
    const packet = await t.app.inject({ url: '/api/designs/mara/press/versions/1.0.1/packet.pdf?wait=1' });
    expect(packet.statusCode).toBe(200);
    const text = await pdfText(packet.rawPayload);
    expect(text).toContain('Safety-critical design');
    expect(text).toContain('Never reach under the ram');
    expect(after.completeness.score).toBeGreaterThanOrEqual(before.completeness.score);
  }, 180_000);

  it('asks before publishing a version without the safety notes, and the version carries warnings', async () => {
    await page.goto(`${base}/mara/press`);
    await page.getByRole('link', { name: 'New version' }).click();
    await page.getByRole('heading', { name: 'New version of Hydraulic press 20 t' }).waitFor();
    await expect.poll(() => page.locator('input[name=version]').inputValue()).toBe('1.0.2');
    await page.getByRole('button', { name: 'Remove Safety 2' }).click();
    await page.getByRole('button', { name: 'Remove Safety 1' }).click();
    await page.getByLabel('Changelog').fill('Notes moved to the manual.');
    await page.locator('.new-version-diff').getByText('This version drops what 1.0.1 gave builders:').waitFor();
    await page.getByRole('button', { name: 'Publish mara/press@1.0.2' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Publish without what 1.0.1 had?' });
    await dialog.getByText('The safety notes of 1.0.1 were removed').waitFor();
    await shot('maker-confirm-drop');
    // keeping them publishes nothing and puts the notes back in the form
    await dialog.getByRole('button', { name: 'Keep them and go back' }).click();
    expect(await page.getByRole('textbox', { name: 'Safety 2' }).inputValue()).toBe(safety[1]);
    expect((await t.app.inject({ url: '/api/designs/mara/press/versions/1.0.2' })).statusCode).toBe(404);
    await page.getByRole('button', { name: 'Remove Safety 2' }).click();
    await page.getByRole('button', { name: 'Remove Safety 1' }).click();
    await page.getByRole('button', { name: 'Publish mara/press@1.0.2' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Publish anyway' }).click();
    await page.getByRole('heading', { name: 'Published mara/press@1.0.2' }).waitFor({ timeout: 30_000 });
    await page.getByText('Published with warnings').waitFor();

    const doc = await version('1.0.2');
    expect(doc.warnings.map((w: any) => w.field)).toEqual(['/manifest/safety']);
    expect(doc.manifest.safetyCritical).toBe(true);
    expect(doc.manifest.safety).toBeUndefined();
    await page.goto(`${base}/mara/press/1.0.2`);
    await page.locator('.version-warnings').getByText('The safety notes of 1.0.1 were removed').waitFor();
    await shot('maker-version-warnings');
  }, 120_000);

  it('edits the design from its page, licences picked and checked', async () => {
    await page.goto(`${base}/mara/press`);
    await page.getByRole('button', { name: 'Edit design' }).click();
    const form = page.getByRole('form', { name: 'Edit design' });
    await form.getByLabel('Title').fill('Hydraulic press 20 t, two-hand control');
    await form.getByLabel('Tags').fill('press, sheet metal, #hydraulics');
    const hardware = form.getByLabel('Hardware licence');
    await hardware.fill('CERN-OHL-W');
    await form.getByText('is not an SPDX licence expression').waitFor();
    expect(await form.getByRole('button', { name: 'Save design' }).isDisabled()).toBe(true);
    await shot('maker-edit-invalid-licence');
    await hardware.fill('CERN-OHL-W-2.0');
    await form.locator('.field-hint', { hasText: 'CERN Open Hardware Licence v2, weakly reciprocal' }).waitFor();
    await form.getByLabel('Software licence').fill('GPL-3.0-or-later OR MIT');
    await shot('maker-edit-design');
    await session.expectAccessible(page, 'edit design');
    await form.getByRole('button', { name: 'Save design' }).click();
    await page.getByRole('heading', { name: 'Hydraulic press 20 t, two-hand control' }).waitFor();
    // 1.0.2 keeps the licences it was published with; the design (and the next version) has the new ones
    await page.getByText('Design saved. Published versions keep the licences they were published with').waitFor();
    await page.getByRole('list', { name: 'Licences' }).getByText('software: GPL-3.0-or-later OR MIT').waitFor();
    await shot('maker-design-saved');
    const design = (await t.app.inject({ url: '/api/designs/mara/press' })).json();
    expect(design.licenses).toEqual({
      hardware: 'CERN-OHL-W-2.0',
      documentation: 'CC-BY-SA-4.0',
      software: 'GPL-3.0-or-later OR MIT',
    });
    expect(design.tags).toEqual(['press', 'sheet metal', 'hydraulics']);
  }, 60_000);

  it("shows New version and Edit design to the design's leads only", async () => {
    await session.signOut();
    await page.goto(`${base}/mara/press`);
    await page.getByRole('heading', { name: 'Hydraulic press 20 t, two-hand control' }).waitFor();
    await page.getByRole('button', { name: 'Fork' }).waitFor();
    expect(await page.getByRole('link', { name: 'New version' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit design' }).count()).toBe(0);
  }, 30_000);
});
