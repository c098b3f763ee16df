// /api/docs: the browsable OpenAPI UI is served and points at the same document as /api/openapi.json,
// which an independent validator accepts while request validation keeps using schemas/ unchanged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loadSchemas, schemasDir } from '../../server/src/schemas.js';

describe('API docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

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
    expect(doc.json().openapi).toBe('3.1.0');
    expect(Object.keys(doc.json().paths)).toContain('/api/designs/{owner}/{slug}/versions/{version}/archive.zip');
    const same = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys(same.json().paths).sort()).toEqual(Object.keys(doc.json().paths).sort());
  });

  it('publishes a document that swagger-parser validates, every $ref resolving inside it', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    // validate() dereferences: an "id#" reference would be fetched as a file beside the document and fail
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(ref).toMatch(/^#\/components\/schemas\/[a-z0-9-]+$/);
    // the document's schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect): numeric exclusiveMinimum, type arrays
    const meta = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, object>)) {
      expect(meta.validateSchema(schema), `${name}: ${meta.errorsText()}`).toBe(true);
    }
    expect(doc.paths['/api/workshops'].get.parameters.find((p: any) => p.name === 'radiusKm').schema).toMatchObject({
      exclusiveMinimum: 0,
    });
  });

  it('leaves the schemas that validate requests as they are on disk, and keeps refusing what they refuse', async () => {
    await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const onDisk = loadSchemas().map((s) => JSON.parse(readFileSync(join(schemasDir, `${s.$id}.schema.json`), 'utf8')));
    expect(loadSchemas()).toEqual(onDisk);
    const zero = await t.app.inject({ method: 'GET', url: '/api/workshops?near=43.54,-5.66&radiusKm=0' });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().errors).toEqual([expect.objectContaining({ field: '/querystring/radiusKm' })]);
    const badPlace = await t.app.inject({ method: 'GET', url: '/api/workshops?near=91,0&radiusKm=5' });
    expect(badPlace.statusCode).toBe(400);
  });
});
