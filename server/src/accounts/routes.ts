// HTTP routes of accounts: register, log in, who am I.
import type { FastifyInstance } from 'fastify';
import { registerUser, logIn, describeMe } from './accounts.js';
import { requireCaller } from './auth.js';
import type { Register, Login } from '../schema-types.js';

export async function accountRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;

  app.post<{ Body: Register }>('/api/auth/register', {
    schema: { tags: ['accounts'], summary: 'Create an account (the first one is admin)', body: { $ref: 'register#' } },
  }, async (req, reply) => reply.code(201).send(await registerUser(db, req.body)));

  app.post<{ Body: Login }>('/api/auth/login', {
    schema: { tags: ['accounts'], summary: 'Log in with handle or email', body: { $ref: 'login#' } },
  }, async (req) => logIn(db, req.body));

  app.get('/api/me', { schema: { tags: ['accounts'], summary: 'The signed-in account' } },
    async (req) => describeMe(db, requireCaller(req)));
}
