// Live notifications on both databases: once a fork commits, the design's owner's event stream (opened with a ticket,
// only=notifications) gets `notification` with the unread count, and nobody else's does. On PostgreSQL the stream is
// held by a second API process and the news crosses through the relay.
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createSecondTestApp,
  createTestApp,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';

function listen(port: number, path: string) {
  const received: string[] = [];
  const ready = new Promise<() => void>((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path }, (res) => {
      res.on('data', (chunk: Buffer) => {
        received.push(chunk.toString());
        if (chunk.toString().includes('event: hello')) resolve(() => req.destroy());
      });
    });
    req.on('error', reject);
  });
  return { text: () => received.join(''), ready };
}

describe.each(databaseKinds)('notification events on %s', (kind) => {
  let t: TestApp;
  let streamer: TestApp;
  let lead: TestUser;
  let maker: TestUser;
  let stranger: TestUser;
  const port = 47741 + databaseKinds.indexOf(kind);

  beforeAll(async () => {
    t = await createTestApp(kind);
    streamer = kind === 'postgres' ? await createSecondTestApp(t) : t;
    await streamer.app.listen({ port, host: '127.0.0.1' });
    [lead, maker, stranger] = [await registerUser(t.app), await registerUser(t.app), await registerUser(t.app)];
    await createDesign(t.app, lead, 'press');
    const p = await publish(t.app, lead, lead.handle, 'press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: '# Press' },
    ]);
    expect(p.statusCode).toBe(201);
  }, 120_000);
  afterAll(async () => {
    if (streamer !== t) await streamer?.close();
    await t?.close();
  });

  it('tells the one notified, after the commit, and nobody else', async () => {
    const ticket = async (u: TestUser) =>
      (await streamer.app.inject({ method: 'POST', url: '/api/events/tickets', headers: u.auth })).json()
        .ticket as string;
    const mine = listen(port, `/api/events?only=notifications&ticket=${await ticket(lead)}`);
    const theirs = listen(port, `/api/events?only=notifications&ticket=${await ticket(stranger)}`);
    const closers = await Promise.all([mine.ready, theirs.ready]);
    // pipeline progress stays out of a notifications-only stream
    streamer.deps.events.publish({ type: 'file', design: `${lead.handle}/press`, version: '1.0.0', path: 'README.md' });

    const fork = await t.app.inject({
      method: 'POST',
      url: `/api/designs/${lead.handle}/press/forks`,
      headers: maker.auth,
      payload: { version: '1.0.0' },
    });
    expect(fork.statusCode).toBe(201);
    await expect.poll(() => mine.text(), { timeout: 10_000 }).toContain('event: notification\ndata: {"unread":1}');
    // the count it carries is what the list says: the row was committed before the stream heard of it
    const list = await streamer.app.inject({ url: '/api/notifications', headers: lead.auth });
    expect(list.json().unread).toBe(1);
    expect(mine.text()).not.toContain('event: file');
    expect(theirs.text()).not.toContain('event: notification');
    for (const close of closers) close();
  });
});
