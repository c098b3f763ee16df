// HTTP routes of the email digest: a person's choice of how often they get it (daily, weekly, never, or the instance's).
import type { FastifyInstance } from 'fastify';
import { requireCaller, requireWriter } from '../accounts/auth.js';
import type { DigestChoice as DigestChoiceBody } from '../schema-types.js';
import { digestChoiceOf, setDigestChoice } from './digest.js';

export async function digestRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;
  const instance = app.deps.config.smtpUrl ? app.deps.config.digest : 'off';

  app.get(
    '/api/me/digest',
    {
      schema: {
        tags: ['notifications'],
        summary: 'How often you get the email digest (null: the instance’s cadence), and the instance’s cadence',
        response: { 200: { $ref: 'digest-settings#' } },
      },
    },
    async (req) => ({ digest: await digestChoiceOf(db, requireCaller(req).id), instance }),
  );

  app.put<{ Body: DigestChoiceBody }>(
    '/api/me/digest',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Choose how often you get the email digest: daily, weekly, never, or null for the instance’s cadence',
        body: { $ref: 'digest-choice#' },
        response: { 200: { $ref: 'digest-settings#' } },
      },
    },
    async (req) => {
      const caller = requireWriter(req);
      await setDigestChoice(db, caller.id, req.body.digest ?? null);
      return { digest: req.body.digest ?? null, instance };
    },
  );
}
