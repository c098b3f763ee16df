// The web app in other languages, in Chromium: the language menu switches the interface (Catalan, then Arabic, right
// to left), the design page and its BOM show no English message left — checked against the catalogues, not by eye —
// and pass axe; a browser asking for German gets German; a signed-in person's choice is kept on their account and
// follows them to another browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDesign, publish, registerUser, type TestUser } from '../../helpers/app.js';
import { catalogueFile, flatten } from '../../helpers/catalogues.js';
import { haveChromium, openBrowserSession, type BrowserSession } from '../harness.js';

const catalogue = (tag: string) => catalogueFile(tag).web;

/**
 * English messages still on the page: each English message without arguments whose translation differs, of at least
 * two words (a single word such as "Total" may be data or a name), found in the page's visible text.
 */
async function englishLeft(page: Page, tag: string): Promise<string[]> {
  const english = flatten(catalogue('en'));
  const translated = flatten(catalogue(tag));
  const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  return [...english]
    .filter(([key, message]) => !/[{}<>]/.test(message) && translated.get(key) !== message)
    .map(([, message]) => message.trim())
    .filter((message) => message.split(/\s+/).length >= 2 && text.includes(message));
}

// data with no English words in it, so any English on the page is the interface's
const bomCsv = [
  'Level,Part Number,Description,Qty,Unit,Unit Price,Currency,Supplier',
  '1,ST-40,ST-40 40x40x3,6.2,m,4.10,EUR,Ferros Xixón',
  '2,BL-M12,M12x40 8.8,16,pcs,0.35,EUR,Ferros Xixón',
].join('\n');

describe.skipIf(!haveChromium)('languages in Chromium', () => {
  let session: BrowserSession;
  let page: Page;
  let base: string;
  let ana: TestUser;

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ page, base } = session);
    ana = await registerUser(session.t.app, 'ana');
    await createDesign(session.t.app, ana, 'ceb', { title: 'CEB-1' });
    const r = await publish(
      session.t.app,
      ana,
      'ana',
      'ceb',
      { version: '1.0.0' },
      [{ path: 'README.md', bytes: '# CEB-1\n\n40 × 40 × 3\n' }],
      { name: 'bom.csv', bytes: bomCsv },
    );
    expect(r.statusCode, r.body).toBe(201);
  }, 120_000);
  afterAll(() => session?.close());

  // the menu's name is in the language it is showing ("Language", "Llengua"…): found by its place in the header
  const languageMenu = () => page.locator('.site-header .language-menu select');

  async function designPageIn(tag: string) {
    await page.goto(`${base}/ana/ceb`);
    await page.locator('table').first().waitFor();
    await page
      .locator('.state-loading')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(tag);
  }

  it('switches to Catalan from the menu: the design page and its BOM in Catalan, no English message left, axe clean', async () => {
    await page.goto(`${base}/`);
    await languageMenu().selectOption('ca');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ca');
    const ca = flatten(catalogue('ca'));
    await page.getByRole('link', { name: ca.get('shell.explore')!, exact: true }).waitFor();
    expect(await englishLeft(page, 'ca'), 'explore').toEqual([]);
    await session.shot('lang-ca-explore', { page });

    await designPageIn('ca');
    expect(await englishLeft(page, 'ca'), 'design page').toEqual([]);
    await session.shot('lang-ca-design', { page });
    await session.expectAccessible(page, 'design page in Catalan');
    // the choice lasts: a new page load stays in Catalan
    await page.reload();
    await page.locator('table').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ca');
    // the server's problems speak the language chosen here, not the browser's (English): a wrong password
    await page.goto(`${base}/login`);
    await page.locator('input[type=password]').fill('not the password');
    await page.locator('form input').first().fill(ana.handle);
    await page.locator('form button[type=submit]').click();
    const problems = catalogueFile('ca').problems as Record<string, Record<string, string>>;
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(problems.titles.unauthenticated);
  });

  it('switches to Arabic: right to left, the design page and BOM in Arabic, no English message left, axe clean', async () => {
    await languageMenu().selectOption('ar');
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await designPageIn('ar');
    expect(await englishLeft(page, 'ar'), 'design page').toEqual([]);
    // right to left: the header's brand sits at the right edge, the page does not scroll sideways
    const brand = await page.locator('.brand').boundingBox();
    expect(brand!.x).toBeGreaterThan(600);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await session.shot('lang-ar-design', { page });
    await session.expectAccessible(page, 'design page in Arabic');
  });

  it('a browser asking for German gets German until someone chooses otherwise', async () => {
    const context = await session.browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    try {
      const german = await context.newPage();
      await german.goto(`${base}/ana/ceb`);
      await german.locator('table').first().waitFor();
      expect(await german.evaluate(() => document.documentElement.lang)).toBe('de');
      expect(await englishLeft(german, 'de')).toEqual([]);
      await session.shot('lang-de-design', { page: german });
    } finally {
      await context.close();
    }
  });

  it('a signed-in choice is kept on the account and follows the person to another browser', async () => {
    // back to English (this browser remembers Arabic from the step before), then sign in and choose Spanish
    await languageMenu().selectOption('en');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await session.signInAs({ handle: ana.handle, password: ana.password });
    await languageMenu().selectOption('es');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es');
    const me = await session.t.app.inject({ url: '/api/me', headers: ana.auth });
    expect(me.json().locale).toBe('es');

    // another browser, English by default: signing in brings the account's Spanish
    const context = await session.browser.newContext({ locale: 'en-GB' });
    try {
      const other = await context.newPage();
      await other.goto(`${base}/login`);
      expect(await other.evaluate(() => document.documentElement.lang)).toBe('en');
      await other.getByLabel('Handle or email').fill(ana.handle);
      await other.getByLabel('Password').fill(ana.password);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => other.evaluate(() => document.documentElement.lang), { timeout: 10_000 }).toBe('es');
      expect(await englishLeft(other, 'es')).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
