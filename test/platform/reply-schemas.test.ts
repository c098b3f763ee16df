// Replies have one contract: the schemas in schemas/, used by Fastify to serialize, published in the OpenAPI
// document, and checked on every reply of every test app (test/helpers/reply-check.ts) — shown working here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDesign, createTestApp, registerUser, type TestApp } from '../helpers/app.js';
import { closeObjects, replyCheck, type ReplyViolation } from '../helpers/reply-check.js';
import { buildApp } from '../../server/src/app.js';

describe('reply schemas', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('closes every object that names its properties, but not a lenient one or a condition', () => {
    expect(
      closeObjects({
        type: 'object',
        properties: { a: { type: 'object', properties: { b: {} } }, m: { type: 'object', additionalProperties: true } },
        if: { properties: { a: { const: 1 } } },
      }),
    ).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        a: { type: 'object', properties: { b: {} }, additionalProperties: false },
        m: { type: 'object', additionalProperties: true },
      },
      if: { properties: { a: { const: 1 } } },
    });
  });

  it('records a reply with a field its schema does not name, a wrong type, and a status without a schema', async () => {
    const violations: ReplyViolation[] = [];
    // a route with a field the design schema does not name: Fastify's serializer would drop it without a word
    const leaky = async (app: FastifyInstance) => {
      app.get('/api/leaky/:n', { schema: { response: { 200: { $ref: 'maintainers#' } } } }, async (req: any, reply) => {
        if (req.params.n === '1') return { maintainers: ['ana'], secret: 'kept from clients by luck' };
        if (req.params.n === '2') return { maintainers: 'ana' };
        return (reply as any).code(202).send({ state: 'queued' });
      });
    };
    const app = await buildApp(t.deps, { plugins: [replyCheck(violations), leaky] });
    await app.ready();
    try {
      const extra = await app.inject({ method: 'GET', url: '/api/leaky/1' });
      expect(extra.json()).toEqual({ maintainers: ['ana'] });
      expect(violations.pop()).toMatchObject({ route: 'GET /api/leaky/:n', status: 200 });
      await app.inject({ method: 'GET', url: '/api/leaky/2' });
      expect(violations.pop()?.problem).toContain('must be array');
      await app.inject({ method: 'GET', url: '/api/leaky/3' });
      expect(violations.pop()).toMatchObject({ status: 202, problem: expect.stringContaining('no reply schema') });
      expect(violations).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('serializes problems by their schema, keeping the fields a client acts on', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/designs', payload: { slug: 'x', title: 'X' } });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({
      type: 'https://andecha.org/problems/unauthenticated',
      title: 'Sign in first',
      status: 401,
      detail: 'This needs an Authorization: Bearer token',
    });
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { handle: 'a', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual(
      expect.arrayContaining([{ field: '/extra', message: 'is not an allowed field' }]),
    );
  });

  it('declares the success replies of every API route', async () => {
    // a route without them would only have its problems declared and checked: a new route must declare its replies
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>))
      for (const [method, op] of Object.entries(item))
        if (!Object.keys(op.responses ?? {}).some((code) => /^[23]/.test(code)))
          missing.push(`${method.toUpperCase()} ${path}`);
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/api/')).length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('answers a design with every field its schema names and publishes that schema for the route', async () => {
    const u = await registerUser(t.app);
    await createDesign(t.app, u, 'press', { licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-NC-4.0' } });
    const r = await t.app.inject({ method: 'GET', url: `/api/designs/${u.handle}/press` });
    expect(Object.keys(r.json()).sort()).toEqual(
      [
        'owner',
        'slug',
        'title',
        'summary',
        'category',
        'tags',
        'licenses',
        'maintainers',
        'latestVersion',
        'forkedFrom',
        'upstream',
        'licenseFlags',
        'hidden',
        'federation',
        'stars',
        'createdAt',
        'updatedAt',
      ].sort(),
    );
    expect(r.json().licenseFlags).toEqual([
      expect.objectContaining({ flag: 'non-commercial', field: 'documentation' }),
    ]);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const read = doc.paths['/api/designs/{owner}/{slug}'].get.responses;
    expect(read['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/design' });
    expect(read['4XX'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/problem' });
    expect(doc.components.schemas['upstream-notice'].required).toContain('newer');
  });
});
