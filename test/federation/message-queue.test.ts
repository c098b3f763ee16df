// The federation's delivery queue on our database: it idles for days polling every pollMs, so a pause must leave
// nothing behind (a listener per poll on the stop signal grew without end: Node warned after 11), and it stops
// when told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventListeners } from 'node:events';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DatabaseMessageQueue } from '../../server/src/federation/message-queue.js';

describe('federation message queue', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps at most one stop listener however long it idles, delivers what is enqueued, and stops', async () => {
    const queue = new DatabaseMessageQueue(t.deps.db, { pollMs: 5 });
    const abort = new AbortController();
    const got: unknown[] = [];
    const listening = queue.listen((m) => void got.push(m), { signal: abort.signal });
    await new Promise((r) => setTimeout(r, 300)); // dozens of idle polls
    expect(getEventListeners(abort.signal, 'abort').length).toBeLessThanOrEqual(1);
    await queue.enqueue({ n: 1 });
    await expect.poll(() => got, { timeout: 5_000 }).toEqual([{ n: 1 }]);
    abort.abort();
    await listening;
    expect(getEventListeners(abort.signal, 'abort').length).toBe(0);
  });
});
