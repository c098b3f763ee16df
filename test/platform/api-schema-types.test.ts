// web/src/api-schema.ts is generated from the OpenAPI document: a stale copy fails here (run `npm run gen:api-types`).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiTypes } from '../../scripts/gen-api-types.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('web API types', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('are generated from the current /api/openapi.json', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const committed = readFileSync(new URL('../../web/src/api-schema.ts', import.meta.url), 'utf8');
    const generated = await generateApiTypes(doc);
    expect(committed).toBe(generated);
    // the reply types the web app no longer copies by hand are there, from schemas/
    expect(generated).toMatch(/"upstream-notice": \{[^}]*newer: boolean;/s);
    expect(generated).toContain('"/api/auth/login": {');
  });
});
