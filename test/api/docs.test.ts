// /api/docs: the browsable OpenAPI UI is served and points at the same document as /api/openapi.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('API docs', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp('pglite'); });
  afterAll(async () => { await t?.close(); });

  it('serves swagger-ui at /api/docs with the OpenAPI document listing the routes', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    expect(page.body).toContain('./static/swagger-initializer.js');
    const init = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    const doc = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toBe('3.0.3');
    expect(Object.keys(doc.json().paths)).toContain('/api/designs/{owner}/{slug}/versions/{version}/archive.zip');
    const same = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys(same.json().paths).sort()).toEqual(Object.keys(doc.json().paths).sort());
  });
});
