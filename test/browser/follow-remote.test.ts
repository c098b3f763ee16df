// Following a design on another instance from the web: the explore page's field takes the design's web address,
// the follow is accepted, and the mirrored design's page (marked with its home) offers Follow to other users.
// The origin A is a real Andecha process; the browser's instance B runs in this process, federation on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, openFederatedBrowserSession, type BrowserSession } from './harness.js';
import { registerOn, startInstance, type Instance } from '../helpers/instances.js';
import { registerUser } from '../helpers/app.js';

describe.skipIf(!haveChromium)('following a remote design from the web (Chromium)', () => {
  let session: BrowserSession;
  let a: Instance;

  beforeAll(async () => {
    [a, session] = await Promise.all([startInstance(), openFederatedBrowserSession()]);
    const ana = await registerOn(a, 'ana');
    const created = await fetch(`${a.url}/api/designs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ana}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'brick-press', title: 'Brick press' }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await session?.close();
    await a?.dispose();
  });

  it('follows by web address from the explore page and shows the mirrored design with a Follow button', async () => {
    const { t, page, base } = session;
    const bo = await registerUser(t.app, 'bo');
    await session.signInAs(bo);
    const form = page.getByRole('form', { name: 'Follow a design on another instance' });
    await form.getByLabel('Its web address or handle').fill(`${a.url}/ana/brick-press`);
    await form.getByRole('button', { name: 'Follow' }).click();
    const status = form.getByRole('status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(`ana@${a.host}/brick-press`);

    // a second user opens the mirrored design and follows it too
    const cy = await registerUser(t.app, 'cy');
    await session.signOut();
    await session.signInAs(cy);
    await expect
      .poll(async () => (await t.app.inject({ url: `/api/designs/ana@${a.host}/brick-press` })).statusCode, {
        timeout: 30_000,
      })
      .toBe(200);
    await page.goto(`${base}/ana@${a.host}/brick-press`);
    const follow = page.getByRole('button', { name: 'Follow' });
    await follow.click();
    await expect.poll(() => page.getByRole('button', { name: 'Following' }).count(), { timeout: 15_000 }).toBe(1);
    const mine = await t.app.inject({ url: '/api/federation/follows', headers: cy.auth });
    expect(mine.json().items.map((f: { design: { owner: string } }) => f.design.owner)).toEqual([`ana@${a.host}`]);
    await session.shot('follow-remote');
  }, 120_000);
});
