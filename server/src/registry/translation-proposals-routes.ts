// HTTP routes of translation proposals: propose a translation of a version's README (anyone signed in), and read
// the proposed Markdown. Listing, comments, accept and decline are the proposals' own routes (forks-routes.ts).
import type { FastifyInstance } from 'fastify';
import { requireWriter } from '../accounts/auth.js';
import { msg, notFound } from '../errors.js';
import type { DesignParams, TranslationProposalCreate } from '../schema-types.js';
import { fileReply } from '../schemas.js';
import { describeProposal, findProposal } from './proposals.js';
import { proposeTranslation, translationText } from './translation-proposals.js';

type VersionParams = DesignParams & { version: string };
type ProposalParams = DesignParams & { id: string };

export async function translationProposalRoutes(app: FastifyInstance) {
  const { db: database, blobs, hooks } = app.deps;
  const db = database.db;

  app.post<{ Params: VersionParams; Body: TranslationProposalCreate }>(
    '/api/designs/:owner/:slug/versions/:version/translations',
    {
      schema: {
        tags: ['proposals'],
        summary:
          'Propose a translation of a version’s instructions (anyone signed in); the design’s leads accept it into a new patch version',
        body: { $ref: 'translation-proposal-create#' },
        response: { 201: { $ref: 'proposal#' } },
      },
      // a mirrored design is refused with its home: translations are proposed where the design is published
      config: { designAccess: 'writer' },
    },
    async (req, reply) => {
      const target = req.design;
      const p = await proposeTranslation({ db, blobs }, target, req.version, requireWriter(req), req.body);
      for (const told of hooks.proposalChanged) told(p.id, { kind: 'proposed' });
      return reply.code(201).send(await describeProposal(db, target, p, true));
    },
  );

  app.get<{ Params: ProposalParams }>(
    '/api/designs/:owner/:slug/proposals/:id/translation',
    {
      schema: {
        tags: ['proposals'],
        summary:
          'The Markdown a translation proposal carries, front matter included (what the new version’s file holds)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 200: fileReply('text/markdown', 'The proposed translation') },
      },
    },
    async (req, reply) => {
      const p = await findProposal(db, req.design, req.params.id);
      const text = await translationText(blobs, p);
      if (text === undefined) throw notFound(msg('translationProposals.notATranslation', { id: p.id }));
      return reply.type('text/markdown; charset=utf-8').send(text);
    },
  );
}
