// HTTP routes of forks and how designs evolve: fork, lineage, compare (JSON, Markdown, visual diff),
// improvement proposals with comments and decisions, and the caller's feed.
import type { FastifyInstance } from 'fastify';
import { AppError, msg } from '../errors.js';
import { requireCaller, requireWriter } from '../accounts/auth.js';
import { requestVisualDiff } from '../pipeline/visual-diff.js';
import type {
  CompareQuery,
  DesignParams,
  ForkCreate,
  ProposalAccept,
  ProposalComment,
  ProposalCreate,
  ProposalDecline,
  ProposalListQuery,
  VisualDiffQuery,
} from '../schema-types.js';
import { blobSize } from './blobs.js';
import { describeDesign } from './designs.js';
import { describeVersion, findFile } from './versions.js';
import { checkFilePath } from './paths.js';
import { sendDesignBlob } from './download.js';
import { forkDesign } from './forks.js';
import { lineageOf } from './lineage.js';
import { compareVersions, resolveCompareSide } from './compare.js';
import { loadBom } from '../bom/store.js';
import { compareMarkdown } from './compare-markdown.js';
import {
  acceptProposal,
  addComment,
  createProposal,
  declineProposal,
  describeProposal,
  findProposal,
  listProposals,
  proposalBase,
  type ProposalChangedHook,
} from './proposals.js';
import { feedFor } from './feed.js';
import { fileReply, jsonOrTextReply } from '../schemas.js';

// owner and slug: their schema and the design behind them come from design-route.ts
const proposalParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

type ProposalParams = DesignParams & { id: string };

export async function forkRoutes(app: FastifyInstance) {
  const { db: database, blobs, config, hooks, pipeline } = app.deps;
  const db = database.db;
  const publishDeps = { db, blobs, config, onPublished: hooks.onPublished, afterPublished: hooks.afterPublished };
  const proposalChanged: ProposalChangedHook = (id, change) => {
    for (const told of hooks.proposalChanged) told(id, change);
  };
  const forkDeps = {
    db,
    onForked: hooks.onForked,
    designChanged: hooks.designChanged,
    enqueueVersion: pipeline
      ? (tx: Parameters<typeof pipeline.enqueueVersion>[0], id: string, requestId?: string) =>
          pipeline.enqueueVersion(tx, id, 0, requestId)
      : undefined,
  };

  app.post<{ Params: DesignParams; Body: ForkCreate }>(
    '/api/designs/:owner/:slug/forks',
    {
      schema: {
        tags: ['forks'],
        summary: 'Fork a version: a design of yours whose first version is that version',
        body: { $ref: 'fork-create#' },
        response: { 201: { $ref: 'design#' } },
      },
      config: { designAccess: 'writer' },
    },
    async (req, reply) => {
      const fork = await forkDesign(forkDeps, req.design, requireWriter(req), req.body);
      if (pipeline) pipeline.wake();
      for (const told of hooks.designForked) told(fork);
      return reply.code(201).send(await describeDesign(db, fork));
    },
  );

  app.get<{ Params: DesignParams }>(
    '/api/designs/:owner/:slug/lineage',
    {
      schema: {
        tags: ['forks'],
        summary: 'The family tree: ancestors to the root and every fork, with versions and approved builds',
        response: { 200: { $ref: 'lineage#' } },
      },
    },
    async (req) => lineageOf(db, req.design, req.caller, hooks.buildActivity),
  );

  app.get<{ Params: DesignParams; Querystring: CompareQuery }>(
    '/api/designs/:owner/:slug/compare',
    {
      schema: {
        tags: ['forks'],
        summary: 'Compare two versions of the family (X = 1.2.0 or owner/slug@1.2.0); format=md for a changelog',
        querystring: { $ref: 'compare-query#' },
        response: {
          200: jsonOrTextReply(
            'compare#',
            ['text/markdown'],
            'The comparison as JSON, or as a Markdown changelog (format=md)',
          ),
        },
      },
    },
    async (req, reply) => {
      const d = req.design;
      const from = await resolveCompareSide(db, d, req.query.from, req.caller);
      const to = await resolveCompareSide(db, d, req.query.to, req.caller);
      const result = await compareVersions(db, from, to, `/api/designs/${d.ownerHandle}/${d.slug}`, loadBom);
      if (req.query.format === 'md') return reply.type('text/markdown; charset=utf-8').send(compareMarkdown(result));
      return result;
    },
  );

  app.get<{ Params: DesignParams; Querystring: VisualDiffQuery }>(
    '/api/designs/:owner/:slug/compare/visual',
    {
      schema: {
        tags: ['forks'],
        summary:
          'Visual diff PNG of one CAD file between two versions (old-only red, new-only green); 202 while it is drawn',
        querystring: { $ref: 'visual-diff-query#' },
        response: {
          200: fileReply('image/png', 'The visual diff: old-only red, new-only green'),
          202: { $ref: 'job-pending#' },
          206: fileReply('image/png', 'The requested byte range of the visual diff'),
        },
      },
      // before the design is looked up: without the pipeline this route answers 503 whatever it names
      preHandler: async () => {
        if (!pipeline)
          throw new AppError('unavailable', msg('registry.noVisualDiffs'), {
            headers: { 'retry-after': '60' },
          });
      },
    },
    async (req, reply) => {
      const d = req.design;
      const from = await resolveCompareSide(db, d, req.query.from, req.caller);
      const to = await resolveCompareSide(db, d, req.query.to, req.caller);
      const before = await findFile(db, from.version, checkFilePath(req.query.path));
      const after = await findFile(db, to.version, checkFilePath(req.query.toPath ?? req.query.path));
      if (before.role !== 'cad' || after.role !== 'cad')
        throw new AppError('unprocessable', msg('registry.notAModel', { path: before.path }));
      const units = typeof to.version.manifest.units === 'string' ? to.version.manifest.units : undefined;
      const state = await requestVisualDiff(
        pipeline!.services,
        {
          designId: d.id,
          beforeSha256: before.sha256,
          afterSha256: after.sha256,
          beforePath: before.path,
          afterPath: after.path,
          units,
        },
        req.id,
      );
      if (state.state === 'failed')
        throw new AppError('unprocessable', msg('registry.visualDiffFailed', { why: String(state.error) }));
      if (state.state !== 'done')
        return reply
          .code(202)
          .header('retry-after', '1')
          .send({ state: state.state, job: `/api/jobs/${state.job}` });
      return sendDesignBlob(req, reply, blobs, {
        sha256: state.sha256,
        size: await blobSize(db, state.sha256),
        mediaType: 'image/png',
        filename: `${before.path.split('/').pop()}.diff.png`,
        immutable: true,
      });
    },
  );

  app.post<{ Params: DesignParams; Body: ProposalCreate }>(
    '/api/designs/:owner/:slug/proposals',
    {
      schema: {
        tags: ['proposals'],
        summary: "Propose a fork's version upstream (the fork's owner or maintainers)",
        body: { $ref: 'proposal-create#' },
        response: { 201: { $ref: 'proposal#' } },
      },
      config: { designAccess: 'writer' },
    },
    async (req, reply) => {
      const target = req.design;
      const p = await createProposal(db, target, requireWriter(req), req.body);
      proposalChanged(p.id, { kind: 'proposed' });
      return reply.code(201).send(await describeProposal(db, target, p, true));
    },
  );

  app.get<{ Params: DesignParams; Querystring: ProposalListQuery }>(
    '/api/designs/:owner/:slug/proposals',
    {
      schema: {
        tags: ['proposals'],
        summary: 'Proposals made to a design, newest first',
        querystring: { $ref: 'proposal-list-query#' },
        response: { 200: { $ref: 'proposal-list#' } },
      },
    },
    async (req) => listProposals(db, req.design, req.query.state),
  );

  app.get<{ Params: ProposalParams }>(
    '/api/designs/:owner/:slug/proposals/:id',
    {
      schema: {
        tags: ['proposals'],
        summary: 'A proposal with its comments and the compare from its base to the proposed version',
        params: proposalParams,
        response: { 200: { $ref: 'proposal#' } },
      },
    },
    async (req) => {
      const target = req.design;
      const p = await findProposal(db, target, req.params.id);
      const doc = await describeProposal(db, target, p, true);
      // a translation changes one file of a version of this design: nothing to compare (…/translation has its text)
      if (doc.kind === 'translation') return { ...doc, compare: null };
      const fromSide = await resolveCompareSide(db, target, doc.from!, req.caller);
      const base = await proposalBase(db, target, fromSide.version);
      const compare = base
        ? await compareVersions(
            db,
            { design: target, version: base, ref: base.version },
            fromSide,
            `/api/designs/${target.ownerHandle}/${target.slug}`,
            loadBom,
          )
        : null;
      return { ...doc, compare };
    },
  );

  app.post<{ Params: ProposalParams; Body: ProposalComment }>(
    '/api/designs/:owner/:slug/proposals/:id/comments',
    {
      schema: {
        tags: ['proposals'],
        summary: 'Comment on a proposal',
        params: proposalParams,
        body: { $ref: 'proposal-comment#' },
        response: { 201: { $ref: 'proposal-comment-view#' } },
      },
      config: { designAccess: 'writer' },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const target = req.design;
      const p = await findProposal(db, target, req.params.id);
      const comment = await addComment(db, p, caller, req.body.body);
      proposalChanged(p.id, { kind: 'commented', commentId: comment.id });
      return reply.code(201).send(comment);
    },
  );

  app.post<{ Params: ProposalParams; Body: ProposalAccept }>(
    '/api/designs/:owner/:slug/proposals/:id/accept',
    {
      schema: {
        tags: ['proposals'],
        summary:
          "Accept: the fork's version becomes a new upstream version with the number you choose; a translation, the next patch version (leads)",
        params: proposalParams,
        body: { $ref: 'proposal-accept#' },
        response: { 201: { $ref: 'proposal-accepted#' } },
      },
      config: { designAccess: 'writer' },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const target = req.design;
      const p = await findProposal(db, target, req.params.id);
      const { proposal, published } = await acceptProposal(publishDeps, target, p, caller, req.body);
      proposalChanged(p.id, { kind: 'decided' });
      return reply.code(201).send({
        proposal: await describeProposal(db, target, proposal, true),
        version: await describeVersion(db, target, published.version, hooks.versionSections),
      });
    },
  );

  app.post<{ Params: ProposalParams; Body: ProposalDecline }>(
    '/api/designs/:owner/:slug/proposals/:id/decline',
    {
      schema: {
        tags: ['proposals'],
        summary: 'Decline a proposal with a reason (leads)',
        params: proposalParams,
        body: { $ref: 'proposal-decline#' },
        response: { 200: { $ref: 'proposal#' } },
      },
      config: { designAccess: 'writer' },
    },
    async (req) => {
      const caller = requireWriter(req);
      const target = req.design;
      const p = await findProposal(db, target, req.params.id);
      const declined = await declineProposal(db, target, p, caller, req.body.reason);
      proposalChanged(p.id, { kind: 'decided' });
      return describeProposal(db, target, declined, true);
    },
  );

  app.get(
    '/api/me/feed',
    {
      schema: {
        tags: ['forks'],
        summary:
          'Your feed: upstream updates of your forks, new forks of and proposals to your designs, build reports on them',
        response: { 200: { $ref: 'feed#' } },
      },
    },
    async (req) => {
      return feedFor(db, requireCaller(req), hooks.buildActivity);
    },
  );
}
