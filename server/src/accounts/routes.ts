// HTTP routes of accounts: register, log in, who am I, API tokens.
import type { FastifyInstance } from 'fastify';
import { registerUser, logIn, describeMe, updateSettings } from './accounts.js';
import { requireCaller, requireWriter } from './auth.js';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import type { Register, Login, TokenCreate, AccountDelete, MePatch } from '../schema-types.js';
import { deleteAccount } from './delete-account.js';
import { noContentReply } from '../schemas.js';
import { designChanged } from '../registry/design-changed.js';
import { passwordAttemptLimiter } from './password-attempts.js';
import { listSessions, logOut, revokeSession } from './sessions.js';
import { keepDesignsOfDeletedAccount } from '../registry/designs.js';
import { leaveAllWorkshops } from '../builds/workshops.js';
import { updateProfile } from '../community/profile-edit.js';

export async function accountRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;
  const perMinute = app.deps.config.authRateLimitPerMinute;
  // guessing passwords or mass-creating accounts: a few attempts a minute per address
  const limited = perMinute > 0 ? { rateLimit: { max: perMinute, timeWindow: '1 minute' } } : {};
  // every password check (login, account deletion) counts against one shared limit per address
  const passwordAttempts = passwordAttemptLimiter(perMinute);

  app.post<{ Body: Register }>(
    '/api/auth/register',
    {
      config: limited,
      schema: {
        tags: ['accounts'],
        summary: 'Create an account (the first one is admin)',
        body: { $ref: 'register#' },
        response: { 201: { $ref: 'session#' } },
      },
    },
    async (req, reply) => reply.code(201).send(await registerUser(db, req.body)),
  );

  app.post<{ Body: Login }>(
    '/api/auth/login',
    {
      onRequest: passwordAttempts,
      schema: {
        tags: ['accounts'],
        summary: 'Log in with handle or email',
        body: { $ref: 'login#' },
        response: { 200: { $ref: 'session#' } },
      },
    },
    async (req) => logIn(db, req.body),
  );

  app.get(
    '/api/me',
    { schema: { tags: ['accounts'], summary: 'The signed-in account', response: { 200: { $ref: 'me#' } } } },
    async (req) => {
      const caller = requireCaller(req);
      const me: Record<string, unknown> = await describeMe(db, caller);
      for (const section of app.deps.hooks.meSections) Object.assign(me, await section(db, caller.id));
      return me;
    },
  );

  app.patch<{ Body: MePatch }>(
    '/api/me',
    {
      schema: {
        tags: ['accounts'],
        summary:
          "Change the account's settings and public profile: the interface's language (a locale of GET /api/locales, or null), name, bio, place, links",
        body: { $ref: 'me-patch#' },
        response: { 200: { $ref: 'me#' } },
      },
    },
    async (req) => {
      const caller = requireWriter(req);
      // the profile's checks first: a refused body changes nothing
      await db.transaction(async (tx) => {
        await updateProfile(tx, caller.id, req.body);
        await updateSettings(tx as unknown as typeof db, caller, req.body);
      });
      const me: Record<string, unknown> = await describeMe(db, caller);
      for (const section of app.deps.hooks.meSections) Object.assign(me, await section(db, caller.id));
      return me;
    },
  );

  app.delete<{ Body: AccountDelete }>(
    '/api/me',
    {
      onRequest: passwordAttempts,
      schema: {
        tags: ['accounts'],
        summary:
          'Delete your account (password to confirm): personal data goes; your designs stay at their addresses (the handle stays reserved), builds and reviews stay as deleted-<id>',
        body: { $ref: 'account-delete#' },
        response: { 204: noContentReply },
      },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const designs = await deleteAccount(db, caller, req.body.password, async (tx, userId) => {
        await leaveAllWorkshops(tx, userId);
        const designs = await keepDesignsOfDeletedAccount(tx, userId);
        for (const id of designs) await designChanged(tx, app.deps.hooks.designChanged, id);
        return designs;
      });
      for (const hook of app.deps.hooks.accountDeleted) hook(caller.handle, designs);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: TokenCreate }>(
    '/api/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an API token (shown once)',
        body: { $ref: 'token-create#' },
        response: { 201: { $ref: 'api-token#' } },
      },
    },
    async (req, reply) => reply.code(201).send(await createApiToken(db, requireWriter(req), req.body)),
  );

  app.get(
    '/api/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Your API tokens (never the secret)',
        response: { 200: { $ref: 'api-token-list#' } },
      },
    },
    async (req) => listApiTokens(db, requireCaller(req)),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/tokens/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke an API token, effective at once',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 204: noContentReply },
      },
    },
    async (req, reply) => {
      await revokeApiToken(db, requireWriter(req), req.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign out: the session this request is signed with is revoked at once',
        response: { 204: noContentReply },
      },
    },
    async (req, reply) => {
      await logOut(db, requireCaller(req));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/me/sessions',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Your signed-in sessions (browsers, CLI logins), the current one marked',
        response: { 200: { $ref: 'session-list#' } },
      },
    },
    async (req) => listSessions(db, requireCaller(req)),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/me/sessions/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke one of your sessions, effective at once',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{16}$' } } },
        response: { 204: noContentReply },
      },
    },
    async (req, reply) => {
      await revokeSession(db, requireWriter(req), req.params.id);
      return reply.code(204).send();
    },
  );
}
