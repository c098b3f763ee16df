// Signing in goes through the typed API client (openapi-fetch over the generated api-schema.ts): a wrong password
// shows the server's problem as the page's error, the right one signs the person in under their handle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../helpers/app.js';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';

describe.skipIf(!haveChromium)('sign in (Chromium)', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await openBrowserSession();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('shows the problem for a wrong password, then signs in with the right one', async () => {
    const { page, base, t } = session;
    const user = await registerUser(t.app, 'signer');
    const logins: { status: number; body: string }[] = [];
    page.on('response', async (r) => {
      if (r.url().endsWith('/api/auth/login')) logins.push({ status: r.status(), body: r.request().postData() ?? '' });
    });

    await page.goto(`${base}/login`);
    await page.getByLabel('Handle or email').fill(user.handle);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('The login or the password is wrong');
    expect(page.url()).toBe(`${base}/login`);

    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.getByText(`@${user.handle}`).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(logins.map((l) => l.status)).toEqual([401, 200]);
    expect(JSON.parse(logins[1].body)).toEqual({ login: user.handle, password: user.password });
  });

  it('a session ended elsewhere (signed out in another tab) leaves the app working signed out, and signing in works', async () => {
    const { page, base, t } = session;
    const user = await registerUser(t.app, 'twotabs');
    await page.goto(`${base}/login`);
    await page.getByLabel('Handle or email').fill(user.handle);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);
    // the other tab signs out: the server ends the session this page still holds
    const token = await page.evaluate(() => localStorage.getItem('andecha.token'));
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(204);

    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Machines made in common' }).waitFor();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('andecha.token'))).toBeNull();
    await expect.poll(() => page.getByText('0 designs').count()).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Handle or email').fill(user.handle);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await session.shot('signed-in-after-ended-session', { page });
  });
});
