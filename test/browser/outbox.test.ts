// A workshop's outbox in the browser: the workshop's instance B (in this process, federation on) mirrors a design of
// A (a real process); A goes away and a build report filed on B waits. B's admin opens Outbox from the header and
// sees the report retrying towards A with the network's error; a member sees no link and is told the page is the
// admins'. A comes back, the admin presses "Retry all now", and the outbox empties: the report reached A.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, openFederatedBrowserSession, type BrowserSession } from './harness.js';
import { apiOn, publishVersionOn, registerOn, startInstance, type Instance } from '../helpers/instances.js';
import { eventually } from '../helpers/eventually.js';
import { registerUser, type TestUser } from '../helpers/app.js';

const shots = '/tmp/shots-outbox';

describe.skipIf(!haveChromium)('a workshop’s outbox page (Chromium)', () => {
  let session: BrowserSession;
  let a: Instance;
  let bob: TestUser;
  let reportId: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [a, session] = await Promise.all([
      startInstance({ readyTimeoutMs: 150_000 }),
      openFederatedBrowserSession({ federationRetryMaxDelayMs: 1500 }),
    ]);
    const { t, base } = session;
    const ana = await registerOn(a, 'ana');
    expect((await apiOn(a, ana, 'POST', '/api/designs', { slug: 'brick-press', title: 'Brick press' })).status).toBe(
      201,
    );
    await publishVersionOn(a, ana, 'ana/brick-press', { version: '1.0.0' }, [
      { path: 'frame.stl', bytes: 'solid p\nendsolid\n' },
    ]);
    // the first account of B is its admin
    bob = await registerUser(t.app, 'bob');
    const json = { ...bob.auth, 'content-type': 'application/json' };
    const workshop = await fetch(`${base}/api/workshops`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ slug: 'gijon', name: 'Taller Xixón', place: { city: 'Gijón', country: 'ES' } }),
    });
    expect(workshop.status).toBe(201);
    const follow = await fetch(`${base}/api/federation/follows`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ target: `ana~brick-press@${a.host}` }),
    });
    expect(follow.status).toBe(202);
    const ref = `ana@${a.host}/brick-press`;
    await eventually(
      async () =>
        (await t.app.inject({ url: `/api/designs/${ref}` })).json().mirror?.versions?.[0]?.state === 'complete',
      90_000,
      "B's copy of 1.0.0",
    );
    await a.stop();
    const fd = new FormData();
    fd.append('report', JSON.stringify({ workshop: 'gijon', outcome: 'success', hours: 9 }));
    const filed = await fetch(`${base}/api/designs/${ref}/versions/1.0.0/builds`, {
      method: 'POST',
      headers: bob.auth,
      body: fd,
    });
    expect(filed.status).toBe(201);
    reportId = ((await filed.json()) as { id: string }).id;
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await a?.dispose();
  });

  it('shows the admin what waits for the network, and retries it when the network is back', async () => {
    const { page, base } = session;
    await session.signInAs(bob);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox' }).click();
    await page.waitForURL(`${base}/outbox`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Outbox');
    const row = page.locator('tr[data-state="retrying"]');
    // the Offer goes out once the report is saved; the page shows it after its first failed attempt
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return (await row.count()) === 1;
      },
      30_000,
      'the report retrying in the outbox',
    );
    await expect.poll(() => row.textContent()).toContain('Build report');
    expect(await row.textContent()).toContain(reportId.slice(0, 8));
    expect(await row.textContent()).toContain(a.host);
    expect(await row.locator('.outbox-error').textContent()).toMatch(/ECONNREFUSED|fetch failed/);
    await session.expectAccessible(page, 'outbox');
    await page.screenshot({ path: `${shots}/outbox-waiting.png`, fullPage: true });
    await session.shot('outbox-waiting');

    // a member: no link, and the page says whose it is
    const member = await registerUser(session.t.app, 'carla');
    await session.signOut();
    await session.signInAs({ handle: member.handle, password: member.password });
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox' }).count()).toBe(0);
    await page.goto(`${base}/outbox`);
    await expect
      .poll(() => page.getByText('Only this instance’s admins see its outbox.').count(), { timeout: 10_000 })
      .toBe(1);
    await session.signOut();
    await session.signInAs(bob);

    // the network is back: retry now, and the outbox empties
    await a.restart();
    await page.goto(`${base}/outbox`);
    await page.getByRole('button', { name: 'Retry all now' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
      .toMatch(/will be tried now|Nothing is waiting any more/);
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return (await page.getByText('Nothing waits for the network.').count()) === 1;
      },
      60_000,
      'the outbox empty',
    );
    // sent; A's Accept marks it delivered
    await eventually(
      async () =>
        (await session.t.app.inject({ url: `/api/builds/${reportId}`, headers: bob.auth })).json().delivery ===
        'delivered',
      30_000,
      "A's Accept of the report",
    );
    await page.screenshot({ path: `${shots}/outbox-empty.png`, fullPage: true });
  }, 150_000);
});
