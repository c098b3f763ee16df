// A version's pipeline state counts its boards: while its board is still being drawn (its job held a while, the
// files long done) the version is not done; once the board is, the version is, and /api/events said so.
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp } from '../helpers/app.js';
import { makeBoard } from '../helpers/board-fixture.js';

/** Opens /api/events on the real socket and collects what arrives. */
function listen(port: number) {
  const received: string[] = [];
  const ready = new Promise<() => void>((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
      res.on('data', (chunk: Buffer) => {
        received.push(chunk.toString());
        if (chunk.toString().includes('event: hello')) resolve(() => req.destroy());
      });
    });
    req.on('error', reject);
  });
  return { received, ready };
}

describe.each(databaseKinds)('a version and its board on %s', (kind) => {
  let t: TestApp;
  let port: number;
  const url = '/api/designs/ana/lamp/versions/1.0.0';

  beforeAll(async () => {
    t = await createTestApp(kind, {
      runWorker: true,
      workerThreads: 2,
      testJobHold: { kind: 'process-board', ms: 4000 },
    });
    // a port of this suite's own (one per database kind)
    port = 47300 + databaseKinds.indexOf(kind);
    await t.app.listen({ port, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('is not done until its board is drawn, then is, and the events stream announces the board', async () => {
    const events = listen(port);
    const close = await events.ready;
    const ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'lamp');
    const board = makeBoard({ folder: 'pcb', name: 'lamp', pads: 4, traces: 2 });
    const files = Object.entries(board.files).map(([path, text]) => ({ path, bytes: text }));
    const r = await publish(t.app, ana, 'ana', 'lamp', { version: '1.0.0' }, files);
    expect(r.statusCode, r.body).toBe(201);

    const doc = async () => (await t.app.inject({ url })).json();
    // every file done while the board's job is held
    await expect
      .poll(async () => (await doc()).files.every((f: any) => f.pipeline.state === 'done'), { timeout: 30_000 })
      .toBe(true);
    const waiting = await doc();
    expect(waiting.boards.map((b: any) => b.pipeline.state)).toEqual([expect.stringMatching(/^(queued|running)$/)]);
    expect(waiting.pipeline).toMatchObject({
      state: 'running',
      pendingFiles: 0,
      boards: 1,
      pendingBoards: 1,
      failedBoards: 0,
    });

    await expect.poll(async () => (await doc()).pipeline.state, { timeout: 60_000, interval: 100 }).toBe('done');
    const done = await doc();
    expect(done.boards[0].pipeline).toEqual({ state: 'done' });
    expect(done.pipeline).toMatchObject({
      failedFiles: 0,
      pendingFiles: 0,
      boards: 1,
      pendingBoards: 0,
      failedBoards: 0,
    });

    await expect
      .poll(() =>
        events.received
          .join('')
          .split('\n\n')
          .filter((e) => e.startsWith('event: job'))
          .map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6))),
      )
      .toContainEqual(
        expect.objectContaining({
          kind: 'process-board',
          design: 'ana/lamp',
          version: '1.0.0',
          path: 'pcb',
          state: 'done',
        }),
      );
    close();
  }, 120_000);
});
