// HTTP routes of notifications: the reader's own list and marking read, and watching a design or a workshop.
import type { FastifyInstance } from 'fastify';
import { requireCaller, requireWriter } from '../accounts/auth.js';
import { noContentReply } from '../schemas.js';
import type { DesignParams, NotificationListQuery, NotificationsRead } from '../schema-types.js';
import { findWorkshop } from '../builds/workshops.js';
import { listNotifications, markRead } from './inbox.js';
import { startWatching, stopWatching } from './watches.js';

const workshopParams = {
  type: 'object',
  required: ['slug'],
  properties: { slug: { type: 'string', maxLength: 64 } },
} as const;

export async function notificationRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;

  app.get<{ Querystring: NotificationListQuery }>(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first, and how many are unread',
        querystring: { $ref: 'notification-list-query#' },
        response: { 200: { $ref: 'notification-list#' } },
      },
    },
    async (req) => listNotifications(db, requireCaller(req).id, req.query),
  );

  app.post<{ Body: NotificationsRead }>(
    '/api/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark some of your notifications read (ids), or all of them (all: true)',
        body: { $ref: 'notifications-read#' },
        response: { 200: { $ref: 'notification-unread#' } },
      },
    },
    async (req) => markRead(db, requireWriter(req).id, req.body),
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    const watch = method === 'PUT' ? startWatching : stopWatching;
    app.route<{ Params: DesignParams }>({
      method,
      url: '/api/designs/:owner/:slug/watch',
      schema: {
        tags: ['notifications'],
        summary:
          method === 'PUT'
            ? 'Watch a design: hear of its new versions, build reports and proposals'
            : 'Stop watching a design',
        response: { 204: noContentReply },
      },
      config: { changesDesign: true },
      handler: async (req, reply) => {
        await watch(db, requireWriter(req).id, 'design', req.design.id);
        return reply.code(204).send();
      },
    });
    app.route<{ Params: { slug: string } }>({
      method,
      url: '/api/workshops/:slug/watch',
      schema: {
        tags: ['notifications'],
        summary: method === 'PUT' ? 'Watch a workshop: hear of its new build reports' : 'Stop watching a workshop',
        params: workshopParams,
        response: { 204: noContentReply },
      },
      handler: async (req, reply) => {
        const caller = requireWriter(req);
        await watch(db, caller.id, 'workshop', (await findWorkshop(db, req.params.slug)).id);
        return reply.code(204).send();
      },
    });
  }
}
