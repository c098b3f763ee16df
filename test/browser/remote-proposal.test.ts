// Proposing an improvement to a design that lives on another instance, from the web: on B (the browser's instance,
// in this process) the fork's owner proposes a version of the fork from its page; the mirrored design's page on B
// says the proposal reached its home, and bo writes in its conversation; on A (a real Andecha process) the design's
// lead sees it from bo@B with bo's comment, replies and accepts it from the web; back on B the proposal shows as
// accepted with the version it became, and ana's reply as ana@A.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { haveChromium, openFederatedBrowserSession, type BrowserSession } from './harness.js';
import { registerOn, startInstance, publishVersionOn, type Instance } from '../helpers/instances.js';
import { publishForm, registerUser } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';

describe.skipIf(!haveChromium)('proposing to a remote design from the web (Chromium)', () => {
  let session: BrowserSession;
  let a: Instance;
  const anaPassword = 'a long password of ana';

  beforeAll(async () => {
    [a, session] = await Promise.all([startInstance({ readyTimeoutMs: 240_000 }), openFederatedBrowserSession()]);
    const ana = await registerOn(a, 'ana', anaPassword);
    const created = await fetch(`${a.url}/api/designs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ana}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'brick-press', title: 'Brick press' }),
    });
    expect(created.status).toBe(201);
    await publishVersionOn(a, ana, 'ana/brick-press', { version: '1.0.0' }, [
      { path: 'frame.stl', bytes: cubeStl(10) },
    ]);
  }, 300_000);
  afterAll(async () => {
    await session?.close();
    await a?.dispose();
  });

  it('B proposes its fork’s version from the web; both sides talk in its conversation; A’s lead accepts it from the web; B shows the outcome', async () => {
    const { t, page, base } = session;
    const boComment = 'Tested on 40 bricks: <b>no</b> bending at the pivot';
    const anaReply = 'Which steel is the lever?';
    /** Opens the page's one proposal's conversation. */
    const openConversation = async () => {
      const proposal = page.locator('#proposals .proposal');
      await proposal.getByRole('button', { name: 'Conversation', exact: true }).click();
      return proposal.locator('.proposal-conversation');
    };
    /** The conversation's comments as `author · body`, once it shows `count` of them. */
    const commentsIn = async (conversation: Locator, count: number, timeout = 30_000) => {
      const comments = conversation.locator('.proposal-comment');
      await expect.poll(() => comments.count(), { timeout, interval: 500 }).toBe(count);
      return Promise.all(
        (await comments.all()).map(async (c) => {
          const head = c.locator('.proposal-comment-head');
          expect(Date.parse((await head.locator('time').getAttribute('datetime')) ?? '')).toBeGreaterThan(0);
          return `${await head.locator('strong').innerText()} · ${await c.locator('.prewrap').innerText()}`;
        }),
      );
    };
    const home = `ana@${a.host}/brick-press`;
    const bHost = new URL(base).host;
    const bo = await registerUser(t.app, 'bo');
    // the scene through B's API: follow, copy, fork, and an improved version of the fork
    const follow = await t.app.inject({
      method: 'POST',
      url: '/api/federation/follows',
      headers: bo.auth,
      payload: { target: `${a.url}/ana/brick-press` },
    });
    expect(follow.statusCode, follow.body).toBe(202);
    await expect
      .poll(async () => (await t.app.inject({ url: `/api/designs/${home}/versions/1.0.0` })).statusCode, {
        timeout: 60_000,
      })
      .toBe(200);
    const fork = await t.app.inject({
      method: 'POST',
      url: `/api/designs/${home}/forks`,
      headers: bo.auth,
      payload: { version: '1.0.0', slug: 'brick-press-lever' },
    });
    expect(fork.statusCode).toBe(201);
    await expect
      .poll(async () => (await fetch(`${a.url}/api/designs/bo@${bHost}/brick-press-lever`)).status, {
        timeout: 60_000,
      })
      .toBe(200);
    const published = await fetch(`${base}/api/designs/bo/brick-press-lever/versions`, {
      method: 'POST',
      headers: bo.auth,
      body: publishForm({ version: '1.0.1', changelog: 'Longer lever' }, [
        { path: 'frame.stl', bytes: cubeStl(10) },
        { path: 'lever.stl', bytes: cubeStl(4) },
      ]),
    });
    expect(published.status).toBe(201);

    // B: the fork's owner proposes the new version upstream from the fork's page
    await session.signInAs(bo);
    await page.goto(`${base}/bo/brick-press-lever/1.0.1`);
    await page.getByRole('button', { name: 'Propose upstream' }).click();
    const form = page.getByRole('form', { name: 'Propose version 1.0.1 upstream' });
    await form.getByLabel('What changed, and why upstream should take it').fill('A lever: half the force');
    await form.getByRole('button', { name: 'Send proposal' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain(`Proposed bo/brick-press-lever@1.0.1 to ${home}`);
    await session.shot('remote-proposal-sent');
    // its link leads to the proposal on the mirrored design's page, its conversation open
    await page.getByRole('link', { name: 'follow the proposal' }).click();
    await page
      .locator('#proposals .proposal')
      .getByRole('button', { name: 'Hide the conversation', expanded: true })
      .waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).hash).toMatch(/^#proposal-[0-9a-f-]{36}$/);

    // B: the mirrored design's page lists it and says it reached its home, where its leads decide
    const delivery = page.locator('#proposals .proposal-delivery');
    await expect
      .poll(
        async () => {
          await page.goto(`${base}/${encodeURIComponent(`ana@${a.host}`)}/brick-press`);
          await delivery.waitFor({ timeout: 5_000 }).catch(() => undefined);
          return (await delivery.count()) ? delivery.textContent() : '';
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(`Delivered to ${a.host}; its leads decide there.`);
    expect(await page.locator('#proposals .proposal').getByRole('button', { name: 'Accept…' }).count()).toBe(0);
    await session.shot('remote-proposal-delivered');

    // B: bo opens the proposal's conversation and writes to A's leads (markup in it stays text)
    const conversationOnB = await openConversation();
    await conversationOnB.getByText('No comments yet.').waitFor({ timeout: 15_000 });
    await conversationOnB.getByLabel('Your comment').fill(boComment);
    await conversationOnB.getByRole('button', { name: 'Post comment' }).click();
    expect(await commentsIn(conversationOnB, 1)).toEqual([`@bo · ${boComment}`]);
    expect(await conversationOnB.getByLabel('Your comment').inputValue()).toBe('');
    expect(await conversationOnB.locator('.proposal-comment b').count()).toBe(0);
    await session.shot('remote-proposal-comment-on-b');

    // A, signed out: anyone reads the conversation — bo's comment arrives as bo@B while it is open —, and is asked
    // to sign in to join it
    await page.goto(`${a.url}/ana/brick-press`);
    const conversationSignedOut = await openConversation();
    expect(await commentsIn(conversationSignedOut, 1, 60_000)).toEqual([`@bo@${bHost} · ${boComment}`]);
    expect(await conversationSignedOut.getByRole('link', { name: 'Sign in' }).count()).toBe(1);
    expect(await conversationSignedOut.getByLabel('Your comment').count()).toBe(0);

    // A: the lead signs in, sees the proposal from bo@B and accepts it as 1.1.0
    await page.goto(`${a.url}/login`);
    await page.getByLabel('Handle or email').fill('ana');
    await page.getByLabel('Password').fill(anaPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${a.url}/`);
    await page.goto(`${a.url}/ana/brick-press`);
    const proposal = page.locator('#proposals .proposal');
    await proposal.waitFor({ timeout: 15_000 });
    expect((await proposal.locator('.proposal-head').innerText()).replace(/\s+/g, ' ')).toContain(
      `bo@${bHost}/brick-press-lever@1.0.1 open by @bo@${bHost}`,
    );
    await session.shot('remote-proposal-at-home');

    // A: bo's comment is in the proposal's conversation as bo@B; ana's reply shows at once
    const conversationOnA = await openConversation();
    expect(await commentsIn(conversationOnA, 1)).toEqual([`@bo@${bHost} · ${boComment}`]);
    await conversationOnA.getByLabel('Your comment').fill(anaReply);
    await conversationOnA.getByRole('button', { name: 'Post comment' }).click();
    expect(await commentsIn(conversationOnA, 2)).toEqual([`@bo@${bHost} · ${boComment}`, `@ana · ${anaReply}`]);
    await session.shot('remote-proposal-conversation-at-home');
    await session.expectAccessible(page, 'a remote proposal at the design’s home, its conversation open');
    await proposal.getByRole('button', { name: 'Accept…' }).click();
    const accept = page.getByRole('form', { name: 'Accept the proposal' });
    expect(await accept.getByLabel('Publish as version').inputValue()).toBe('1.1.0');
    await accept.getByRole('button', { name: 'Publish brick-press@1.1.0' }).click();
    await expect
      .poll(() => page.locator('#proposals [role=status]').textContent(), { timeout: 30_000 })
      .toBe('Accepted: published as version 1.1.0.');

    // B: the outcome, with the version it became at home
    const outcome = page.locator('#proposals .proposal');
    await expect
      .poll(
        async () => {
          await page.goto(`${base}/${encodeURIComponent(`ana@${a.host}`)}/brick-press`);
          await outcome.waitFor({ timeout: 5_000 }).catch(() => undefined);
          return (await outcome.count()) ? outcome.getAttribute('data-state') : '';
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('accepted');
    expect(await outcome.textContent()).toContain(`Published as ${home}@1.1.0.`);

    // B: ana's reply came back into the conversation as ana@A (the open conversation re-reads itself)
    const conversationBack = await openConversation();
    expect(await commentsIn(conversationBack, 2, 60_000)).toEqual([
      `@bo · ${boComment}`,
      `@ana@${a.host} · ${anaReply}`,
    ]);
    await session.shot('remote-proposal-accepted');

    // B: bo's session ends elsewhere; the next comment is refused with the server's problem, shown in the form, and
    // what bo typed stays there
    const token = await page.evaluate(() => localStorage.getItem('andecha.token'));
    expect(token).toBeTruthy();
    const loggedOut = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(loggedOut.status).toBe(204);
    await conversationBack.getByLabel('Your comment').fill('Mild steel, 6 mm');
    await conversationBack.getByRole('button', { name: 'Post comment' }).click();
    const refused = conversationBack.locator('form [role=alert]');
    await refused.waitFor({ timeout: 15_000 });
    expect((await refused.innerText()).replace(/\s+/g, ' ')).toBe(
      'Sign in first The bearer token is invalid, expired or revoked',
    );
    expect(await conversationBack.getByLabel('Your comment').inputValue()).toBe('Mild steel, 6 mm');
    expect(await conversationBack.locator('.proposal-comment').count()).toBe(2);
    await session.shot('remote-proposal-comment-refused');
  }, 300_000);
});
