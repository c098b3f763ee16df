// HTTP routes of open manifests: import (OKH-LOSH, OKH v1, Kitspace, project zips), okh.toml and Kitspace export, and the
// blob look-up that lets a client skip files the server already holds.
import type { FastifyInstance } from 'fastify';
import { requireCaller, requireWriter } from '../accounts/auth.js';
import { msg, renderMessage } from '../errors.js';
import { replyLocale } from '../locales/reply-locale.js';
import type { BlobsExists, ExportQuery } from '../schema-types.js';
import { publishedBlobSizes } from '../registry/publish.js';
import { multipartParts, UploadIntake } from '../registry/intake.js';
import { intakeDeps } from '../hooks.js';
import { importLimit, receiveImportParts } from './tree.js';
import { importTree } from './import.js';
import { exportOkhToml } from './export-okh.js';
import { okhExportInput } from './export-input.js';
import { kitspaceArchive, kitspaceArchiveName } from './export-kitspace.js';
import { fileReply } from '../schemas.js';

export async function interopRoutes(app: FastifyInstance) {
  const { db: database, blobs, config, hooks } = app.deps;
  const db = database.db;
  const publishDeps = { db, blobs, config, onPublished: hooks.onPublished, afterPublished: hooks.afterPublished };

  app.post(
    '/api/import',
    {
      schema: {
        tags: ['import'],
        consumes: ['multipart/form-data'],
        summary:
          'Import designs from an OKH-LOSH okh.toml, an OKH v1 YAML manifest, a kitspace.yaml or a zip of a project (recognised by content)',
        response: { 201: { $ref: 'import-result#' } },
      },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const parts = multipartParts(req, msg('intake.import'), { fileSize: importLimit(config) });
      // the publish rate and the quota apply to imports as to the publishes they make (checked before storing)
      const intake = await UploadIntake.open(
        intakeDeps(app.deps),
        { accountId: caller.id, address: req.ip },
        { publishes: 1 },
      );
      const designs = await intake.run(async () =>
        importTree(publishDeps, caller, await receiveImportParts(parts, intake, config)),
      );
      // the warnings stay an array of strings (contract), worded in the request's language
      const locale = replyLocale(req, reply);
      return reply.code(201).send({
        designs: designs.map((d) => ({ ...d, warnings: d.warnings.map((w) => renderMessage(w, locale)) })),
      });
    },
  );

  app.get<{ Params: { owner: string; slug: string; version: string } }>(
    '/api/designs/:owner/:slug/versions/:version/okh.toml',
    {
      schema: {
        tags: ['versions'],
        summary: 'The version as an OKH-LOSH manifest (okh.toml)',
        response: { 200: fileReply('application/toml', 'The OKH-LOSH manifest') },
      },
    },
    async (req, reply) => {
      const { design: d, version: v } = req;
      reply.type('application/toml; charset=utf-8').header('content-disposition', 'attachment; filename="okh.toml"');
      return exportOkhToml(await okhExportInput(db, d, v, config.publicUrl));
    },
  );

  app.get<{ Params: { owner: string; slug: string; version: string }; Querystring: ExportQuery }>(
    '/api/designs/:owner/:slug/versions/:version/export',
    {
      schema: {
        tags: ['versions'],
        summary: "The version as another tool's project: format=kitspace gives a Kitspace project zip (kitspace.yaml)",
        querystring: { $ref: 'export-query#' },
        response: { 200: fileReply('application/zip', 'The project zip') },
      },
    },
    async (req, reply) => {
      const { design: d, version: v } = req;
      reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${kitspaceArchiveName(d, v)}"`)
        .header('cache-control', 'public, max-age=60');
      return reply.send(await kitspaceArchive(db, blobs, d, v));
    },
  );

  app.post<{ Body: BlobsExists }>(
    '/api/blobs/exists',
    {
      schema: {
        tags: ['versions'],
        summary: 'Which of these sha256s a published version already holds (to skip re-sending them)',
        body: { $ref: 'blobs-exists#' },
        response: { 200: { $ref: 'blobs-present#' } },
      },
    },
    async (req) => {
      requireCaller(req);
      const sizes = await publishedBlobSizes(db, req.body.sha256s);
      return { present: req.body.sha256s.filter((s) => sizes.has(s)) };
    },
  );
}
