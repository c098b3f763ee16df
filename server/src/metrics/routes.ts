// GET /metrics on the API port: only for a request bearing ANDECHA_METRICS_TOKEN; any other request gets the
// 404 problem of an unknown API route, so the endpoint's existence is not revealed. (Not the not-found handler
// itself: it answers unknown page paths with the web app, a 200.)
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';
import { exposition } from './registry.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compared as hashes in constant time: neither the token's length nor its prefix leaks through timing. */
export function bearsToken(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/i.exec(authorization ?? '');
  return Boolean(m) && timingSafeEqual(digest(m![1]), digest(token));
}

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const { config, metrics } = app.deps;
  app.get(
    '/metrics',
    {
      config: { ownBearerToken: true },
      schema: {
        // an operations endpoint, not part of the public API document
        hide: true,
        response: {
          200: { content: { 'text/plain': { schema: { type: 'string' } } } },
          404: { content: { 'application/problem+json': { schema: { $ref: 'problem#' } } } },
        },
      },
    },
    async (req, reply) => {
      if (!config.metricsToken || !bearsToken(req.headers.authorization, config.metricsToken))
        return reply
          .code(404)
          .type('application/problem+json')
          .send(notFound.route(req.method, '/metrics').toProblem());
      const { body, contentType } = await exposition(metrics);
      return reply.type(contentType).header('cache-control', 'no-store').send(body);
    },
  );
}
