// Versions published before their instructions' texts were recorded (before migration 0024) get them after a
// start: translations and their staleness as if published now, and search finds their words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  formPayload,
  publish,
  publishForm,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { backfillVersionTexts } from '../../server/src/registry/version-texts-backfill.js';

const sha = (b: string) => createHash('sha256').update(b).digest('hex');
const es = '# Prensa\n\nEngrase el émbolo cada jornada.\n';

describe.each(databaseKinds)('instructions of earlier versions on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const first = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [
      { path: 'README.md', bytes: '# Press\n\nGrease the ram.\n' },
      { path: 'README.es.md', bytes: es },
    ]);
    expect(first.statusCode, first.body).toBe(201);
    const fd = publishForm({ version: '1.1.0' }, [{ path: 'README.md', bytes: '# Press\n\nGrease the ram daily.\n' }]);
    fd.append('existing', JSON.stringify([{ path: 'README.es.md', sha256: sha(es) }]));
    const { payload, headers } = await formPayload(fd);
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/versions',
      headers: { ...headers, ...ana.auth },
      payload,
    });
    expect(second.statusCode, second.body).toBe(201);
    // as an instance upgraded from before the texts were recorded has them
    await t.deps.db.db.execute(sql`delete from version_texts`);
  });
  afterAll(async () => {
    await t.close();
  });

  const translations = async (v: string) =>
    (await t.app.inject({ url: `/api/designs/ana/press/versions/${v}` })).json().translations;
  const search = async (q: string) =>
    (await t.app.inject({ url: `/api/designs?q=${encodeURIComponent(q)}` })).json().items.map((i: any) => i.slug);

  it('records them once, oldest first: 1.1.0’s carried Spanish translation is stale, following 1.0.0', async () => {
    expect(await translations('1.1.0')).toEqual([]);
    expect(await backfillVersionTexts(t.deps.db.db, t.deps.blobs, t.deps.hooks.designChanged)).toBe(2);
    t.deps.events.changed(); // as main.ts does after it: cached documents read before lack the texts
    expect(await translations('1.0.0')).toEqual([expect.objectContaining({ lang: 'es', stale: false })]);
    expect(await translations('1.1.0')).toEqual([
      expect.objectContaining({ lang: 'es', stale: true, follows: '1.0.0', changedIn: '1.1.0' }),
    ]);
    expect(await search('émbolo jornada')).toEqual(['press']);
    // a second start finds nothing left to do
    expect(await backfillVersionTexts(t.deps.db.db, t.deps.blobs, t.deps.hooks.designChanged)).toBe(0);
  });
});
