// Tampered page cursors: whatever a client sends back as a cursor is a 400 saying so, never a 500 from the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { createDesign, createTestApp, isProblem, registerUser, type TestApp } from '../helpers/app.js';

const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const id = '0b8e6a5c-1d2f-4a3b-9c8d-7e6f5a4b3c2d';

describe.each(databaseKinds)('page cursors (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const ana = await registerUser(t.app);
    for (const slug of ['press-a', 'press-b', 'press-c'])
      await createDesign(t.app, ana, slug, { title: `Press ${slug}` });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('follows the cursors it gave out', async () => {
    for (const query of ['limit=1', 'limit=1&sort=title', 'limit=1&q=press', 'limit=1&q=press&sort=completeness']) {
      const first = (await t.app.inject({ url: `/api/designs?${query}` })).json();
      expect(first.nextCursor, query).toBeTruthy();
      const next = await t.app.inject({ url: `/api/designs?${query}&cursor=${first.nextCursor}` });
      expect(next.statusCode, query).toBe(200);
      expect(next.json().items[0].slug, query).not.toBe(first.items[0].slug);
    }
  });

  it('answers 400 with the field for a cursor with a bad date, number or id', async () => {
    const cases = [
      ['', cursor(['not a date', id])],
      ['', cursor(['2026-13-45T99:99:99Z', id])],
      ['&sort=title', cursor(['Press', '------------------------------------'])],
      ['&q=press', cursor(['abc', id])],
      ['&q=press&sort=completeness', cursor(['1; drop table designs', id])],
      ['', cursor(['2026-01-01T00:00:00Z', id, 'extra'])],
      ['', 'not-base64-json'],
    ];
    for (const [query, c] of cases) {
      const r = await t.app.inject({ url: `/api/designs?limit=1${query}&cursor=${c}` });
      expect(r.statusCode, `${query} ${c}`).toBe(400);
      expect(isProblem(r)).toBe(true);
      expect(r.json().errors).toEqual([{ field: '/cursor', message: 'is invalid' }]);
    }
  });
});
