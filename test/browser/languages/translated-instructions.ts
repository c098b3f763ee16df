// Translated instructions on the design page, in Chromium (issue 30): a design whose 1.0.0 carries Spanish, Catalan
// and Arabic translations of its README and whose 1.1.0 changes the README. Switched to Catalan from the language
// menu, the page reads the Catalan text under a stale banner in Catalan, shows what changed side by side, and the
// switcher goes back to the English original; in Spanish the Spanish text; in Arabic the Arabic one, right to left;
// 1.0.0, whose README they translate, has no banner. Axe clean; screenshots at desktop and phone widths.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { IntlMessageFormat } from 'intl-messageformat';
import { createDesign, publish, registerUser, type TestUser } from '../../helpers/app.js';
import { catalogueFile, flatten } from '../../helpers/catalogues.js';
import { artifacts, haveChromium, openBrowserSession, type BrowserSession } from '../harness.js';

/** A web message of a locale, formatted as the app formats it. */
function message(tag: string, key: string, values: Record<string, unknown> = {}): string {
  const found = flatten(catalogueFile(tag).web).get(key);
  if (!found) throw new Error(`${tag} has no message ${key}`);
  return String(new IntlMessageFormat(found, tag, undefined, { ignoreTag: true }).format(values));
}
const languageIn = (reader: string, tag: string) => new Intl.DisplayNames([reader], { type: 'language' }).of(tag)!;

const tail =
  '\n\nKeep the press dry.\n\nStore it indoors.\n\nOil the hinges every month.\n\n[Frame drawing](docs/frame.txt)\n';
const readme1 = `# Brick press\n\nBolt the frame.\n\nGrease the ram.${tail}`;
const readme2 = `# Brick press\n\nBolt the frame with M12 bolts.\n\nGrease the ram.\n\nCheck the pin.${tail}`;
const es =
  '# Prensa de bloques\n\nAtornille el bastidor.\n\nEngrase el pistón.\n\n[Plano del bastidor](docs/frame.txt)\n';
const ca =
  '# Premsa de blocs\n\nCaragoleu el bastidor.\n\nGreixeu el pistó.\n\n[Plànol del bastidor](docs/frame.txt)\n';
const ar = '# مكبس الطوب\n\nثبّت الإطار بالبراغي.\n\nشحّم المكبس.\n\n[رسم الإطار](docs/frame.txt)\n';

describe.skipIf(!haveChromium)('translated instructions in Chromium', () => {
  let session: BrowserSession;
  let page: Page;
  let base: string;
  let ana: TestUser;

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ page, base } = session);
    ana = await registerUser(session.t.app, 'ana');
    await createDesign(session.t.app, ana, 'press', { title: 'Earth block press' });
    const files = (readme: string) => [
      { path: 'README.md', bytes: readme },
      { path: 'README.es.md', bytes: es },
      { path: 'README.ca.md', bytes: ca },
      { path: 'README.ar.md', bytes: ar },
      { path: 'docs/frame.txt', bytes: 'frame\n' },
    ];
    for (const [version, readme] of [
      ['1.0.0', readme1],
      ['1.1.0', readme2], // the translations uploaded again unchanged: carried, and stale
    ]) {
      const r = await publish(session.t.app, ana, 'ana', 'press', { version }, files(readme));
      expect(r.statusCode, r.body).toBe(201);
    }
  }, 120_000);
  afterAll(() => session?.close());

  const languageMenu = () => page.locator('.site-header .language-menu select');
  const instructions = () => page.locator('.readme .markdown');
  const banner = () => page.locator('.readme .translation-stale');

  async function chooseLanguage(tag: string) {
    await languageMenu().selectOption(tag);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(tag);
  }

  /** The design page (a version of it) once its instructions are on screen in `lang`. */
  async function instructionsIn(lang: string, version = '') {
    await page.goto(`${base}/ana/press${version ? `/${version}` : ''}`);
    await page.locator(`.readme .markdown[lang="${lang}"]`).waitFor();
  }

  it('in Catalan: the Catalan instructions under a stale banner in Catalan, what changed side by side, axe clean', async () => {
    await page.goto(`${base}/`);
    await chooseLanguage('ca');
    await instructionsIn('ca');
    expect(await instructions().innerText()).toContain('Caragoleu el bastidor.');
    // the translation's links point where the README's do
    expect(await instructions().getByRole('link').getAttribute('href')).toBe(
      '/api/designs/ana/press/versions/1.1.0/files/docs/frame.txt',
    );
    expect(await banner().locator('p').first().innerText()).toBe(
      message('ca', 'translations.stale', { language: languageIn('ca', 'en'), changedIn: '1.1.0', follows: '1.0.0' }),
    );
    expect(await page.getByLabel(message('ca', 'translations.readIn')).inputValue()).toBe('ca');

    await page.getByRole('button', { name: message('ca', 'translations.showChanges') }).click();
    const table = page.locator('.source-changes table');
    await table.waitFor();
    const changed = table.locator('tr.source-change-changed');
    expect(await changed.count()).toBe(1);
    const [before, after] = await changed.locator('td').allInnerTexts();
    // the change is told by a sign and a hidden word, not by colour alone
    expect(before).toContain('Bolt the frame.');
    expect(after).toContain('Bolt the frame with M12 bolts.');
    expect(await changed.locator('.visually-hidden').first().textContent()).toContain(
      message('ca', 'translations.changed'),
    );
    expect(await table.locator('tr.source-change-added', { hasText: 'Check the pin.' }).count()).toBe(1);
    // the unchanged end folds to a count, leaving two lines of context after the last change
    expect(await table.locator('tr.source-change-folded').innerText()).toBe(
      message('ca', 'translations.unchangedLines', { count: 5 }),
    );
    await session.shot('translations-ca-stale', { page });
    await session.expectAccessible(page, 'Catalan translation with what changed');

    // on a phone: nothing wider than the screen
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.locator('.readme').screenshot({ path: join(artifacts, 'web-translations-ca-phone.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('the switcher goes to the English original: English text, no banner', async () => {
    await page.getByLabel(message('ca', 'translations.readIn')).selectOption('en');
    await page.locator('.readme .markdown[lang="en"]').waitFor();
    expect(await instructions().innerText()).toContain('Bolt the frame with M12 bolts.');
    expect(await banner().count()).toBe(0);
    await session.shot('translations-ca-original', { page });
  });

  it('in Spanish: the Spanish text; 1.0.0, whose README it translates, has no banner', async () => {
    await chooseLanguage('es');
    await instructionsIn('es');
    expect(await instructions().innerText()).toContain('Atornille el bastidor.');
    expect(await banner().innerText()).toContain(message('es', 'translations.showChanges'));

    await instructionsIn('es', '1.0.0');
    expect(await instructions().innerText()).toContain('Atornille el bastidor.');
    expect(await banner().count()).toBe(0);
    await session.shot('translations-es-1.0.0', { page });
    await session.expectAccessible(page, 'Spanish translation, not stale');
  });

  it('in Arabic: the Arabic text right to left, the banner and what changed too, axe clean', async () => {
    await chooseLanguage('ar');
    await instructionsIn('ar');
    expect(await instructions().getAttribute('dir')).toBe('rtl');
    expect(await instructions().innerText()).toContain('شحّم المكبس.');
    await page.getByRole('button', { name: message('ar', 'translations.showChanges') }).click();
    await page.locator('.source-changes table').waitFor();
    // the original's lines keep their own direction on a right-to-left page
    expect(await page.locator('.source-change-changed td').first().getAttribute('dir')).toBe('ltr');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await session.shot('translations-ar-stale', { page });
    await session.expectAccessible(page, 'Arabic translation with what changed');
    // the banner's way back to the original
    await page
      .getByRole('button', { name: message('ar', 'translations.readOriginal', { language: languageIn('ar', 'en') }) })
      .click();
    await page.locator('.readme .markdown[lang="en"]').waitFor();
    expect(await instructions().getAttribute('dir')).toBe('ltr');
  });
});
