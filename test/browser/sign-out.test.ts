// Signing out in Chromium: the Sign out button ends the session on the server, not only in the browser — the token
// the page held answers 401 afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';

describe.skipIf(!haveChromium)('signing out in Chromium', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await openBrowserSession({ runWorker: false });
  }, 120_000);
  afterAll(async () => {
    await session?.close();
  });

  it('revokes the session: after Sign out the old token answers 401', async () => {
    const { page, t } = session;
    await session.registerAs({ handle: 'leaver', password: 'a long enough passphrase' });
    const token = await page.evaluate(() => localStorage.getItem('andecha.token'));
    expect(token).toMatch(/^ands_/);
    expect((await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      200,
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('andecha.token'))).toBeNull();
    expect((await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      401,
    );
  }, 60_000);
});
