// A person's profile from their side: register, fill in the profile and an avatar in settings, then from their
// design's page follow their handle to the profile, which shows the name, the bio, the avatar and the design.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createDesign, publish } from '../helpers/app.js';
import { jpegWithGps } from '../fixtures/photos.js';
import { haveChromium, imageLoaded, openBrowserSession, type BrowserSession } from './harness.js';

describe.skipIf(!haveChromium)('profile (Chromium)', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await openBrowserSession({ port: 47531 });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('edits the profile with an avatar, and a click on the handle on a design page shows it', async () => {
    const { page, base, t } = session;
    const ana = { handle: 'anaprofile', password: 'a long enough password 1' };
    await session.registerAs(ana);
    const api = await session.apiUser(ana);
    await createDesign(t.app, api, 'brick-press', { title: 'Brick press', summary: 'Presses earth blocks' });
    expect(
      (
        await publish(t.app, api, ana.handle, 'brick-press', { version: '1.0.0' }, [
          { path: 'README.md', bytes: '# Brick press' },
        ])
      ).statusCode,
    ).toBe(201);

    // settings, from the header
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(`${base}/settings/profile`);
    await page.getByLabel('Name').fill('Ana Fernández');
    await page.getByLabel('Bio').fill('I build **earth block presses** for village co-ops.');
    await page.getByLabel('Place').fill('43.54, -5.66');
    await page.getByRole('button', { name: 'Add a link' }).click();
    await page.getByLabel('Label of link 1').fill('Workshop blog');
    await page.getByLabel('Address of link 1').fill('https://ana.example/blog');
    await page.getByRole('button', { name: 'Save profile' }).click();
    // coordinates are refused with the server's words, and nothing is saved
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('not coordinates');
    await page.getByLabel('Place').fill('Gijón, Asturias');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved.').waitFor();

    await page
      .getByLabel('Choose an image')
      .setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps() });
    const current = page.getByRole('img', { name: 'Your avatar' });
    await current.waitFor();
    await expect.poll(() => imageLoaded(current)).toBe(true);
    await session.expectAccessible(page, 'profile settings');
    await session.shot('profile-settings');

    // the design's page names its owner: the handle leads to the profile
    await page.goto(`${base}/${ana.handle}/brick-press`);
    await page.getByRole('heading', { name: 'Brick press' }).waitFor();
    await page.locator('.breadcrumb').getByRole('link', { name: ana.handle }).click();
    await page.waitForURL(`${base}/${ana.handle}`);
    await page.getByRole('heading', { level: 1, name: 'Ana Fernández' }).waitFor();
    expect(await page.getByText(`@${ana.handle}`, { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.locator('.profile-bio strong').textContent()).toBe('earth block presses');
    expect(await page.getByText('Gijón, Asturias').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Workshop blog' }).getAttribute('href')).toBe(
      'https://ana.example/blog',
    );
    const avatar = page.getByRole('img', { name: `Avatar of @${ana.handle}` });
    await expect.poll(() => imageLoaded(avatar)).toBe(true);
    // what the browser got is the re-encoded image: no EXIF, so no GPS
    const src = (await avatar.getAttribute('src'))!;
    const bytes = Buffer.from(await (await fetch(`${base}${src}`)).arrayBuffer());
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    const card = page.locator('.design-card', { hasText: 'Brick press' });
    await card.waitFor();
    expect(await page.getByRole('heading', { name: 'Designs' }).count()).toBe(1);
    await session.expectAccessible(page, 'profile');
    await session.shot('profile');
    // nobody reports themselves
    expect(await page.getByRole('button', { name: 'Report' }).count()).toBe(0);

    // another person sees the same profile, without the edit button
    await session.signOut();
    await page.goto(`${base}/${ana.handle}`);
    await page.getByRole('heading', { level: 1, name: 'Ana Fernández' }).waitFor();
    expect(await page.getByRole('link', { name: 'Edit profile' }).count()).toBe(0);
    // reporting takes an account
    expect(await page.getByRole('button', { name: 'Report' }).count()).toBe(0);
    await page.goto(`${base}/nobody-at-all`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
  }, 120_000);

  it('someone else reports the profile to the admins, and it is in their queue', async () => {
    const { page, base, t } = session;
    // anaprofile registered first: she is the instance's admin
    const admin = await session.apiUser({ handle: 'anaprofile', password: 'a long enough password 1' });
    const bo = { handle: 'boreporter', password: 'a long enough password 2' };
    await session.registerAs(bo);
    await page.goto(`${base}/anaprofile`);
    await page.getByRole('heading', { level: 1, name: 'Ana Fernández' }).waitFor();
    await page.getByRole('button', { name: 'Report' }).click();
    const form = page.getByRole('form', { name: 'Report @anaprofile to the admins' });
    await form.waitFor();
    // nothing to send without a reason
    expect(await form.getByRole('button', { name: 'Send report' }).isDisabled()).toBe(true);
    await form.getByLabel('Why are you reporting this?').fill('The bio links to a scam shop.');
    await session.expectAccessible(page, 'profile report form');
    await session.shot('profile-report-form');
    await form.getByRole('button', { name: 'Send report' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Report sent' }).textContent())
      .toBe('Report sent: the admins will look at it.');
    expect(await page.getByRole('form', { name: 'Report @anaprofile to the admins' }).count()).toBe(0);
    await session.shot('profile-reported');

    const queue = await t.app.inject({ url: '/api/admin/reports', headers: admin.auth });
    expect(queue.statusCode, queue.body).toBe(200);
    const filed = queue.json().items.filter((r: { subject: string }) => r.subject === 'profile');
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ subjectId: 'anaprofile', reason: 'The bio links to a scam shop.' });
  }, 120_000);
});
