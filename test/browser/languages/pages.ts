// The explore, sign-in, register, tokens, workshops, publish, reviews and feed pages (signed out) in Catalan and
// Arabic: <html lang dir> follow the language, the headings are the catalogue's, no English message of these pages'
// namespaces is left on them (checked against locales/en.json, not by eye), the sign-in prompt is the catalogue's one
// sentence, and they pass axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueFile, flatten } from '../../helpers/catalogues.js';
import { createDesign, publish, registerUser } from '../../helpers/app.js';
import { haveChromium, openBrowserSession, type BrowserSession } from '../harness.js';

const web = (tag: string) => catalogueFile(tag).web;

const pages = [
  { path: '/', namespace: 'explorePage', heading: 'explorePage.heading' },
  { path: '/login', namespace: 'loginPage', heading: 'loginPage.title' },
  { path: '/register', namespace: 'registerPage', heading: 'registerPage.title' },
  {
    path: '/settings/tokens',
    namespace: 'tokensPage',
    heading: 'tokensPage.title',
    sentence: 'tokensPage.signInPrompt',
  },
  { path: '/workshops', namespace: 'workshopsPage', heading: 'workshopsPage.title' },
  { path: '/publish', namespace: 'publishPage', heading: 'publishPage.title', sentence: 'publishPage.signInPrompt' },
  { path: '/reviews', namespace: 'reviewsPage', heading: 'reviewsPage.title', sentence: 'reviewsPage.signInPrompt' },
  { path: '/feed', namespace: 'feedPage', heading: 'feedPage.title', sentence: 'feedPage.signInPrompt' },
];

/** A message's text as read on the page: rich-text tags (`<signIn>…</signIn>`) become their words. */
const plain = (message: string) => message.replace(/<\/?[a-zA-Z]+>/g, '');

describe.skipIf(!haveChromium)('pages in Catalan and Arabic (Chromium)', () => {
  let session: BrowserSession;
  const english = flatten(web('en'));
  beforeAll(async () => {
    session = await openBrowserSession();
  });
  afterAll(async () => {
    await session?.close();
  });

  for (const tag of ['ca', 'ar']) {
    it(`${tag}: lang and dir, the catalogue's headings, no English left`, async () => {
      const { base, context } = session;
      const translated = flatten(web(tag));
      const page = await context.newPage();
      await page.addInitScript((locale) => window.localStorage.setItem('andecha.locale', locale), tag);
      for (const { path, namespace, heading, sentence } of pages) {
        await page.goto(`${base}${path}`);
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(translated.get(heading));
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(tag);
        expect(await page.evaluate(() => document.documentElement.dir)).toBe(tag === 'ar' ? 'rtl' : 'ltr');
        const text = await page.locator('main').innerText();
        // whole English sentences of this page's own messages (no arguments), where the translation differs
        const left = [...english]
          .filter(([key, message]) => key.startsWith(`${namespace}.`) && !message.includes('{'))
          .filter(
            ([key, message]) => message.length > 8 && translated.get(key) !== message && text.includes(plain(message)),
          )
          .map(([key]) => key);
        // the signed-out prompt is the catalogue's one sentence, its links inside it
        if (sentence) expect(text).toContain(plain(translated.get(sentence)!));
        expect(left, `${tag} ${path}: English left`).toEqual([]);
        await session.expectAccessible(page, `${tag}-${namespace}`);
        await session.shot(`${tag}-${namespace}`, { page });
      }
      await page.close();
    });
  }

  it('ca: a known design category in Catalan on the explore facets and cards, a free-text one as written', async () => {
    const { base, context, t } = session;
    const maker = await registerUser(t.app, 'categories-maker');
    for (const [slug, category] of [
      ['grain-mill', 'food-processing'],
      ['wind-pump', 'wind pumps'],
    ]) {
      await createDesign(t.app, maker, slug, { title: slug, category });
      const r = await publish(t.app, maker, maker.handle, slug, { version: '1.0.0' }, []);
      expect(r.statusCode, r.body).toBe(201);
    }
    const catalan = flatten(web('ca')).get('categories.foodProcessing')!;
    expect(catalan).not.toBe(english.get('categories.foodProcessing'));
    const page = await context.newPage();
    await page.addInitScript(() => window.localStorage.setItem('andecha.locale', 'ca'));
    await page.goto(`${base}/`);
    const facet = page
      .locator('fieldset.facet')
      .filter({ hasText: flatten(web('ca')).get('facetFilters.title.category')! });
    await expect.poll(() => facet.innerText(), { timeout: 15_000 }).toContain(catalan);
    expect(await facet.innerText()).toContain('wind pumps');
    expect(await facet.innerText()).not.toContain('food-processing');
    const chips = await page.locator('.chip').allInnerTexts();
    expect(chips).toContain(catalan);
    expect(chips).toContain('wind pumps');
    expect(chips).not.toContain('food-processing');
    await page.close();
  });
});
