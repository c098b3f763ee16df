// A build reported on another instance, reviewed from the web at the design's home: the lead's queue marks the report
// with the instance it came from, the lead approves it in the browser, and the reporting instance's page of the report
// shows it delivered and approved by the lead. The home A runs in this process (federation on); B is a real process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';
import { registerOn, startInstance, type Instance } from '../helpers/instances.js';
import { freePort } from '../helpers/free-port.js';
import { registerUser, type TestUser } from '../helpers/app.js';
import { jpegWithGps } from '../fixtures/photos.js';

async function poll<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!haveChromium)('a build report from another instance, reviewed in the browser (Chromium)', () => {
  let session: BrowserSession;
  let b: Instance;
  let ana: TestUser;
  let bob: string;
  let onB: string;

  beforeAll(async () => {
    const port = await freePort();
    [b, session] = await Promise.all([
      startInstance({ readyTimeoutMs: 150_000 }),
      openBrowserSession({
        port,
        federation: true,
        federationAllowPrivate: true,
        publicUrl: `http://127.0.0.1:${port}`,
      }),
    ]);
    session.t.deps.federation!.start();
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
    await poll(
      async () => (await fetch(`${b.url}/api/designs/${ref}/versions/1.0.0`)).ok || undefined,
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
    await poll(async () => {
      if (await item.count()) return true;
      await page.reload();
      return undefined;
    }, "the report in A's queue");
    await expect.poll(() => item.textContent()).toContain(`from ${b.host}`);
    await expect.poll(() => item.textContent()).toContain('by Taller Xixón');
    await expect.poll(() => item.textContent()).toContain(`@bob@${b.host}`);
    await session.shot('remote-build-queue');
    await item.getByRole('link').click();
    await expect.poll(() => page.getByText(`@bob@${b.host}`).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.badge-instance').textContent()).toBe(b.host);
    await page.getByLabel('Approve').check();
    await page.getByLabel('Comment').fill('Square and solid');
    await page.getByRole('button', { name: 'Send review' }).click();
    await expect.poll(() => page.getByText('Decision recorded: approve.').count(), { timeout: 15_000 }).toBe(1);

    // the reporting instance's page of the report: delivered, and approved by the lead at the home
    await page.goto(`${b.url}/reviews?build=${onB}`);
    await poll(
      async () => {
        if ((await page.getByTestId('build-state').textContent()) === 'approved') return true;
        await page.reload();
        return undefined;
      },
      'the approval on B',
      30_000,
    );
    await expect.poll(() => page.getByTestId('build-delivery').textContent()).toContain('Delivered');
    const history = page.getByRole('listitem').filter({ hasText: 'Square and solid' });
    await expect.poll(() => history.textContent()).toContain(`approve by @ana@${new URL(base).host}`);
    // reviewed at the home, not here: no review form on B
    expect(await page.getByRole('button', { name: 'Send review' }).count()).toBe(0);
    await session.shot('remote-build-approved');
  }, 120_000);
});
