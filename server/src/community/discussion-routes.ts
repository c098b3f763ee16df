// HTTP routes of discussions: ask on a design, list, read, reply, search; authors edit within a window (history
// kept); the design's leads mark the answer, close, lock, pin, mark a problem fixed and hide replies.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireWriter } from '../accounts/auth.js';
import type {
  DiscussionAnswer,
  DiscussionCreate,
  DiscussionFixed,
  DiscussionListQuery,
  DiscussionPatch,
  DiscussionReplyCreate,
  DiscussionSearchQuery,
} from '../schema-types.js';
import { addReply, createDiscussion, listDiscussions, readDiscussion, readReply } from './discussions.js';
import { actOnDiscussion, leadActions, markAnswer, markFixed, setReplyHiddenByLead } from './discussion-leads.js';
import { discussionHistory, editDiscussion, editReply } from './discussion-edits.js';
import { searchDiscussions } from './discussion-search.js';
import type { DiscussionChange } from './discussion-remote.js';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 100 } },
} as const;
const replyParams = {
  type: 'object',
  required: ['id', 'reply'],
  properties: { id: { type: 'string', maxLength: 100 }, reply: { type: 'string', maxLength: 100 } },
} as const;

type ById = { Params: { id: string } };
type ByReply = { Params: { id: string; reply: string } };

export async function discussionRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;
  const window = app.deps.config.discussionEditWindowMinutes;
  const perMinute = app.deps.config.discussionPostsPerMinute;
  // posting is limited per account (per address before sign-in is known); a refused post still counts
  const limited =
    perMinute > 0
      ? {
          rateLimit: {
            max: perMinute,
            timeWindow: '1 minute',
            hook: 'preHandler' as const,
            keyGenerator: (req: FastifyRequest) => req.caller?.id ?? req.ip,
          },
        }
      : {};
  const one = (id: string, req: FastifyRequest) => readDiscussion(db, id, window, req.caller);
  // after the commit: federation sends what crosses instances
  const changed = (id: string, change: DiscussionChange) => {
    for (const told of app.deps.hooks.discussionChanged) told(id, change);
  };

  app.post<{ Params: { owner: string; slug: string }; Body: DiscussionCreate }>(
    '/api/designs/:owner/:slug/discussions',
    {
      config: { designAccess: 'writer', ...limited },
      schema: {
        tags: ['discussions'],
        summary: 'Ask a question, suggest an idea or report a problem on a design (anyone signed in)',
        body: { $ref: 'discussion-create#' },
        response: { 201: { $ref: 'discussion#' } },
      },
    },
    async (req, reply) => {
      const id = await createDiscussion(db, req.design, req.caller!, req.body);
      changed(id, { kind: 'created' });
      return reply.code(201).send(await one(id, req));
    },
  );

  app.get<{ Params: { owner: string; slug: string }; Querystring: DiscussionListQuery }>(
    '/api/designs/:owner/:slug/discussions',
    {
      schema: {
        tags: ['discussions'],
        summary: "A design's discussions: pinned first, then the most recently active",
        querystring: { $ref: 'discussion-list-query#' },
        response: { 200: { $ref: 'discussion-list#' } },
      },
    },
    async (req) => listDiscussions(db, req.design, req.query, window, req.caller),
  );

  app.get<{ Querystring: DiscussionSearchQuery }>(
    '/api/discussions/search',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Discussions whose title, body or answer match the words, best first',
        querystring: { $ref: 'discussion-search-query#' },
        response: { 200: { $ref: 'discussion-search#' } },
      },
    },
    async (req) => searchDiscussions(db, req.query, window, req.caller),
  );

  app.get<ById>(
    '/api/discussions/:id',
    {
      schema: {
        tags: ['discussions'],
        summary: 'A discussion with its replies',
        params: idParams,
        response: { 200: { $ref: 'discussion#' } },
      },
    },
    async (req) => one(req.params.id, req),
  );

  app.get<ById>(
    '/api/discussions/:id/history',
    {
      schema: {
        tags: ['discussions'],
        summary: 'What the discussion and its replies said before each edit',
        params: idParams,
        response: { 200: { $ref: 'discussion-history#' } },
      },
    },
    async (req) => discussionHistory(db, req.params.id, req.caller),
  );

  app.patch<ById & { Body: DiscussionPatch }>(
    '/api/discussions/:id',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Edit the title or body (its author, within the edit window; the previous text is kept)',
        params: idParams,
        body: { $ref: 'discussion-patch#' },
        response: { 200: { $ref: 'discussion#' } },
      },
    },
    async (req) => {
      await editDiscussion(db, req.params.id, requireWriter(req), req.body, window);
      changed(req.params.id, { kind: 'updated' });
      return one(req.params.id, req);
    },
  );

  app.post<ById & { Body: DiscussionReplyCreate }>(
    '/api/discussions/:id/replies',
    {
      config: limited,
      schema: {
        tags: ['discussions'],
        summary: 'Reply (anyone signed in; 409 when the discussion is locked)',
        params: idParams,
        body: { $ref: 'discussion-reply-create#' },
        response: { 201: { $ref: 'discussion-reply#' } },
      },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const id = await addReply(db, req.params.id, caller, req.body.body);
      changed(req.params.id, { kind: 'replied', replyId: id });
      return reply.code(201).send(await readReply(db, req.params.id, id, window, caller));
    },
  );

  app.patch<ByReply & { Body: DiscussionReplyCreate }>(
    '/api/discussions/:id/replies/:reply',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Edit a reply (its author, within the edit window; the previous text is kept)',
        params: replyParams,
        body: { $ref: 'discussion-reply-create#' },
        response: { 200: { $ref: 'discussion-reply#' } },
      },
    },
    async (req) => {
      const caller = requireWriter(req);
      await editReply(db, req.params.id, req.params.reply, caller, req.body.body, window);
      changed(req.params.id, { kind: 'reply-updated', replyId: req.params.reply });
      return readReply(db, req.params.id, req.params.reply, window, caller);
    },
  );

  for (const hidden of [true, false])
    app.post<ByReply>(
      `/api/discussions/:id/replies/:reply/${hidden ? 'hide' : 'unhide'}`,
      {
        schema: {
          tags: ['discussions'],
          summary: hidden ? 'Hide a reply (the design’s leads)' : 'Show a hidden reply again (the design’s leads)',
          params: replyParams,
          response: { 200: { $ref: 'discussion-reply#' } },
        },
      },
      async (req) => {
        const caller = requireWriter(req);
        await setReplyHiddenByLead(db, req.params.id, req.params.reply, caller, hidden);
        changed(req.params.id, { kind: 'reply-updated', replyId: req.params.reply });
        return readReply(db, req.params.id, req.params.reply, window, caller);
      },
    );

  app.post<ById & { Body: DiscussionAnswer }>(
    '/api/discussions/:id/answer',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Mark a reply as the answer: the discussion becomes answered (the design’s leads)',
        params: idParams,
        body: { $ref: 'discussion-answer#' },
        response: { 200: { $ref: 'discussion#' } },
      },
    },
    async (req) => {
      await markAnswer(db, req.params.id, requireWriter(req), req.body.reply);
      changed(req.params.id, { kind: 'updated' });
      return one(req.params.id, req);
    },
  );

  app.post<ById & { Body: DiscussionFixed }>(
    '/api/discussions/:id/fixed',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Mark a problem fixed by a version: it is closed (the design’s leads)',
        params: idParams,
        body: { $ref: 'discussion-fixed#' },
        response: { 200: { $ref: 'discussion#' } },
      },
    },
    async (req) => {
      await markFixed(db, req.params.id, requireWriter(req), req.body.version);
      changed(req.params.id, { kind: 'updated' });
      return one(req.params.id, req);
    },
  );

  for (const action of leadActions)
    app.post<ById>(
      `/api/discussions/:id/${action}`,
      {
        schema: {
          tags: ['discussions'],
          summary: `${action[0].toUpperCase()}${action.slice(1)} the discussion (the design’s leads)`,
          params: idParams,
          response: { 200: { $ref: 'discussion#' } },
        },
      },
      async (req) => {
        await actOnDiscussion(db, req.params.id, requireWriter(req), action);
        changed(req.params.id, { kind: 'updated' });
        return one(req.params.id, req);
      },
    );
}
