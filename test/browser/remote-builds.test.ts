// A build reported on another instance, reviewed from the web at the design's home: the lead's queue marks the report
// with the instance it came from, the lead approves it in the browser, and the reporting instance's page of the report
// shows it delivered and approved by the lead. The home A runs in this process (federation on); B is a real process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, openFederatedBrowserSession, type BrowserSession } from './harness.js';
import { registerOn, startInstance, type Instance } from '../helpers/instances.js';
import { eventually } from '../helpers/eventually.js';
import { registerUser, type TestUser } from '../helpers/app.js';
import { jpegWithGps } from '../fixtures/photos.js';

describe.skipIf(!haveChromium)('a build report from another instance, reviewed in the browser (Chromium)', () => {
  let session: BrowserSession;
  let b: Instance;
  let ana: TestUser;
  let bob: string;
  let onB: string;

  beforeAll(async () => {
    [b, session] = await Promise.all([startInstance({ readyTimeoutMs: 150_000 }), openFederatedBrowserSession()]);
    const { t, base } = session;
    ana = await registerUser(t.app, 'ana');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/designs',
      headers: ana.auth,
      payload: { slug: 'brick-press', title: 'Brick press' },
    });
    expect(created.statusCode).toBe(201);
    const fd = new FormData();
    fd.append('manifest', JSON.stringify({ version: '1.0.0' }));
    fd.append('files', new Blob(['solid p\nendsolid\n']), 'frame.stl');
    const published = await fetch(`${base}/api/designs/ana/brick-press/versions`, {
      method: 'POST',
      headers: ana.auth,
      body: fd,
    });
    expect(published.status).toBe(201);

    bob = await registerOn(b, 'bob');
    const json = { authorization: `Bearer ${bob}`, 'content-type': 'application/json' };
    const workshop = await fetch(`${b.url}/api/workshops`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        slug: 'gijon',
        name: 'Taller Xixón',
        place: { city: 'Gijón', country: 'ES' },
        processes: [],
      }),
    });
    expect(workshop.status).toBe(201);
    const host = new URL(base).host;
    const follow = await fetch(`${b.url}/api/federation/follows`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ target: `ana~brick-press@${host}` }),
    });
    expect(follow.status).toBe(202);
    const ref = `ana@${host}/brick-press`;
    await eventually(
      async () => (await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0`)).ok || undefined,
      60_000,
      "B's mirror of brick-press",
    );
    const report = new FormData();
    report.append('report', JSON.stringify({ workshop: 'gijon', outcome: 'success', hours: 9 }));
    report.append('photos', new Blob([new Uint8Array(await jpegWithGps())], { type: 'image/jpeg' }), 'press.jpg');
    const filed = await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0/builds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob}` },
      body: report,
    });
    expect(filed.status).toBe(201);
    onB = ((await filed.json()) as { id: string }).id;
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await b?.dispose();
  });

  it('the lead sees it marked with its instance, approves it, and the reporting instance shows the approval', async () => {
    const { page, base } = session;
    await session.signInAs(ana);
    await page.goto(`${base}/reviews`);
    const item = page.locator('.review-item', { hasText: 'ana/brick-press@1.0.0' });
    await eventually(
      async () => {
        if (await item.count()) return true;
        await page.reload();
        return undefined;
      },
      60_000,
      "the report in A's queue",
    );
    await expect.poll(() => item.textContent()).toContain(`from ${b.host}`);
    await expect.poll(() => item.textContent()).toContain('by Taller Xixón');
    await expect.poll(() => item.textContent()).toContain(`@bob@${b.host}`);
    await session.shot('remote-build-queue');
    await item.locator('a.review-link').click();
    await expect.poll(() => page.getByText(`@bob@${b.host}`).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.badge-instance').textContent()).toBe(b.host);
    await page.getByLabel('Approve').check();
    await page.getByLabel('Comment').fill('Square and solid');
    await page.getByRole('button', { name: 'Send review' }).click();
    await expect.poll(() => page.getByText('Decision recorded: approve.').count(), { timeout: 15_000 }).toBe(1);
    // the design's page at its home: the field data names the workshop the approved build came from, and its instance
    await page.goto(`${base}/ana/brick-press`);
    const builtBy = page.locator('#field-data .workshop-list li');
    await expect.poll(() => builtBy.textContent(), { timeout: 15_000 }).toContain('Taller Xixón (Spain)');
    expect(await builtBy.locator('.badge-instance').textContent()).toBe(b.host);
    await session.shot('remote-build-field');

    // the reporting instance's page of the report: delivered, and approved by the lead at the home
    await page.goto(`${b.url}/reviews?build=${onB}`);
    await eventually(
      async () => {
        if ((await page.getByTestId('build-state').textContent()) === 'approved') return true;
        await page.reload();
        return undefined;
      },
      30_000,
      'the approval on B',
    );
    await expect.poll(() => page.getByTestId('build-delivery').textContent()).toContain('Delivered');
    const history = page.getByRole('listitem').filter({ hasText: 'Square and solid' });
    await expect.poll(() => history.textContent()).toContain(`approve by @ana@${new URL(base).host}`);
    // reviewed at the home, not here: no review form on B
    expect(await page.getByRole('button', { name: 'Send review' }).count()).toBe(0);
    await session.shot('remote-build-approved');
  }, 120_000);

  it('the line remarks of a review made at the home show on the reporting instance’s page', async () => {
    const { page, base, t } = session;
    const ref = `ana@${new URL(base).host}/brick-press`;
    const report = new FormData();
    report.append('report', JSON.stringify({ workshop: 'gijon', outcome: 'partial', hours: 14 }));
    const filed = await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0/builds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob}` },
      body: report,
    });
    expect(filed.status).toBe(201);
    const id = ((await filed.json()) as { id: string }).id;
    const atHome = await eventually(
      async () => {
        const queue = (await t.app.inject({ url: '/api/reviews/queue', headers: ana.auth })).json();
        return queue.items.find((i: { remote?: { url: string } }) => i.remote?.url.endsWith(id));
      },
      60_000,
      'the second report in A’s queue',
    );
    const reviewed = await t.app.inject({
      method: 'POST',
      url: `/api/builds/${atHome.id}/reviews`,
      headers: ana.auth,
      payload: {
        decision: 'request-changes',
        comment: 'Almost',
        remarks: [{ line: '1', message: 'Weld the frame again' }],
      },
    });
    expect(reviewed.statusCode).toBe(201);
    await page.goto(`${b.url}/reviews?build=${id}`);
    await eventually(
      async () => {
        if ((await page.getByTestId('build-state').textContent()) === 'changes-requested') return true;
        await page.reload();
        return undefined;
      },
      30_000,
      'the request for changes on B',
    );
    const remarks = page.locator('.review-remarks');
    await expect.poll(() => remarks.textContent()).toBe('line 1: Weld the frame again');
    await session.shot('remote-build-remarks');
  }, 90_000);
});
