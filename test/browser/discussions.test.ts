// Discussions in Chromium (issue 33): a maker asks a question on a design, the design's owner replies and marks the
// reply as the answer, and the asker sees the question answered with the answer marked, and was told of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { createDesign, publish, registerUser, type TestUser } from '../helpers/app.js';
import { haveChromium, openBrowserSession, type BrowserSession } from './harness.js';
import { notifications } from '../../server/src/notifications/tables.js';
import { users } from '../../server/src/accounts/tables.js';

const bomCsv = 'Level,Part Number,Description,Qty,Unit\n1,CEB-105,Chamber bolt M12,4,pcs\n1,FR-01,Frame,1,pcs\n';

describe.skipIf(!haveChromium)('asking and answering on a design in Chromium', () => {
  let session: BrowserSession;
  let page: Page;
  let base: string;
  let ana: TestUser;
  let bob: TestUser;
  let threadUrl = '';

  beforeAll(async () => {
    session = await openBrowserSession({ port: 47631 });
    ({ page, base } = session);
    ana = await registerUser(session.t.app, 'ana');
    bob = await registerUser(session.t.app, 'bob');
    await createDesign(session.t.app, ana, 'press', { title: 'Earth block press' });
    const r = await publish(
      session.t.app,
      ana,
      'ana',
      'press',
      { version: '1.0.0' },
      [{ path: 'README.md', bytes: '# Earth block press\n' }],
      { name: 'bom.csv', bytes: bomCsv },
    );
    expect(r.statusCode, r.body).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await session?.close();
  });

  it('a maker asks a question from the design page', async () => {
    await session.signInAs(bob);
    await page.goto(`${base}/ana/press`);
    await page.getByRole('heading', { name: 'Discussions' }).waitFor();
    await page.getByRole('button', { name: 'Ask or report' }).click();
    const form = page.getByRole('form', { name: 'Start a discussion' });
    await form.getByLabel('Question').check();
    await form.getByLabel('Title').fill('Which bolt grade for the chamber?');
    await form.getByLabel('What you want to say (Markdown)').fill('Is #CEB-105 grade 8.8 enough, @ana?');
    await form.getByRole('button', { name: 'Post' }).click();
    await page.waitForURL(/\/ana\/press\/discussions\/[0-9a-f-]{36}$/);
    threadUrl = page.url();
    await page.getByRole('heading', { name: 'Which bolt grade for the chamber?' }).waitFor();
    expect(await page.getByTestId('discussion-state').textContent()).toBe('open');
    // the part reference opens that BOM line of the version; the mention, ana's profile
    expect(await page.getByRole('link', { name: '#CEB-105' }).getAttribute('href')).toBe(
      '/ana/press/1.0.0#part-CEB-105',
    );
    expect(await page.locator('.discussion-body').getByRole('link', { name: '@ana' }).getAttribute('href')).toBe(
      '/ana',
    );
    await session.shot('discussion-asked');
    // the design page counts the open question beside its title
    await page.goto(`${base}/ana/press`);
    expect(await page.getByTestId('open-questions').textContent()).toBe('1 open question');
    await session.signOut();
  });

  it('the design’s owner replies and marks the reply as the answer', async () => {
    await session.signInAs(ana);
    await page.goto(threadUrl);
    await page.getByRole('heading', { name: 'Which bolt grade for the chamber?' }).waitFor();
    // only a lead is offered the lead's actions
    await page.getByRole('group', { name: 'What the design’s leads can do' }).waitFor();
    await page.getByLabel('Your reply (Markdown)').fill('Grade 8.8 is enough; use hardened washers.');
    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    const reply = page.getByTestId('discussion-reply').filter({ hasText: 'hardened washers' });
    await reply.waitFor();
    await reply.getByRole('button', { name: 'Mark as the answer' }).click();
    await page.getByTestId('discussion-answer').waitFor();
    expect(await page.getByTestId('discussion-state').textContent()).toBe('answered');
    await session.signOut();
  });

  it('the asker sees the question answered and the answer marked, and was told', async () => {
    await session.signInAs(bob);
    await page.goto(threadUrl);
    const answer = page.getByTestId('discussion-answer');
    await answer.waitFor();
    expect(await page.getByTestId('discussion-state').textContent()).toBe('answered');
    expect(await answer.textContent()).toContain('The answer');
    expect(await answer.textContent()).toContain('Grade 8.8 is enough');
    // a green mark along the answer's edge: it stands out from the question above it
    const edge = await answer.evaluate((el) => getComputedStyle(el).borderInlineStartColor);
    expect(edge).toBe('rgb(46, 125, 50)');
    expect(await page.getByRole('group', { name: 'What the design’s leads can do' }).count()).toBe(0);
    await session.expectAccessible(page, 'discussion thread');
    await session.shot('discussion-answered');

    const db = session.t.deps.db.db;
    const [b] = await db.select().from(users).where(eq(users.handle, 'bob'));
    const told = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, b.id), eq(notifications.kind, 'answer')));
    expect(told).toHaveLength(1);
    expect(told[0].subject.url).toContain(new URL(threadUrl).pathname);

    await page.goto(`${base}/ana/press`);
    const item = page.locator('.discussion-item').filter({ hasText: 'Which bolt grade' });
    await item.waitFor();
    expect(await item.textContent()).toContain('answered');
    expect(await page.getByTestId('open-questions').count()).toBe(0);
    await session.shot('discussion-list');
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
