// Resolves `Authorization: Bearer …` on every request; routes ask for the caller they need.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, invalidToken, msg } from '../errors.js';
import { resolveToken, type Caller } from './accounts.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | undefined;
  }
  interface FastifyContextConfig {
    /** the route checks the Authorization header itself: not resolved as an account's token */
    ownBearerToken?: boolean;
  }
}

export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('caller', undefined);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    // a route that checks a bearer token of its own (GET /metrics) is not an account's; a path no route serves
    // is a 404 whatever the token (nothing to look up, and /metrics without its token must look the same)
    if (!header || req.routeOptions.config.ownBearerToken || req.routeOptions.url === undefined) return;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const caller = m ? await resolveToken(app.deps.db.db, m[1]) : undefined;
    if (!caller) throw invalidToken();
    // the caller acts through this request: jobs its actions enqueue carry the request's id (pipeline/queue.ts)
    req.caller = { ...caller, requestId: req.id };
  });
});

/** The signed-in caller, or 401. */
export function requireCaller(req: FastifyRequest): Caller {
  if (!req.caller) throw new AppError('unauthenticated', msg('accounts.needsToken'));
  return req.caller;
}

/** The signed-in caller allowed to change things (not a read-scoped token), or 401/403. */
export function requireWriter(req: FastifyRequest): Caller {
  const caller = requireCaller(req);
  if (caller.scope !== 'write') throw new AppError('forbidden', msg('accounts.readOnlyToken'));
  return caller;
}
