// HTTP routes of moderation: report abuse, the admins' queue and their decisions.
import type { FastifyInstance } from 'fastify';
import { requireCaller, requireWriter } from '../accounts/auth.js';
import type { AbuseReportCreate, AbuseReportResolve } from '../schema-types.js';
import { abuseQueue, fileAbuseReport, requireAdmin, resolveAbuseReport } from './reports.js';
import { findDesign } from '../registry/designs.js';
import { discussionReportSubjects } from '../community/discussion-reports.js';

export async function moderationRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;
  // an admin's hide or restore of a discussion or reply reaches the design's followers (federation listens)
  const subjects = discussionReportSubjects(app.deps.hooks.discussionChanged);

  app.post<{ Body: AbuseReportCreate }>(
    '/api/reports',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Report a design (id = owner/slug), a build report or a comment to the admins',
        body: { $ref: 'abuse-report-create#' },
        response: { 201: { $ref: 'abuse-report#' } },
      },
    },
    async (req, reply) => reply.code(201).send(await fileAbuseReport(db, requireWriter(req), req.body, subjects)),
  );

  app.get<{ Querystring: { state?: 'open' | 'resolved' } }>(
    '/api/admin/reports',
    {
      schema: {
        tags: ['moderation'],
        summary: 'The moderation queue (admins): open reports oldest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { state: { type: 'string', enum: ['open', 'resolved'] } },
        },
        response: { 200: { $ref: 'abuse-report-list#' } },
      },
    },
    async (req) => {
      requireAdmin(requireCaller(req));
      return abuseQueue(db, req.query.state);
    },
  );

  app.post<{ Params: { id: string }; Body: AbuseReportResolve }>(
    '/api/admin/reports/:id/resolve',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Hide or restore the reported subject, or dismiss the report (admins)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        body: { $ref: 'abuse-report-resolve#' },
        response: { 200: { $ref: 'abuse-report#' } },
      },
    },
    async (req) => {
      const caller = requireWriter(req);
      requireAdmin(caller);
      const report = await resolveAbuseReport(
        db,
        caller,
        req.params.id,
        req.body,
        app.deps.hooks.designChanged,
        subjects,
      );
      if (report.subject === 'design' && req.body.action === 'hide') {
        const [owner, slug] = report.subjectId.split('/');
        const design = await findDesign(db, owner, slug);
        for (const takenDown of app.deps.hooks.designTakenDown) takenDown(design);
      }
      return report;
    },
  );
}
