// Discussions in Chromium (issue 33), the one journey in one test: a maker publishes a design; a workshop
// member asks a question on it through the form; a builder answers in the thread; the design's lead marks that reply
// as the answer; the asker, on another page meanwhile, sees the bell count it live, opens the notification and lands
// on the thread, answered with the marked reply. Then: a new version lists the open problems of the one before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createDesign, publish, registerUser, type TestUser } from '../helpers/app.js';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';

const bomCsv = 'Level,Part Number,Description,Qty,Unit\n1,CEB-105,Chamber bolt M12,4,pcs\n1,FR-01,Frame,1,pcs\n';

describe.skipIf(!haveChromium)('asking and answering on a design in Chromium', () => {
  let session: BrowserSession;
  let page: Page;
  let base: string;
  let ana: TestUser;
  let bob: TestUser;
  let eva: TestUser;
  const others: BrowserContext[] = [];

  /** A browser window of its own, signed in through the form: two people at once, each with their page. */
  async function windowOf(user: TestUser): Promise<Page> {
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
    others.push(context);
    const p = await context.newPage();
    await p.goto(`${base}/login`);
    await p.getByLabel('Handle or email').fill(user.handle);
    await p.getByLabel('Password').fill(user.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(`${base}/`);
    return p;
  }

  beforeAll(async () => {
    session = await openBrowserSession({ port: 47631 });
    ({ page, base } = session);
    const app = session.t.app;
    ana = await registerUser(app, 'ana');
    bob = await registerUser(app, 'bob');
    eva = await registerUser(app, 'eva');
    // bob runs a workshop; eva built the press in hers
    for (const [user, slug, name] of [
      [bob, 'taller', 'Taller Xixón'],
      [eva, 'fablab', 'Fab Lab Uviéu'],
    ] as const) {
      const w = await app.inject({
        method: 'POST',
        url: '/api/workshops',
        headers: user.auth,
        payload: { slug, name, place: { city: 'Gijón', country: 'ES' }, processes: [] },
      });
      expect(w.statusCode, w.body).toBe(201);
    }
    await createDesign(app, ana, 'press', { title: 'Earth block press' });
    const r = await publish(
      app,
      ana,
      'ana',
      'press',
      { version: '1.0.0' },
      [{ path: 'README.md', bytes: '# Earth block press\n' }],
      { name: 'bom.csv', bytes: bomCsv },
    );
    expect(r.statusCode, r.body).toBe(201);
    const fd = new FormData();
    fd.append('report', JSON.stringify({ workshop: 'fablab', outcome: 'success', hours: 12 }));
    const built = await fetch(`${base}/api/designs/ana/press/versions/1.0.0/builds`, {
      method: 'POST',
      headers: eva.auth,
      body: fd,
    });
    expect(built.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    for (const context of others) await context.close();
    await session?.close();
  });

  it('asks, a builder answers, the lead marks it, and the asker hears of it live and lands on the answer', async () => {
    // bob asks through the design page's form
    await session.signInAs(bob);
    await page.goto(`${base}/ana/press`);
    await page.getByRole('heading', { name: 'Discussions' }).waitFor();
    await page.getByRole('button', { name: 'Ask or report' }).click();
    const form = page.getByRole('form', { name: 'Start a discussion' });
    await form.getByLabel('Question').check();
    await form.getByLabel('Title').fill('Which bolt grade for the chamber?');
    await form.getByLabel('What you want to say (Markdown)').fill('Is #CEB-105 grade 8.8 enough, @ana?');
    await session.shot('journey-1-asking');
    await form.getByRole('button', { name: 'Post' }).click();
    await page.waitForURL(/\/ana\/press\/discussions\/[0-9a-f-]{36}$/);
    const threadPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: 'Which bolt grade for the chamber?' }).waitFor();
    expect(await page.getByTestId('discussion-state').textContent()).toBe('open');
    // the part reference opens that BOM line of the version; the mention, ana's profile
    expect(await page.getByRole('link', { name: '#CEB-105' }).getAttribute('href')).toBe(
      '/ana/press/1.0.0#part-CEB-105',
    );
    expect(await page.locator('.discussion-body').getByRole('link', { name: '@ana' }).getAttribute('href')).toBe(
      '/ana',
    );
    // only a lead is offered the lead's actions
    expect(await page.getByRole('group', { name: 'What the design’s leads can do' }).count()).toBe(0);
    await session.shot('journey-2-asked');
    // bob goes back to the design: it counts his open question; his bell has nothing yet
    await page.goto(`${base}/ana/press`);
    await expect.poll(() => page.getByTestId('open-questions').textContent()).toBe('1 open question');
    const bell = page.getByTestId('notification-bell');
    await bell.waitFor();
    expect(await page.getByTestId('notification-count').count()).toBe(0);

    // eva, who built the press, answers in the thread from her own window
    const evaPage = await windowOf(eva);
    await evaPage.goto(`${base}${threadPath}`);
    await evaPage.getByRole('heading', { name: 'Which bolt grade for the chamber?' }).waitFor();
    await evaPage.getByLabel('Your reply (Markdown)').fill('We built it with grade 8.8 and hardened washers: fine.');
    await evaPage.getByRole('button', { name: 'Reply', exact: true }).click();
    await evaPage.getByTestId('discussion-reply').filter({ hasText: 'hardened washers' }).waitFor();
    // a builder is no lead: nothing to mark
    expect(await evaPage.getByRole('button', { name: 'Mark as the answer' }).count()).toBe(0);
    await session.shot('journey-3-builder-replied', { page: evaPage });

    // ana, the design's lead, marks eva's reply as the answer
    const anaPage = await windowOf(ana);
    await anaPage.goto(`${base}${threadPath}`);
    await anaPage.getByRole('group', { name: 'What the design’s leads can do' }).waitFor();
    const reply = anaPage.getByTestId('discussion-reply').filter({ hasText: 'hardened washers' });
    await reply.getByRole('button', { name: 'Mark as the answer' }).click();
    await anaPage.getByTestId('discussion-answer').waitFor();
    expect(await anaPage.getByTestId('discussion-state').textContent()).toBe('answered');
    await session.shot('journey-4-lead-marked', { page: anaPage });

    // bob's page never moved: the bell counts eva's reply and ana's answer over the events stream
    const before = page.url();
    await expect.poll(() => page.getByTestId('notification-count').textContent(), { timeout: 10_000 }).toBe('2');
    expect(page.url()).toBe(before);
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    await session.shot('journey-5-bell', { fullPage: false });
    await bell.click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    const items = panel.getByRole('listitem');
    await expect.poll(() => items.count()).toBe(2);
    const answered = items.filter({
      hasText: '@ana marked an answer in a discussion on Which bolt grade for the chamber?',
    });
    expect(await answered.count()).toBe(1);
    expect(
      await items.filter({ hasText: '@eva replied in a discussion on Which bolt grade for the chamber?' }).count(),
    ).toBe(1);
    await session.expectAccessible(page, 'notifications panel');
    await session.shot('journey-6-panel', { fullPage: false });

    // following it lands on the thread, answered, with eva's reply marked; that notification is read
    await answered.getByRole('link').click();
    await page.waitForURL(new RegExp(`${threadPath}#reply-[0-9a-f-]{36}$`));
    const answer = page.getByTestId('discussion-answer');
    await answer.waitFor();
    expect(await page.getByTestId('discussion-state').textContent()).toBe('answered');
    expect(await answer.textContent()).toContain('The answer');
    expect(await answer.textContent()).toContain('grade 8.8 and hardened washers');
    expect(await answer.textContent()).toContain('eva');
    // a green mark along the answer's edge: it stands out from the question above it
    expect(await answer.evaluate((el) => getComputedStyle(el).borderInlineStartColor)).toBe('rgb(46, 125, 50)');
    await expect.poll(() => page.getByTestId('notification-count').textContent()).toBe('1');
    expect(await page.getByRole('group', { name: 'What the design’s leads can do' }).count()).toBe(0);
    await session.expectAccessible(page, 'discussion thread');
    await session.shot('journey-7-landed-answered');

    // bob may report eva's reply to the admins (not his own question): the reason is asked, the report is filed
    expect(await page.locator('.discussion-post').getByRole('button', { name: 'Report' }).count()).toBe(0);
    await answer.getByRole('button', { name: 'Report' }).click();
    const reportForm = page.getByRole('form', { name: 'Report @eva’s reply to the admins' });
    await reportForm.getByLabel('Why are you reporting this?').fill('Testing the report of a reply.');
    await reportForm.getByRole('button', { name: 'Send report' }).click();
    await expect.poll(() => answer.getByRole('status').textContent()).toContain('Report sent');
    await session.shot('journey-7b-reply-reported');

    // the design's list says answered, and no question is open any more
    await page.goto(`${base}/ana/press`);
    const item = page.locator('.discussion-item').filter({ hasText: 'Which bolt grade' });
    await item.waitFor();
    expect(await item.textContent()).toContain('answered');
    expect(await page.getByTestId('open-questions').count()).toBe(0);
    await session.shot('journey-8-list');
    await session.signOut();
  });

  it('finds discussions by their words: on the design page, and under the designs on the explore page', async () => {
    await page.goto(`${base}/ana/press`);
    await page.getByRole('heading', { name: 'Discussions' }).waitFor();
    const box = page.getByRole('searchbox', { name: 'Search these discussions' });
    // words only the marked answer holds find the question it answers
    await box.fill('hardened washers');
    await page
      .getByRole('search', { name: 'Search these discussions' })
      .getByRole('button', { name: 'Search' })
      .click();
    const matches = page.getByRole('list', { name: 'Discussions matching “hardened washers”' });
    await matches.waitFor();
    expect(await matches.getByRole('listitem').count()).toBe(1);
    expect(await matches.getByRole('link').first().textContent()).toBe('Which bolt grade for the chamber?');
    await session.shot('discussion-search-design');
    await box.fill('tractor');
    await box.press('Enter');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'No discussion' }).textContent())
      .toBe('No discussion matches “tractor”.');
    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.locator('.discussion-item').first().waitFor();
    expect(await page.getByLabel('Kind').count()).toBe(1);

    // the explore page: "bolt" finds the press (its BOM) and, under it, the question
    await page.goto(`${base}/`);
    await page.getByRole('searchbox', { name: 'Search designs' }).fill('bolt');
    await page.locator('.design-card', { hasText: 'Earth block press' }).waitFor();
    const group = page.getByRole('region', { name: 'Discussions' });
    await group.waitFor();
    const found = group.getByRole('listitem');
    expect(await found.count()).toBe(1);
    expect(await found.textContent()).toContain('ana/press');
    // the group comes after the designs found
    const below = await page
      .locator('.design-grid')
      .evaluate(
        (grid, g) => grid.compareDocumentPosition(g!) & Node.DOCUMENT_POSITION_FOLLOWING,
        await group.elementHandle(),
      );
    expect(below).toBeTruthy();
    await session.expectAccessible(page, 'explore with discussions');
    await session.shot('discussion-search-explore');
    await found.getByRole('link', { name: 'Which bolt grade for the chamber?' }).click();
    await page.waitForURL(/\/ana\/press\/discussions\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Which bolt grade for the chamber?' }).waitFor();
    // words nobody wrote: no group at all
    const searched = page.waitForResponse((r) => r.url().includes('/api/discussions/search?q=tractor'));
    await page.goto(`${base}/?q=tractor`);
    expect((await searched).status()).toBe(200);
    await page.getByText('No design matches “tractor”.').waitFor();
    expect(await page.getByRole('region', { name: 'Discussions' }).count()).toBe(0);
  });

  it('a new version lists the open problems of the one before, until a lead marks one fixed', async () => {
    const problem = await session.t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/discussions',
      headers: bob.auth,
      payload: { kind: 'problem', title: 'The ram sticks when hot', body: 'After an hour', version: '1.0.0' },
    });
    expect(problem.statusCode, problem.body).toBe(201);
    const r = await publish(session.t.app, ana, 'ana', 'press', { version: '1.1.0' }, [
      { path: 'README.md', bytes: '# Earth block press\n\nA looser ram.\n' },
    ]);
    expect(r.statusCode, r.body).toBe(201);
    await session.signOut();
    await session.signInAs(ana);
    await page.goto(`${base}/ana/press/1.1.0`);
    const listed = page.getByTestId('open-problems');
    await listed.waitFor();
    expect(await listed.textContent()).toContain('The ram sticks when hot');
    await session.shot('discussion-open-problems');
    await listed.getByRole('link', { name: 'The ram sticks when hot' }).click();
    await page.getByRole('heading', { name: 'The ram sticks when hot' }).waitFor();
    await page.getByLabel('Fixed by version').fill('1.1.0');
    await page.getByRole('button', { name: 'Mark fixed' }).click();
    await page.getByText('fixed in 1.1.0').waitFor();
    expect(await page.getByTestId('discussion-state').textContent()).toBe('closed');
    await page.goto(`${base}/ana/press/1.1.0`);
    await page.getByRole('heading', { name: 'Discussions' }).waitFor();
    await page.locator('.discussion-item').first().waitFor();
    expect(await page.getByTestId('open-problems').count()).toBe(0);
  });
});
