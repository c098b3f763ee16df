// GET /metrics on the API port: only for a request bearing ANDECHA_METRICS_TOKEN; any other request gets the
// not-found reply of an unknown route, so the endpoint's existence is not revealed.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
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
        response: { 200: { content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    async (req, reply) => {
      if (!config.metricsToken || !bearsToken(req.headers.authorization, config.metricsToken))
        return reply.callNotFound();
      const { body, contentType } = await exposition(metrics);
      return reply.type(contentType).header('cache-control', 'no-store').send(body);
    },
  );
}
