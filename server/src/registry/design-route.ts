// Route plumbing of everything under /api/designs/:owner/:slug, done once for every domain's routes: the path
// parameters' schema (schemas/design-params) and a pre-handler that resolves the design the caller may see — and the
// version where the route has one — into `req.design` / `req.version`, with the same 401/403/404 problems as ever.
import type { FastifyRequest, RouteOptions, preHandlerHookHandler } from 'fastify';
import { requireWriter } from '../accounts/auth.js';
import { schemaById } from '../schemas.js';
import type { Database } from '../db/client.js';
import { findVisibleDesign, requireLead, visibleOrNotFound, type DesignRow } from './designs.js';
import { readDesign } from './design-read.js';
import { resolveVersion, type VersionRow } from './versions.js';
import { explainMissingVersion, refuseMirrorWrite, refuseTakenDownVersion } from './mirrors.js';

/**
 * Who may reach a design route, checked in this order before the design is looked up: `read` anyone who can see
 * it (the default), `writer` a write-scoped caller first (401/403), `lead` a writer who is its owner or a maintainer
 * (403, before the version is looked up).
 */
export type DesignAccess = 'read' | 'writer' | 'lead';

declare module 'fastify' {
  interface FastifyContextConfig {
    designAccess?: DesignAccess;
  }
  interface FastifyRequest {
    /** the design of a route under /api/designs/:owner/:slug, resolved before the handler */
    design: DesignRow;
    /** the version of a route under …/versions/:version (`latest` resolved), resolved before the handler */
    version: VersionRow;
  }
}

const designPrefix = '/api/designs/:owner/:slug';

type ObjectSchema = { type?: string; required?: string[]; properties?: Record<string, unknown> };

/** The route's params schema: owner, slug (and version) from schemas/, then what the route adds (a path, an id…). */
function designParamsSchema(url: string, own: ObjectSchema | undefined): ObjectSchema {
  const shared = schemaById('design-params') as unknown as { properties: Record<string, unknown> };
  const names = url.includes('/:version') ? ['owner', 'slug', 'version'] : ['owner', 'slug'];
  return {
    type: 'object',
    required: [...new Set([...names, ...(own?.required ?? [])])],
    properties: { ...Object.fromEntries(names.map((n) => [n, shared.properties[n]])), ...own?.properties },
  };
}

/**
 * Writes under a design that make something of the caller's own (a local fork, a local build report, a proposal of
 * the caller's fork or a comment on one, a question, which go on to the design's home): allowed on a mirrored design
 * too. Every other write on a mirror is refused with its home, since it is changed there.
 */
const ownWrites = [
  /\/forks$/,
  /\/versions\/:version\/builds$/,
  /\/proposals$/,
  /\/proposals\/:id\/comments$/,
  /\/discussions$/,
];

/** Resolves req.design (and req.version) for the route's access rule. */
function designResolver(
  database: Database,
  access: DesignAccess,
  withVersion: boolean,
  mirrorWritable: boolean,
  isRead: boolean,
): preHandlerHookHandler {
  const db = database.db;
  return async (request) => {
    const req = request as FastifyRequest<{ Params: { owner: string; slug: string; version?: string } }>;
    if (access !== 'read') requireWriter(req);
    // a read: the design with what its document shows, in one prepared statement (a design GET costs that one)
    const design = isRead
      ? visibleOrNotFound(await readDesign(database, req.params.owner, req.params.slug), req.caller)
      : await findVisibleDesign(db, req.params.owner, req.params.slug, req.caller);
    if (access !== 'read' && !mirrorWritable) refuseMirrorWrite(design);
    if (access === 'lead') await requireLead(db, design, req.caller!);
    req.design = design;
    if (withVersion) {
      const wanted = req.params.version!;
      req.version = await resolveVersion(db, design, wanted).catch(async (err: unknown) => {
        if (wanted !== 'latest') await explainMissingVersion(db, design, wanted);
        throw err;
      });
      await refuseTakenDownVersion(db, design, req.version, req.caller);
    }
  };
}

/**
 * An onRoute hook (installed by buildApp before any route): a route under /api/designs/:owner/:slug gets the shared
 * params schema and the resolving pre-handler, after any pre-handler of its own (a route that answers 503 without
 * the pipeline says so first).
 */
export function designRoutePlumbing(database: Database) {
  return (route: RouteOptions) => {
    if (route.url !== designPrefix && !route.url.startsWith(designPrefix + '/')) return;
    const withVersion = route.url.includes('/:version');
    route.schema = { ...route.schema, params: designParamsSchema(route.url, route.schema?.params as ObjectSchema) };
    const access = (route.config as { designAccess?: DesignAccess } | undefined)?.designAccess ?? 'read';
    route.preHandler = [
      ...[route.preHandler ?? []].flat(),
      designResolver(
        database,
        access,
        withVersion,
        route.method === 'POST' && ownWrites.some((w) => w.test(route.url)),
        route.method === 'GET' ||
          (Array.isArray(route.method) && route.method.every((m) => m === 'GET' || m === 'HEAD')),
      ),
    ] as preHandlerHookHandler[];
  };
}
