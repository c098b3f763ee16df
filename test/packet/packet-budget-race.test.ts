// The hourly budget of new packets per version holds under concurrent requests: the look for a job, the budget
// check and the enqueue are one locked step, so requests arriving together cannot all pass the same count, and
// the same options asked for at once make one job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, publish, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';

const perHour = 5;

describe.each(databaseKinds)('packet budget under concurrent requests (%s)', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const base = '/api/designs/ana/press/versions/1.0.0';
  const packetJobs = async (): Promise<{ subject: string }[]> =>
    (await t.deps.db.raw<{ subject: string }>(`select subject from jobs where kind = 'packet-pdf'`)).rows;

  beforeAll(async () => {
    // no worker: the jobs stay queued, so every request below sees the same state of the queue
    t = await createTestApp(kind, { runWorker: false, packetRequestsPerMinute: 0, packetVariantsPerHour: perHour });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const r = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [
      { path: 'frame.stl', bytes: cubeStl(40) },
    ]);
    expect(r.statusCode, r.body).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('24 anonymous requests for new options at once queue exactly the budget; the rest answer 429', async () => {
    const replies = await Promise.all(
      Array.from({ length: 24 }, (_, i) => t.app.inject({ url: `${base}/packet.pdf?stock=${6000 + i}mm` })),
    );
    const statuses: Record<number, number> = {};
    for (const r of replies) statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1;
    expect(statuses).toEqual({ 202: perHour, 429: 24 - perHour });
    expect(await packetJobs()).toHaveLength(perHour);
  });

  it('the same new options asked for at once make one job', async () => {
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => t.app.inject({ url: `${base}/packet.pdf?stock=5000mm`, headers: ana.auth })),
    );
    expect(replies.map((r) => r.statusCode)).toEqual(Array(8).fill(202));
    expect(new Set(replies.map((r) => r.json().job)).size).toBe(1);
    // signed in: not budgeted, but queued once
    expect((await packetJobs()).filter((j) => j.subject.includes('5000'))).toHaveLength(1);
  });
});
