// A write that changes a design runs the designChanged hooks (search row, field stats, completeness) in its own
// transaction: when one of them fails (a full disk), the write is not kept either, so the client's error is the truth.
// Before, the hooks ran after the commit: the design was created, edited or yanked, yet the answer was a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import type { DesignChangedHook } from '../../server/src/registry/design-changed.js';

describe.each(databaseKinds)('designChanged inside the write (%s)', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let failing = false;

  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    // a derived write that fails like a full disk would (PostgreSQL's disk_full, 53100)
    const diskFull: DesignChangedHook = async () => {
      if (failing) throw Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' });
    };
    t.deps.hooks.designChanged.push(diskFull);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creating a design: an error answered means no design', async () => {
    failing = true;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/designs',
      headers: ana.auth,
      payload: { slug: 'ghost', title: 'Ghost' },
    });
    failing = false;
    expect(r.statusCode).toBeGreaterThanOrEqual(500);
    expect(isProblem(r)).toBe(true);
    expect((await t.app.inject({ url: '/api/designs/ana/ghost', headers: ana.auth })).statusCode).toBe(404);
    // the same slug is free: nothing half-written holds it
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/designs',
      headers: ana.auth,
      payload: { slug: 'ghost', title: 'Ghost' },
    });
    expect(again.statusCode).toBe(201);
  });

  it('editing and yanking: an error answered means nothing changed, search included', async () => {
    await createDesign(t.app, ana, 'press', { title: 'Press' });
    expect(
      (await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'a' }])).statusCode,
    ).toBe(201);
    failing = true;
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/designs/ana/press',
      headers: ana.auth,
      payload: { title: 'Renamed' },
    });
    const yank = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/versions/1.0.0/yank',
      headers: ana.auth,
    });
    failing = false;
    expect([patch.statusCode >= 500, yank.statusCode >= 500]).toEqual([true, true]);
    expect((await t.app.inject({ url: '/api/designs/ana/press', headers: ana.auth })).json().title).toBe('Press');
    expect((await t.app.inject({ url: '/api/designs/ana/press/versions/1.0.0', headers: ana.auth })).json().state).toBe(
      'published',
    );
    const found = (await t.app.inject({ url: '/api/designs?q=Renamed', headers: ana.auth })).json();
    expect(found.items).toHaveLength(0);
  });
});
