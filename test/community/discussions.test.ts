// Discussions on a design (issue 33): ask, reply, list, the leads' answer/close/lock/pin/fixed/hide, edits within a
// window with history, mentions and part references as links, notifications, search, the previous version's open
// problems on a new version, abuse reports that hide a discussion or a reply, and the posting rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { notifications, watches } from '../../server/src/notifications/tables.js';
import { discussions } from '../../server/src/community/tables.js';
import { boardBom } from '../helpers/board-fixture.js';
import { insertBoards } from '../../server/src/electronics/boards.js';
import { designs, designVersions } from '../../server/src/registry/tables.js';
import { designatorLinks, renderDiscussionMarkdown } from '../../server/src/community/discussion-markdown.js';

const bomCsv = 'Level,Part Number,Description,Qty,Unit\n1,CEB-105,Chamber bolt M12,4,pcs\n1,FR-01,Frame,1,pcs\n';

describe.each(databaseKinds)('discussions on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser, ana: TestUser, mia: TestUser, bob: TestUser, eva: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await registerUser(t.app, 'boss');
    ana = await registerUser(t.app, 'ana');
    mia = await registerUser(t.app, 'mia');
    bob = await registerUser(t.app, 'bob');
    eva = await registerUser(t.app, 'eva');
    await createDesign(t.app, ana, 'press', { title: 'Earth block press' });
    const m = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/maintainers',
      headers: ana.auth,
      payload: { handle: 'mia' },
    });
    expect(m.statusCode, m.body).toBeLessThan(300);
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'a' }], {
      name: 'bom.csv',
      bytes: bomCsv,
    });
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const ask = (user: TestUser, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/designs/ana/press/discussions', headers: user.auth, payload: body });
  const post = (user: TestUser | null, url: string, payload?: unknown) =>
    t.app.inject({ method: 'POST', url, headers: user?.auth ?? {}, ...(payload ? { payload } : {}) });
  const get = (url: string, user?: TestUser) => t.app.inject({ method: 'GET', url, headers: user?.auth ?? {} });
  const userId = async (handle: string) =>
    (await t.deps.db.db.query.users.findFirst({ where: (u, { eq: e }) => e(u.handle, handle) }))!.id;
  const notesOf = async (handle: string, kindOf: string) =>
    t.deps.db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, await userId(handle)), eq(notifications.kind, kindOf)));

  it('asks, replies and answers with the contract shapes; only a lead marks the answer', async () => {
    const r = await ask(bob, {
      kind: 'question',
      title: 'Which bolt grade for the chamber?',
      body: 'Is #CEB-105 grade 8.8, @ana? Not #XX-9.',
      version: '1.0.0',
    });
    expect(r.statusCode, r.body).toBe(201);
    const d = r.json();
    expect(d).toMatchObject({
      design: { owner: 'ana', slug: 'press' },
      version: '1.0.0',
      kind: 'question',
      state: 'open',
      title: 'Which bolt grade for the chamber?',
      author: { handle: 'bob' },
      edited: false,
      locked: false,
      pinned: false,
      answer: null,
      fixedBy: null,
      replyCount: 0,
      replies: [],
    });
    expect(d.html).toContain('<a class="part-ref" href="/ana/press/1.0.0#part-CEB-105">#CEB-105</a>');
    expect(d.html).toContain('<a class="mention" href="/ana">@ana</a>');
    expect(d.html).toContain('#XX-9');
    expect(d.html).not.toContain('part-XX-9');

    const reply = await post(eva, `/api/discussions/${d.id}/replies`, {
      body: 'I used 10.9, <script>alert(1)</script>',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json()).toMatchObject({ discussion: d.id, author: { handle: 'eva' }, answer: false, hidden: false });
    expect(reply.json().html).not.toContain('<script');

    for (const who of [bob, eva, admin]) {
      const a = await post(who, `/api/discussions/${d.id}/answer`, { reply: reply.json().id });
      expect(a.statusCode, who.handle).toBe(403);
      expect(isProblem(a)).toBe(true);
    }
    const a = await post(mia, `/api/discussions/${d.id}/answer`, { reply: reply.json().id });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ state: 'answered', answer: reply.json().id, replyCount: 1 });
    expect(a.json().replies[0].answer).toBe(true);

    // the asker heard of the answer; the design's leads of the question; ana of her mention once (she is a lead)
    expect(await notesOf('bob', 'answer')).toHaveLength(1);
    expect((await notesOf('bob', 'reply'))[0].subject).toMatchObject({
      type: 'discussion',
      id: d.id,
      design: 'ana/press',
      title: 'Which bolt grade for the chamber?',
    });
    expect(await notesOf('ana', 'discussion')).toHaveLength(1);
    expect(await notesOf('mia', 'discussion')).toHaveLength(1);
    expect(await notesOf('ana', 'mention')).toHaveLength(0);
    expect(await notesOf('eva', 'answer')).toHaveLength(0);
  });

  it('tells watchers, everyone in the thread and the mentioned', async () => {
    await t.deps.db.db.insert(watches).values({
      userId: await userId('boss'),
      subjectType: 'design',
      subjectId: (await t.deps.db.db.query.designs.findFirst({ where: (x, { eq: e }) => e(x.slug, 'press') }))!.id,
    });
    const d = (await ask(bob, { kind: 'idea', title: 'A longer lever', body: 'Easier pressing' })).json();
    expect((await notesOf('boss', 'discussion')).some((n) => n.subject.id === d.id)).toBe(true);
    await post(eva, `/api/discussions/${d.id}/replies`, { body: 'Yes please' });
    await post(mia, `/api/discussions/${d.id}/replies`, { body: 'What do you think, @eva and @nobody?' });
    const evaReplies = (await notesOf('eva', 'reply')).filter((n) => n.subject.id === d.id);
    // eva was told once (she was in the thread), not twice for the mention as well
    expect(evaReplies).toHaveLength(1);
    expect((await notesOf('eva', 'mention')).filter((n) => n.subject.id === d.id)).toHaveLength(0);
    expect((await notesOf('bob', 'reply')).filter((n) => n.subject.id === d.id)).toHaveLength(2);
    expect((await notesOf('boss', 'reply')).filter((n) => n.subject.id === d.id)).toHaveLength(2);
    const r = await post(mia, `/api/discussions/${d.id}/replies`, { body: 'cc @boss' });
    expect(r.statusCode).toBe(201);
    // boss watches: told of the reply, so not again of the mention
    expect((await notesOf('boss', 'mention')).filter((n) => n.subject.id === d.id)).toHaveLength(0);
    const d2 = (await ask(eva, { kind: 'idea', title: 'Paint', body: 'Ask @bob about paint' })).json();
    expect((await notesOf('bob', 'mention')).filter((n) => n.subject.id === d2.id)).toHaveLength(1);
  });

  it('lists pinned first, then by activity, filtered and paged', async () => {
    const made: string[] = [];
    for (const title of ['Old one', 'Middle one', 'New one'])
      made.push((await ask(eva, { kind: 'problem', title, body: 'x' })).json().id);
    expect((await post(ana, `/api/discussions/${made[0]}/pin`)).statusCode).toBe(200);
    expect((await post(bob, `/api/discussions/${made[1]}/pin`)).statusCode).toBe(403);
    const page1 = (await get('/api/designs/ana/press/discussions?kind=problem&limit=2')).json();
    expect(page1.items.map((i: { title: string }) => i.title)).toEqual(['Old one', 'New one']);
    expect(page1.items[0].pinned).toBe(true);
    const page2 = (
      await get(`/api/designs/ana/press/discussions?kind=problem&limit=2&cursor=${page1.nextCursor}`)
    ).json();
    expect(page2.items.map((i: { title: string }) => i.title)).toEqual(['Middle one']);
    expect(page2.nextCursor).toBeNull();
    const answered = (await get('/api/designs/ana/press/discussions?state=answered')).json();
    expect(answered.items.map((i: { state: string }) => i.state)).toEqual(['answered']);
    const bad = await get('/api/designs/ana/press/discussions?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
  });

  it('refuses replies to a locked discussion with 409 and opens again on unlock', async () => {
    const d = (await ask(bob, { kind: 'question', title: 'Locked?', body: 'x' })).json();
    expect((await post(ana, `/api/discussions/${d.id}/lock`)).json().locked).toBe(true);
    const r = await post(eva, `/api/discussions/${d.id}/replies`, { body: 'late' });
    expect(r.statusCode).toBe(409);
    expect(isProblem(r)).toBe(true);
    await post(ana, `/api/discussions/${d.id}/unlock`);
    expect((await post(eva, `/api/discussions/${d.id}/replies`, { body: 'now' })).statusCode).toBe(201);
    expect((await post(ana, `/api/discussions/${d.id}/close`)).json().state).toBe('closed');
    expect((await post(ana, `/api/discussions/${d.id}/reopen`)).json().state).toBe('open');
  });

  it('lets authors edit within the window, keeps the history, and refuses others and late edits', async () => {
    const d = (await ask(bob, { kind: 'question', title: 'Typo', body: 'Whcih grease?' })).json();
    const other = await t.app.inject({
      method: 'PATCH',
      url: `/api/discussions/${d.id}`,
      headers: eva.auth,
      payload: { body: 'x' },
    });
    expect(other.statusCode).toBe(403);
    const e = await t.app.inject({
      method: 'PATCH',
      url: `/api/discussions/${d.id}`,
      headers: bob.auth,
      payload: { title: 'Grease', body: 'Which grease?' },
    });
    expect(e.statusCode, e.body).toBe(200);
    expect(e.json()).toMatchObject({ title: 'Grease', body: 'Which grease?', edited: true });
    const reply = (await post(eva, `/api/discussions/${d.id}/replies`, { body: 'Lithum' })).json();
    const re = await t.app.inject({
      method: 'PATCH',
      url: `/api/discussions/${d.id}/replies/${reply.id}`,
      headers: eva.auth,
      payload: { body: 'Lithium' },
    });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json()).toMatchObject({ body: 'Lithium', edited: true });
    const h = (await get(`/api/discussions/${d.id}/history`)).json();
    expect(h.items).toMatchObject([
      { reply: null, editor: { handle: 'bob' }, previousTitle: 'Typo', previousBody: 'Whcih grease?' },
      { reply: reply.id, editor: { handle: 'eva' }, previousTitle: null, previousBody: 'Lithum' },
    ]);
    // past the window: the post is backdated, as if written two hours ago
    await t.deps.db.db
      .update(discussions)
      .set({ createdAt: new Date(Date.now() - 2 * 3600_000) })
      .where(eq(discussions.id, d.id));
    const late = await t.app.inject({
      method: 'PATCH',
      url: `/api/discussions/${d.id}`,
      headers: bob.auth,
      payload: { body: 'y' },
    });
    expect(late.statusCode).toBe(403);
    expect(late.json().detail).toMatch(/60 minutes/);
  });

  it('finds discussions by title, body and answer', async () => {
    const d = (await ask(bob, { kind: 'question', title: 'Soil mix', body: 'What ratio of clay?' })).json();
    const reply = (
      await post(eva, `/api/discussions/${d.id}/replies`, { body: 'Seven parts laterite to one cement' })
    ).json();
    const byAnswer = async () =>
      (await get('/api/discussions/search?q=laterite')).json().items.map((i: { id: string }) => i.id);
    expect(await byAnswer()).toEqual([]);
    await post(ana, `/api/discussions/${d.id}/answer`, { reply: reply.id });
    expect(await byAnswer()).toEqual([d.id]);
    expect((await get('/api/discussions/search?q=clay%20ratio')).json().items[0].id).toBe(d.id);
    expect((await get('/api/discussions/search?q=soil&owner=ana&slug=other')).json().items).toEqual([]);
  });

  it('lists the previous version’s open problems on the next, marks one fixed, counts open questions', async () => {
    const p1 = (await ask(eva, { kind: 'problem', title: 'Ram sticks', body: 'It sticks', version: '1.0.0' })).json();
    const p2 = (await ask(eva, { kind: 'problem', title: 'Frame rusts', body: 'Rust', version: '1.0.0' })).json();
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.1.0' }, [{ path: 'a.txt', bytes: 'b' }]);
    expect(r.statusCode, r.body).toBe(201);
    const titles = async () =>
      (await get('/api/designs/ana/press/versions/1.1.0')).json().openProblems.map((p: { title: string }) => p.title);
    expect(await titles()).toEqual(['Ram sticks', 'Frame rusts']);
    expect((await post(bob, `/api/discussions/${p1.id}/fixed`, { version: '1.1.0' })).statusCode).toBe(403);
    const f = await post(ana, `/api/discussions/${p1.id}/fixed`, { version: '1.1.0' });
    expect(f.statusCode, f.body).toBe(200);
    expect(f.json()).toMatchObject({ state: 'closed', fixedBy: '1.1.0', version: '1.0.0' });
    expect(await titles()).toEqual(['Frame rusts']);
    expect(p2.version).toBe('1.0.0');
    const open = (await get('/api/designs/ana/press/discussions?kind=question&state=open&limit=100')).json().items
      .length;
    expect((await get('/api/designs/ana/press/versions/latest')).json().openQuestions).toBe(open);
    const q = (await ask(bob, { kind: 'idea', title: 'not a problem', body: 'x' })).json();
    expect((await post(ana, `/api/discussions/${q.id}/fixed`, { version: '1.1.0' })).statusCode).toBe(409);
  });

  it('lets a lead hide a reply and an admin hide a reported discussion', async () => {
    const d = (await ask(bob, { kind: 'question', title: 'Spam target', body: 'x' })).json();
    const spam = (await post(eva, `/api/discussions/${d.id}/replies`, { body: 'buy now' })).json();
    expect((await post(bob, `/api/discussions/${d.id}/replies/${spam.id}/hide`)).statusCode).toBe(403);
    expect((await post(mia, `/api/discussions/${d.id}/replies/${spam.id}/hide`)).json().hidden).toBe(true);
    expect((await get(`/api/discussions/${d.id}`, bob)).json().replies).toEqual([]);
    expect((await get(`/api/discussions/${d.id}`, ana)).json().replies[0].hidden).toBe(true);

    const report = await post(eva, '/api/reports', { subject: 'discussion', id: d.id, reason: 'off topic' });
    expect(report.statusCode, report.body).toBe(201);
    const resolved = await post(admin, `/api/admin/reports/${report.json().id}/resolve`, { action: 'hide' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((await get(`/api/discussions/${d.id}`, bob)).statusCode).toBe(404);
    expect((await get(`/api/discussions/${d.id}`, admin)).json().hidden).toBe(true);
    const listed = (await get('/api/designs/ana/press/discussions?limit=100'))
      .json()
      .items.map((i: { id: string }) => i.id);
    expect(listed).not.toContain(d.id);
    // what the reporter cannot see is the same 404 as what is not there
    expect((await post(eva, '/api/reports', { subject: 'discussion', id: d.id, reason: 'again' })).statusCode).toBe(
      404,
    );

    const d2 = (await ask(bob, { kind: 'question', title: 'Reply report', body: 'x' })).json();
    const rude = (await post(eva, `/api/discussions/${d2.id}/replies`, { body: 'rude' })).json();
    const rr = await post(bob, '/api/reports', { subject: 'reply', id: rude.id, reason: 'rude' });
    expect(rr.statusCode, rr.body).toBe(201);
    await post(admin, `/api/admin/reports/${rr.json().id}/resolve`, { action: 'hide' });
    expect((await get(`/api/discussions/${d2.id}`)).json().replies).toEqual([]);
  });

  it('refuses anonymous posts and unknown discussions', async () => {
    expect((await ask({ auth: {} } as TestUser, { kind: 'idea', title: 'x', body: 'y' })).statusCode).toBe(401);
    expect((await get('/api/discussions/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
    expect((await get('/api/discussions/not-an-id')).statusCode).toBe(404);
    expect((await ask(bob, { kind: 'rant', title: 'x', body: 'y' })).statusCode).toBe(400);
  });

  it('links a designator (`#C1`) to its BOM line, and to the board page once the version has a board', async () => {
    await createDesign(t.app, ana, 'blinker', { title: 'Blinker' });
    const bomOnly = await publish(t.app, ana, 'ana', 'blinker', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'a' }], {
      name: 'bom.csv',
      bytes: boardBom,
    });
    expect(bomOnly.statusCode, bomOnly.body).toBe(201);
    const askOn = async (version: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/designs/ana/blinker/discussions',
        headers: bob.auth,
        payload: { kind: 'problem', title: `Hot parts on ${version}`, body: 'Are #C1 and #R2 hot? Not #C9.', version },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().html as string;
    };
    // no part numbers in a KiCad BOM: a line is found by its first designator (R1-R3 is one line)
    const noBoard = await askOn('1.0.0');
    expect(noBoard).toContain('<a class="part-ref" href="/ana/blinker/1.0.0#designator-C1">#C1</a>');
    expect(noBoard).toContain('<a class="part-ref" href="/ana/blinker/1.0.0#designator-R1">#R2</a>');
    expect(noBoard).toContain('Not #C9.');

    const withBoard = await publish(
      t.app,
      ana,
      'ana',
      'blinker',
      { version: '1.1.0' },
      [{ path: 'b.txt', bytes: 'b' }],
      {
        name: 'bom.csv',
        bytes: boardBom,
      },
    );
    expect(withBoard.statusCode, withBoard.body).toBe(201);
    // the board as the ingest job records it (no worker runs here: which files make a board is its own test's)
    const [v] = await t.deps.db.db
      .select({ id: designVersions.id })
      .from(designVersions)
      .innerJoin(designs, eq(designs.id, designVersions.designId))
      .where(and(eq(designs.slug, 'blinker'), eq(designVersions.version, '1.1.0')));
    await insertBoards(t.deps.db.db, v.id, [{ id: 'pcb', name: 'blinker', files: [], subjectKey: 'test', layers: [] }]);
    const onBoard = await askOn('1.1.0');
    expect(onBoard).toContain('<a class="part-ref" href="/ana/blinker/1.1.0/boards/pcb?part=C1">#C1</a>');
    expect(onBoard).toContain('<a class="part-ref" href="/ana/blinker/1.1.0/boards/pcb?part=R2">#R2</a>');
  });
});

describe('discussion posting rate limit', () => {
  it('answers 429 past the allowance per account', async () => {
    const t = await createTestApp('pglite', { discussionPostsPerMinute: 2 });
    try {
      const ana = await registerUser(t.app, 'ana');
      await createDesign(t.app, ana, 'press');
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (
            await t.app.inject({
              method: 'POST',
              url: '/api/designs/ana/press/discussions',
              headers: ana.auth,
              payload: { kind: 'idea', title: `idea ${i}`, body: 'x' },
            })
          ).statusCode,
        );
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await t.close();
    }
  });
});

describe('discussion Markdown: designators', () => {
  it('links a designator to its line, a part number of the same name first, and nothing else', () => {
    const lines = [
      { partNumber: null, designators: ['R1', 'R2', 'R3'] },
      { partNumber: 'CAP-100N', designators: ['C1'] },
      { partNumber: null, designators: ['C1', 'C2'] },
    ];
    const links = {
      partNumbers: new Set(['CAP-100N', 'R2']),
      versionPath: '/ana/amp/2.0.0',
      designators: designatorLinks('/ana/amp/2.0.0', lines, []),
    };
    const html = renderDiscussionMarkdown('#C1, #C2, #R3 and #R2; #U7 or `#C1` in code', links);
    // the first line naming a designator holds it
    expect(html).toContain('<a class="part-ref" href="/ana/amp/2.0.0#part-CAP-100N">#C1</a>');
    expect(html).toContain('<a class="part-ref" href="/ana/amp/2.0.0#designator-C1">#C2</a>');
    expect(html).toContain('<a class="part-ref" href="/ana/amp/2.0.0#designator-R1">#R3</a>');
    // a part number R2 is a part reference, not the designator
    expect(html).toContain('<a class="part-ref" href="/ana/amp/2.0.0#part-R2">#R2</a>');
    expect(html).toContain('#U7 or <code>#C1</code>');
    // with several boards the BOM does not say which holds C1: the line, not a board
    expect(designatorLinks('/a/b/1', lines, ['pcb/main', 'pcb/aux']).get('C1')).toBe('/a/b/1#part-CAP-100N');
    expect(designatorLinks('/a/b/1', lines, ['pcb/main']).get('C2')).toBe('/a/b/1/boards/pcb%2Fmain?part=C2');
  });
});
