// HTTP routes of discovery: GET /api/designs — a plain list, or a search with facets when asked — and GET /api/parts.
import type { FastifyInstance } from 'fastify';
import { listDesigns, describeDesigns, maxListLimit } from '../registry/designs.js';
import { designsByIds } from '../registry/design-lookups.js';
import type { DesignListQuery, PartsQuery } from '../schema-types.js';
import { findParts } from './parts.js';
import { findWorkshop } from '../builds/workshops.js';
import { searchDesigns, type DesignSearchQuery } from './design-search.js';

const searchOnly = [
  'q',
  'process',
  'readiness',
  'country',
  'hasBuilds',
  'minCompleteness',
  'boardLayers',
  'buildableBy',
  'facets',
  'instance',
] as const;

export async function searchRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;
  // this instance's name (the host of its public URL): the home of local designs in the instance facet
  const localInstance = new URL(app.deps.config.publicUrl).host;

  app.get<{ Querystring: DesignListQuery }>(
    '/api/designs',
    {
      schema: {
        tags: ['designs'],
        summary: 'List or search designs: full text, typos forgiven, facets, cursor pagination',
        querystring: { $ref: 'design-list-query#' },
        response: { 200: { $ref: 'design-list#' } },
      },
      config: { publicCache: true },
    },
    async (req) => {
      const q = req.query;
      const limit = Math.min(q.limit ?? 20, maxListLimit);
      const wantsSearch =
        searchOnly.some((k) => q[k] !== undefined && q[k] !== '') ||
        q.sort === 'relevance' ||
        q.sort === 'completeness' ||
        q.sort === 'stars';
      if (!wantsSearch)
        return listDesigns(app.deps.db, { ...q, sort: q.sort === 'title' ? 'title' : 'recent' }, req.caller);
      const query: DesignSearchQuery = {
        q: q.q?.trim() || undefined,
        category: q.category,
        license: q.license,
        tag: q.tag,
        owner: q.owner,
        process: q.process,
        readiness: q.readiness,
        country: q.country,
        hasBuilds: q.hasBuilds,
        minCompleteness: q.minCompleteness,
        boardLayers: q.boardLayers,
        processesWithin: q.buildableBy ? (await findWorkshop(db, q.buildableBy)).processes : undefined,
        sort: q.sort,
        limit,
        cursor: q.cursor,
        viewerId: req.caller?.id,
        viewerIsAdmin: req.caller?.isAdmin,
        instance: q.instance,
        localInstance,
      };
      const { hits, nextCursor, facets } = await searchDesigns(db, query, {
        facets: Boolean(q.q || q.facets || !q.cursor),
      });
      const rows = await designsByIds(
        db,
        hits.map((h) => h.id),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      const described = await describeDesigns(
        db,
        hits.map((h) => byId.get(h.id)!),
      );
      const items = hits.map((h, i) => ({
        ...described[i],
        snippet: h.snippet,
        score: h.score,
        approvedBuilds: h.approvedBuilds,
        completeness: h.completeness,
        processes: h.processes,
        licenseFamily: h.licenseFamily,
        readiness: h.readiness,
      }));
      return { items, nextCursor, ...(facets ? { facets } : {}) };
    },
  );

  app.get<{ Querystring: PartsQuery }>(
    '/api/parts',
    {
      schema: {
        tags: ['bom'],
        summary:
          'Where-used: one part across published versions by part number, manufacturer part number or name, with the substitutes approved builds used',
        querystring: { $ref: 'parts-query#' },
        response: { 200: { $ref: 'part-hits#' } },
      },
      config: { publicCache: true },
    },
    async (req) => findParts(db, req.query.q, Math.min(req.query.limit ?? 20, 100), app.deps.hooks.partSubstitutes),
  );
}
