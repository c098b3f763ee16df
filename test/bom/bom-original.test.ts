// GET …/bom/original: the BOM file exactly as published, whose bytes hash to the version's bom.sha256 (what a
// mirror on another instance fetches and verifies).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesign, createTestApp, publish, registerUser, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';

const bomCsv = 'Part Number,Description,Qty,Unit\nFR-01,Frame,1,pcs\nBL-02,Bolt M8,4,pcs\n';

describe.each(databaseKinds)('the published BOM file (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t?.close());

  it('answers the bytes as published, and 404 for a version without a BOM', async () => {
    const ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const files = [{ path: 'a.stl', bytes: 'solid a' }];
    const v1 = await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, files, {
      name: 'parts.csv',
      bytes: bomCsv,
    });
    expect(v1.statusCode).toBe(201);
    const r = await t.app.inject({ method: 'GET', url: '/api/designs/ana/press/versions/1.0.0/bom/original' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe(bomCsv);
    expect(r.headers['content-type']).toMatch(/text\/csv/);
    expect(createHash('sha256').update(r.rawPayload).digest('hex')).toBe(v1.json().bom.sha256);
    expect((await publish(t.app, ana, 'ana', 'press', { version: '1.1.0' }, files)).statusCode).toBe(201);
    const none = await t.app.inject({ method: 'GET', url: '/api/designs/ana/press/versions/1.1.0/bom/original' });
    expect(none.statusCode).toBe(404);
  });
});
