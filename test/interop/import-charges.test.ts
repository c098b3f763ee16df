// An import is charged like the publishes it makes: the storage quota and the hourly publish rate apply to all of its
// designs, and it is all or nothing (an import that fails half-way leaves no design, and a retry makes no "-2").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { databaseKinds } from '../helpers/databases.js';
import { createTestApp, formPayload, isProblem, registerUser, type TestApp, type TestUser } from '../helpers/app.js';
import { importForm, zip } from './fixtures.js';

const KB = 1024;

/** A kitspace.yaml whose `multi:` holds `n` projects, each with a summary (enough to import alone). */
const multiYaml = (n: number, prefix: string) =>
  'multi:\n' +
  Array.from({ length: n }, (_, i) => `  ${prefix}-${i + 1}:\n    summary: Board ${i + 1} of the set.\n`).join('');

describe.each(databaseKinds)('import charges on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const post = async (parts: { name: string; bytes: string | Uint8Array }[], user = ana) => {
    const { payload, headers } = await formPayload(importForm(parts));
    return t.app.inject({ method: 'POST', url: '/api/import', headers: { ...headers, ...user.auth }, payload });
  };
  const designCount = async (user: TestUser) =>
    (await t.deps.db.raw('select count(*)::int as n from designs where owner_handle = $1', [user.handle])).rows[0].n;

  beforeAll(async () => {
    t = await createTestApp(kind, { quotaBytes: 1024 * KB, uploadsPerHour: 5 });
    ana = await registerUser(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses an import past the storage quota with 413, creating nothing', async () => {
    const r = await post([
      {
        name: 'heavy.zip',
        bytes: zip({
          'heavy/okh.toml': 'okhv = "OKH-LOSHv1.0"\nname = "Heavy"\nversion = "1.0.0"\n',
          'heavy/frame.bin': randomBytes(2048 * KB),
        }),
      },
    ]);
    expect(r.statusCode, r.body).toBe(413);
    expect(isProblem(r)).toBe(true);
    expect(r.json()).toMatchObject({ quota: true });
    expect(await designCount(ana)).toBe(0);
  });

  it('refuses a multi-project import that would pass the hourly publish rate with 429, creating none of it', async () => {
    const r = await post([{ name: 'kitspace.yaml', bytes: multiYaml(6, 'board') }]);
    expect(r.statusCode, r.body).toBe(429);
    expect(isProblem(r)).toBe(true);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(r.json().detail).toMatch(/creates 6 designs/);
    expect(await designCount(ana)).toBe(0);
    // within the rate it goes through
    const ok = await post([{ name: 'kitspace.yaml', bytes: multiYaml(2, 'pair') }]);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await designCount(ana)).toBe(2);
  });

  it('is all or nothing: a failure at the third design leaves no design, and the retry makes no "-2" duplicates', async () => {
    const bo = await registerUser(t.app);
    let published = 0;
    // an infrastructure fault in the middle of the import (the database going away, a crash): the third publish fails
    const fault = async () => {
      if (++published === 3) throw new Error('connection lost');
    };
    t.deps.hooks.onPublished.unshift(fault);
    try {
      const failed = await post([{ name: 'kitspace.yaml', bytes: multiYaml(4, 'part') }], bo);
      expect(failed.statusCode, failed.body).toBe(500);
    } finally {
      t.deps.hooks.onPublished.splice(t.deps.hooks.onPublished.indexOf(fault), 1);
    }
    expect(await designCount(bo)).toBe(0);
    const retry = await post([{ name: 'kitspace.yaml', bytes: multiYaml(4, 'part') }], bo);
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.json().designs.map((d: any) => d.slug)).toEqual(['part-1', 'part-2', 'part-3', 'part-4']);
    expect(await designCount(bo)).toBe(4);
  });
});
