// HTTP routes of a version's translated instructions: one translation with its text, and, when the README
// changed since it was made, what changed in the source side by side.
import type { FastifyInstance } from 'fastify';
import { msg, notFound } from '../errors.js';
import type { DesignParams } from '../schema-types.js';
import { versionTranslation } from './translations.js';
import { sideBySide } from './text-diff.js';

type TranslationParams = DesignParams & { version: string; lang: string };

export async function translationRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;

  app.get<{ Params: TranslationParams }>(
    '/api/designs/:owner/:slug/versions/:version/translations/:lang',
    {
      schema: {
        tags: ['versions'],
        summary:
          'One translation of a version’s instructions: its Markdown, the source it was made from, whether it is stale, and (stale) what changed in the source since, side by side',
        params: {
          type: 'object',
          required: ['lang'],
          properties: { lang: { type: 'string', minLength: 2, maxLength: 35, pattern: '^[A-Za-z0-9-]+$' } },
        },
        response: { 200: { $ref: 'translation-document#' } },
      },
      config: { publicCache: true },
    },
    async (req) => {
      const v = req.version;
      const t = await versionTranslation(db, v, req.params.lang);
      if (!t) throw notFound(msg('notFound.translation', { version: v.version, lang: req.params.lang }));
      const { sourceBefore, sourceNow, ...doc } = t;
      return {
        ...doc,
        ...(sourceBefore !== undefined && sourceNow !== undefined && t.follows
          ? { sourceChanges: { from: t.follows, to: v.version, rows: sideBySide(sourceBefore, sourceNow) } }
          : {}),
      };
    },
  );
}
