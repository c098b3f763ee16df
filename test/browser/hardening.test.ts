// Hardening a user sees, in Chromium: Sign out ends the session on the server (the token the page held answers 401
// afterwards), a README with a malformed link is still shown, and the owner of a hidden design follows its pipeline
// live (the page opens its event stream with a ticket, since EventSource sends no Authorization header), also when
// they sign in with the page already open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { createDesign, publish } from '../helpers/app.js';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';

describe.skipIf(!haveChromium)('hardening in Chromium', () => {
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

  it('shows a README whose one link is malformed, the other links working', async () => {
    const { page, t, base } = session;
    const ana = await session.apiUser(await registerThroughApi(t));
    await createDesign(t.app, ana, 'press');
    const readme = '# Press manual\n\nSee [the broken one](%E0%A4%A) and [the frame](cad/frame%20v2.stl).\n';
    const r = await publish(t.app, ana, ana.handle, 'press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: readme },
      { path: 'cad/frame v2.stl', bytes: 'solid f\nendsolid f\n' },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    await page.goto(`${base}/${ana.handle}/press`);
    await page.getByRole('heading', { name: 'Press manual' }).waitFor();
    expect(await page.getByRole('link', { name: 'the broken one' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'the frame' }).getAttribute('href')).toBe(
      `/api/designs/${ana.handle}/press/versions/1.0.0/files/cad/frame%20v2.stl`,
    );
  }, 60_000);
  it('opens the event stream of a hidden design as its owner, with a ticket; a visitor’s stream has none', async () => {
    const { page, t, base, browser } = session;
    const owner = { handle: 'hider', password: 'a long enough passphrase' };
    await session.registerAs(owner);
    const api = await session.apiUser(owner);
    await createDesign(t.app, api, 'quiet-press');
    const r = await publish(t.app, api, owner.handle, 'quiet-press', { version: '1.0.0' }, [
      { path: 'frame.stl', bytes: 'solid f\nendsolid f\n' },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    await t.deps.db.raw(`update designs set hidden = true where slug = 'quiet-press'`);
    // no worker runs here: the version stays queued, so the page follows its events (the stream naming the design:
    // another page's stream may still be reconnecting)
    const stream = page.waitForResponse((res) => res.url().includes('/api/events?') && res.url().includes('design='));
    await page.goto(`${base}/${owner.handle}/quiet-press`);
    const opened = await stream;
    expect(opened.status()).toBe(200);
    const url = new URL(opened.url());
    expect(url.searchParams.get('design')).toBe(`${owner.handle}/quiet-press`);
    expect(url.searchParams.get('ticket')).toMatch(/^evt_s[0-9a-f]{16}\./);

    // a visitor (no session) sees the public design's stream without a ticket, and the hidden one not at all
    await createDesign(t.app, api, 'open-press');
    await publish(t.app, api, owner.handle, 'open-press', { version: '1.0.0' }, [
      { path: 'frame.stl', bytes: 'solid f\nendsolid f\n' },
    ]);
    const visitor = await (await browser.newContext()).newPage();
    const visitorStream = visitor.waitForResponse(
      (res) => res.url().includes('/api/events?') && res.url().includes('design='),
    );
    await visitor.goto(`${base}/${owner.handle}/open-press`);
    const visitorUrl = new URL((await visitorStream).url());
    expect(visitorUrl.searchParams.get('ticket')).toBeNull();
    await visitor.context().close();
  }, 60_000);

  it('reopens the explore page’s shared stream as the person who signs in (in another tab), with a ticket', async () => {
    const { base, browser } = session;
    // the designs of the test above stay queued (no worker): their cards follow the page's one shared stream
    const context = await browser.newContext();
    const explore = await context.newPage();
    const isShared = (res: { url(): string }) => new URL(res.url()).pathname === '/api/events';
    const anonymous = explore.waitForResponse(isShared);
    await explore.goto(`${base}/`);
    expect(new URL((await anonymous).url()).searchParams.get('ticket')).toBeNull();

    const signedIn = explore.waitForResponse((res) => isShared(res) && new URL(res.url()).searchParams.has('ticket'));
    const other = await context.newPage();
    await other.goto(`${base}/login`);
    await other.getByLabel('Handle or email').fill('hider');
    await other.getByLabel('Password').fill('a long enough passphrase');
    await other.getByRole('button', { name: 'Sign in' }).click();
    const reopened = await signedIn;
    expect(reopened.status()).toBe(200);
    expect(new URL(reopened.url()).searchParams.get('ticket')).toMatch(/^evt_s[0-9a-f]{16}\./);
    await context.close();
  }, 60_000);
});

async function registerThroughApi(t: TestApp) {
  const account = { handle: 'readme-owner', password: 'a long enough passphrase' };
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { ...account, email: 'readme-owner@example.org' },
  });
  if (r.statusCode !== 201) throw new Error(`register: ${r.statusCode} ${r.body}`);
  return account;
}
