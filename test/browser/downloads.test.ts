// Download counts and the digest choice from the person's side: a visitor downloads a version's zip and one of its
// files from the design page, and the page then shows the count with its breakdown; its owner chooses a weekly
// email digest in settings and finds it kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesign, publish } from '../helpers/app.js';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';

describe.skipIf(!haveChromium)('download counts and the digest choice (Chromium)', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    // an SMTP server is named (nothing listens there: no run happens within this test) so the digest is on
    session = await openBrowserSession({ port: 47333, smtpUrl: 'smtp://127.0.0.1:47334', digest: 'daily' });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('counts what a visitor downloads and shows it on the design page', async () => {
    const { page, base, t } = session;
    const ana = { handle: 'anadownloads', password: 'a long enough password 1' };
    await session.registerAs(ana);
    const api = await session.apiUser(ana);
    await createDesign(t.app, api, 'brick-press', { title: 'Brick press' });
    const published = await publish(t.app, api, ana.handle, 'brick-press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: '# Brick press' },
      { path: 'docs/cutting-list.txt', bytes: 'plate 200x200\n' },
    ]);
    expect(published.statusCode).toBe(201);

    // ana chooses a weekly digest in settings, and it is kept
    await page.goto(`${base}/settings/profile`);
    await page.getByRole('heading', { name: 'Email digest' }).waitFor();
    await page.getByLabel('How often').selectOption('weekly');
    await page.locator('#digest').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Email digest' }).waitFor();
    await expect.poll(() => page.getByLabel('How often').inputValue()).toBe('weekly');
    await session.shot('digest-settings');

    // a visitor, signed out
    await session.signOut();
    await page.goto(`${base}/${ana.handle}/brick-press`);
    await page.getByRole('heading', { name: 'Brick press' }).waitFor();
    expect(await page.getByTestId('download-count').textContent()).toMatch(/^0 downloads/);

    const zip = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download all (.zip)' }).click();
    expect((await zip).suggestedFilename()).toMatch(/\.zip$/);
    const file = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download docs/cutting-list.txt' }).click();
    await file;

    // a fresh look (the anonymous version document may be cached for a while: a signed-in reader's never is)
    await session.signInAs(ana);
    await page.goto(`${base}/${ana.handle}/brick-press`);
    const count = page.getByTestId('download-count');
    await expect.poll(() => count.textContent()).toMatch(/^2 downloads/);
    expect(await count.getAttribute('title')).toBe('1 file, 1 archive, 0 build packets');
    await session.expectAccessible(page, 'design page with downloads');
    await session.shot('design-downloads', { fullPage: false });
  }, 120_000);
});
