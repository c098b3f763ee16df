// Notifications in the browser: ana publishes a design; ben stars it on its page, then forks it and reports a build
// while ana's page stays open. Ana's bell counts them, she opens the list, follows the build report's notification
// to its version's field data, and marks everything read. (The bell's live count in a whole journey, with its spoken
// label and the panel's accessibility, is discussions.test.ts's.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';
import { createDesign, publish, registerUser, type TestUser } from '../helpers/app.js';

describe.skipIf(!haveChromium)('notifications (Chromium)', () => {
  let session: BrowserSession;
  let ana: TestUser;
  let ben: TestUser;

  beforeAll(async () => {
    session = await openBrowserSession({ port: 47731 });
    const { t } = session;
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
    await createDesign(t.app, ana, 'brick-press', { title: 'Brick press' });
    const p = await publish(t.app, ana, 'ana', 'brick-press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: '# Brick press\n\nPresses earth blocks.' },
    ]);
    expect(p.statusCode).toBe(201);
    const w = await t.app.inject({
      method: 'POST',
      url: '/api/workshops',
      headers: ben.auth,
      payload: { slug: 'taller', name: 'Taller Xixón', place: { city: 'Gijón', country: 'ES' }, processes: [] },
    });
    expect(w.statusCode).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('stars from the design page, and tells the maker live through the bell', async () => {
    const { page, base, t } = session;
    // ben stars the design on its page
    await session.signInAs(ben);
    await page.goto(`${base}/ana/brick-press`);
    const star = page.getByRole('button', { name: /^Star/ });
    await star.waitFor();
    await star.click();
    await expect.poll(() => page.getByRole('button', { name: /^Starred/ }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('.star-count').textContent()).toBe('1 star');
    await session.shot('notifications-starred');
    await session.signOut();

    // ana, signed in, on the explore page: her bell has nothing yet; the card counts ben's star
    await session.signInAs(ana);
    const bell = page.getByTestId('notification-bell');
    await bell.waitFor();
    expect(await page.getByTestId('notification-count').count()).toBe(0);
    await expect.poll(() => page.getByTestId('card-stars').first().textContent()).toBe('1 star');

    // ben forks it and reports a build, through the API, while ana's page stays as it is
    const fork = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/brick-press/forks',
      headers: ben.auth,
      payload: { version: '1.0.0', slug: 'brick-press-xl', title: 'Brick press XL' },
    });
    expect(fork.statusCode).toBe(201);
    const fd = new FormData();
    fd.append('report', JSON.stringify({ workshop: 'taller', outcome: 'success', hours: 14 }));
    const filed = await fetch(`${base}/api/designs/ana/brick-press/versions/1.0.0/builds`, {
      method: 'POST',
      headers: ben.auth,
      body: fd,
    });
    expect(filed.status).toBe(201);

    // the count arrives over the events stream (that no reload or navigation brings it, and the bell's spoken
    // count, are checked in discussions.test.ts's journey)
    await expect.poll(() => page.getByTestId('notification-count').textContent(), { timeout: 10_000 }).toBe('2');
    await session.shot('notifications-bell-live', { fullPage: false });

    await bell.click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await panel.waitFor();
    const items = panel.getByRole('listitem');
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.nth(0).getByRole('link').textContent()).toBe('@ben reported a build of Brick press');
    expect(await items.nth(1).getByRole('link').textContent()).toBe('@ben forked your design: Brick press XL');
    await session.shot('notifications-panel', { fullPage: false });

    // following one opens what it is about, and that one is read
    await items.nth(0).getByRole('link').click();
    await page.waitForURL(`${base}/ana/brick-press/1.0.0#field-data`);
    await expect
      .poll(() => page.locator('.design-header').getByRole('heading', { level: 1 }).textContent())
      .toBe('Brick press');
    await expect.poll(() => page.getByTestId('field-total').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('notification-count').textContent()).toBe('1');
    await session.shot('notifications-followed', { fullPage: false });

    await bell.click();
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => page.getByTestId('notification-count').count()).toBe(0);
    await expect.poll(() => panel.locator('.notification-unread').count()).toBe(0);
    await session.shot('notifications-all-read', { fullPage: false });
    const left = await t.app.inject({ url: '/api/notifications', headers: ana.auth });
    expect(left.json().unread).toBe(0);
  });
});
