// HTTP routes of the federation: the caller's follows of designs on other instances, the admin block list, an
// admin's retry of a mirror's failed copies, and the outbox of deliveries waiting for the network (admins).
import type { FastifyInstance } from 'fastify';
import { requireCaller, requireWriter } from '../accounts/auth.js';
import { requireAdmin } from '../moderation/reports.js';
import { AppError, composed, forbidden, msg, notFound } from '../errors.js';
import type {
  FederationBlockCreate,
  FederationFollowCreate,
  FederationOutboxQuery,
  FederationOutboxRetry,
} from '../schema-types.js';
import type { Caller } from '../accounts/accounts.js';
import { noContentReply } from '../schemas.js';
import type { AndechaFederation } from './federation.js';
import { listBlocks, normalizeHost } from './blocks.js';
import { findDesign } from '../registry/designs.js';
import { listMirroredVersions, mirrorOfDesign } from '../registry/mirrors.js';
import { listOutbox, retryOutbox } from './outbox.js';

/** The outbox says what this instance's members sent and to whom: its admins read and retry it. */
function requireOutboxReader(caller: Caller): void {
  if (!caller.isAdmin) throw forbidden(msg('forbidden.outboxAdmins'));
}

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

export function federationApiRoutes(fed: AndechaFederation) {
  return async function federationRoutes(app: FastifyInstance) {
    const db = app.deps.db.db;

    app.post<{ Body: FederationFollowCreate }>(
      '/api/federation/follows',
      {
        schema: {
          tags: ['federation'],
          summary: 'Follow a design on another instance (by web address, actor URI or handle owner~slug@host)',
          body: { $ref: 'federation-follow-create#' },
          response: { 200: { $ref: 'federation-follow#' }, 202: { $ref: 'federation-follow#' } },
        },
      },
      async (req, reply) => {
        const caller = requireWriter(req);
        const { created, follow } = await fed.following.follow(fed.context(), caller.id, req.body.target.trim());
        return reply.code(created ? 202 : 200).send(follow);
      },
    );

    app.get(
      '/api/federation/follows',
      {
        schema: {
          tags: ['federation'],
          summary: 'The remote designs the caller follows',
          response: { 200: { $ref: 'federation-follow-list#' } },
        },
      },
      async (req) => ({ items: await fed.following.list(requireCaller(req).id), nextCursor: null }),
    );

    app.delete<{ Params: { id: string } }>(
      '/api/federation/follows/:id',
      {
        schema: {
          tags: ['federation'],
          summary: 'Stop following (the origin gets an Undo once nobody here follows the design)',
          params: idParams,
          response: { 204: noContentReply },
        },
      },
      async (req, reply) => {
        const caller = requireWriter(req);
        if (!(await fed.following.unfollow(fed.context(), caller.id, req.params.id)))
          throw notFound(msg('notFound.follow', { id: req.params.id }));
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/admin/federation/blocks',
      {
        schema: {
          tags: ['federation'],
          summary: 'Blocked instances (admins)',
          response: { 200: { $ref: 'federation-block-list#' } },
        },
      },
      async (req) => {
        requireAdmin(requireCaller(req));
        return { items: await listBlocks(db), nextCursor: null };
      },
    );

    app.post<{ Body: FederationBlockCreate }>(
      '/api/admin/federation/blocks',
      {
        schema: {
          tags: ['federation'],
          summary: 'Block an instance (admins): nothing from it is accepted or fetched, its mirrors are hidden',
          body: { $ref: 'federation-block-create#' },
          response: { 200: { $ref: 'federation-block#' }, 201: { $ref: 'federation-block#' } },
        },
      },
      async (req, reply) => {
        requireAdmin(requireWriter(req));
        const host = normalizeHost(req.body.host);
        const added = await fed.setBlocked(host, true);
        const block = (await listBlocks(db)).find((b) => b.host === host);
        if (!block) throw new AppError('internal', msg('federation.blockNotKept', { host }));
        return reply.code(added ? 201 : 200).send(block);
      },
    );

    app.post<{ Params: { owner: string; slug: string }; Querystring: { version?: string } }>(
      '/api/admin/federation/mirrors/:owner/:slug/retry',
      {
        schema: {
          tags: ['federation'],
          summary:
            "Try a mirrored design's failed copies again (admins): every failed version, or ?version= one; copies queued, in progress or complete are left alone",
          params: {
            type: 'object',
            required: ['owner', 'slug'],
            properties: {
              owner: { type: 'string', minLength: 3, maxLength: 400, pattern: '@' },
              slug: { type: 'string', minLength: 1, maxLength: 100 },
            },
          },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { version: { type: 'string', minLength: 1, maxLength: 100 } },
          },
          response: { 200: { $ref: 'federation-mirror-retry#' } },
        },
      },
      async (req) => {
        requireAdmin(requireWriter(req));
        const { owner, slug } = req.params;
        const design = await findDesign(db, owner, slug);
        if (!design.originActor)
          throw new AppError('conflict', msg('federation.notAMirror', { design: `${owner}/${slug}` }));
        const { version } = req.query;
        const before = await listMirroredVersions(db, design.id);
        if (version !== undefined) {
          const row = before.find((r) => r.version === version);
          if (!row || row.takenDown)
            throw notFound(msg('notFound.announcedVersion', { version, design: `${owner}/${slug}` }));
          if (row.state !== 'failed')
            throw new AppError(
              'conflict',
              composed('federation.retryOnlyFailed', {
                design: `${owner}/${slug}`,
                version,
                state: msg('states.mirror', { state: row.state }),
              }),
            );
        }
        const retried = await app.deps.mirror.retryFailed(design.originActor, version);
        const versions = (await mirrorOfDesign(db, design)).mirror?.versions ?? [];
        return { owner, slug, retried, versions };
      },
    );

    app.get<{ Querystring: FederationOutboxQuery }>(
      '/api/federation/outbox',
      {
        schema: {
          tags: ['federation'],
          summary:
            'Deliveries to other instances not made yet, oldest first (admins): queued, retrying (with the last error and the next attempt) or failed',
          querystring: { $ref: 'federation-outbox-query#' },
          response: { 200: { $ref: 'federation-outbox#' } },
        },
      },
      async (req) => {
        requireOutboxReader(requireCaller(req));
        const { cursor, state, instance } = req.query;
        return listOutbox(app.deps.db, { cursor, state, instance, limit: req.query.limit ?? 50 });
      },
    );

    app.post<{ Body: FederationOutboxRetry }>(
      '/api/federation/outbox/retry',
      {
        schema: {
          tags: ['federation'],
          summary:
            'Make deliveries due now (admins): all, one (id) or those to one instance; a failed one gets a new retry window',
          body: { $ref: 'federation-outbox-retry#' },
          response: { 200: { $ref: 'federation-outbox-retried#' } },
        },
      },
      async (req) => {
        requireOutboxReader(requireWriter(req));
        const { id, instance } = req.body ?? {};
        if (id !== undefined) {
          const { items } = await listOutbox(app.deps.db, { cursor: String(Number(id) - 1), limit: 1 });
          if (items[0]?.id !== id) throw notFound(msg('notFound.delivery', { id }));
        }
        return { retried: await retryOutbox(app.deps.db, { id, instance }) };
      },
    );

    app.delete<{ Params: { host: string } }>(
      '/api/admin/federation/blocks/:host',
      {
        schema: {
          tags: ['federation'],
          summary: 'Unblock an instance (admins)',
          params: {
            type: 'object',
            required: ['host'],
            properties: { host: { type: 'string', minLength: 1, maxLength: 300 } },
          },
          response: { 204: noContentReply },
        },
      },
      async (req, reply) => {
        requireAdmin(requireWriter(req));
        const host = normalizeHost(req.params.host);
        if (!(await fed.setBlocked(host, false))) throw notFound(msg('notFound.block', { host }));
        return reply.code(204).send();
      },
    );
  };
}
