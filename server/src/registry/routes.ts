// HTTP routes of the registry: designs, maintainers, versions (publish, list, read, yank), raw files.
import type { FastifyInstance } from 'fastify';
import { requireWriter } from '../accounts/auth.js';
import type { DesignCreate, DesignParams, DesignPatch, MaintainerAdd } from '../schema-types.js';
import { createDesign, describeDesign, patchDesign, addMaintainer, removeMaintainer } from './designs.js';
import { receivePublishParts, commitVersion } from './publish.js';
import { multipartParts, UploadIntake } from './intake.js';
import { intakeDeps } from '../hooks.js';
import { describeVersion, listVersions, resolveVersion, yankVersion, findFile } from './versions.js';
import { sendDesignBlob } from './download.js';
import { countDownloads } from './downloads.js';
import { describeFile } from './media.js';
import { msg, notFound } from '../errors.js';
import { checkFilePath } from './paths.js';
import { archiveFilename, versionArchive } from './archive.js';
import { exportOkhToml } from '../interop/export-okh.js';
import { fileReply, noContentReply } from '../schemas.js';
import { okhExportInput } from '../interop/export-input.js';

// owner, slug and version: their schema and the design and version behind them come from design-route.ts
const fileParams = {
  type: 'object',
  required: ['*'],
  properties: { '*': { type: 'string', minLength: 1, maxLength: 2048 } },
} as const;

type VersionParams = DesignParams & { version: string };
type FileParams = VersionParams & { '*': string };

export async function registryRoutes(app: FastifyInstance) {
  const { db: database, blobs, config, hooks, downloads } = app.deps;
  const db = database.db;
  const publishDeps = { db, blobs, config, onPublished: hooks.onPublished, afterPublished: hooks.afterPublished };

  app.post<{ Body: DesignCreate }>(
    '/api/designs',
    {
      schema: {
        tags: ['designs'],
        summary: 'Create a design owned by the caller',
        body: { $ref: 'design-create#' },
        response: { 201: { $ref: 'design#' } },
      },
    },
    async (req, reply) => {
      const d = await createDesign(db, requireWriter(req), req.body, hooks.designChanged);
      return reply.code(201).send(await describeDesign(db, d));
    },
  );

  app.get<{ Params: DesignParams }>(
    '/api/designs/:owner/:slug',
    {
      schema: { tags: ['designs'], summary: 'Read a design', response: { 200: { $ref: 'design#' } } },
      config: { publicCache: true },
    },
    async (req) => {
      const doc = await describeDesign(db, req.design);
      // what the signed-in reader did (starred, watching): such a read is never cached (see response-cache.ts)
      if (!req.caller) return doc;
      const mine = await Promise.all(hooks.designViewer.map((of) => of(db, req.design.id, req.caller!.id)));
      return Object.assign(doc, ...mine);
    },
  );

  app.patch<{ Params: DesignParams; Body: DesignPatch }>(
    '/api/designs/:owner/:slug',
    {
      schema: {
        tags: ['designs'],
        summary: 'Edit a design (owner or maintainer)',
        body: { $ref: 'design-patch#' },
        response: { 200: { $ref: 'design#' } },
      },
      config: { designAccess: 'writer', changesDesign: true },
    },
    async (req) => {
      const patched = await patchDesign(db, req.design, requireWriter(req), req.body, hooks.designChanged);
      for (const edited of hooks.designEdited) edited(patched, req.design);
      return describeDesign(db, patched);
    },
  );

  app.post<{ Params: DesignParams; Body: MaintainerAdd }>(
    '/api/designs/:owner/:slug/maintainers',
    {
      schema: {
        tags: ['designs'],
        summary: 'Add a maintainer (owner only)',
        body: { $ref: 'maintainer-add#' },
        response: { 201: { $ref: 'maintainers#' } },
      },
      config: { designAccess: 'writer', changesDesign: true },
    },
    async (req, reply) => {
      const maintainers = await addMaintainer(db, req.design, requireWriter(req), req.body.handle);
      return reply.code(201).send({ maintainers });
    },
  );

  app.delete<{ Params: DesignParams & { handle: string } }>(
    '/api/designs/:owner/:slug/maintainers/:handle',
    {
      schema: {
        tags: ['designs'],
        summary: 'Remove a maintainer (owner only)',
        params: { type: 'object', required: ['handle'], properties: { handle: { type: 'string', maxLength: 64 } } },
        response: { 204: noContentReply },
      },
      config: { designAccess: 'writer', changesDesign: true },
    },
    async (req, reply) => {
      await removeMaintainer(db, req.design, requireWriter(req), req.params.handle);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: DesignParams }>(
    '/api/designs/:owner/:slug/versions',
    {
      schema: {
        tags: ['versions'],
        summary:
          'Publish a version: multipart with a manifest field, an optional bom part and files parts; existing [{path, sha256}] and existingBom {path, sha256} keep stored files and a stored BOM without resending them',
        consumes: ['multipart/form-data'],
        response: { 201: { $ref: 'version-document#' } },
      },
      // refused before reading a byte of someone else's upload; the cached documents of this design alone change
      config: { designAccess: 'lead', changesDesign: true },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const d = req.design;
      const parts = multipartParts(req, msg('intake.publish'));
      const intake = await UploadIntake.open(
        intakeDeps(app.deps),
        { accountId: caller.id, address: req.ip },
        { publishes: 1 },
      );
      const ctx = await intake.run(async () =>
        commitVersion(
          publishDeps,
          d,
          caller,
          await receivePublishParts(parts, intake, { db, blobs, config, fileStored: hooks.fileStored }),
        ),
      );
      return reply.code(201).send(await describeVersion(db, d, ctx.version, hooks.versionSections));
    },
  );

  app.get<{ Params: DesignParams }>(
    '/api/designs/:owner/:slug/versions',
    {
      schema: {
        tags: ['versions'],
        summary: 'List the versions of a design',
        response: { 200: { $ref: 'version-list#' } },
      },
      config: { publicCache: true },
    },
    async (req) => listVersions(db, req.design),
  );

  app.get<{ Params: VersionParams }>(
    '/api/designs/:owner/:slug/versions/:version',
    {
      schema: {
        tags: ['versions'],
        summary: 'The version document (`latest` accepted)',
        response: { 200: { $ref: 'version-document#' } },
      },
      config: { publicCache: true },
    },
    async (req) => describeVersion(db, req.design, req.version, hooks.versionSections, downloads),
  );

  app.post<{ Params: VersionParams }>(
    '/api/designs/:owner/:slug/versions/:version/yank',
    {
      schema: {
        tags: ['versions'],
        summary: 'Yank a version: still downloadable, never latest',
        response: { 200: { $ref: 'version-document#' } },
      },
      config: { designAccess: 'lead', changesDesign: true },
    },
    async (req) => {
      const { design: d, version: v } = req;
      await yankVersion(db, v, hooks.designChanged);
      for (const yanked of hooks.versionYanked) yanked(d, v.version);
      return describeVersion(db, d, await resolveVersion(db, d, v.version), hooks.versionSections, downloads);
    },
  );

  app.get<{ Params: FileParams }>(
    '/api/designs/:owner/:slug/versions/:version/files/*',
    {
      schema: {
        tags: ['versions'],
        summary: 'Download a file of a version (Range supported)',
        params: fileParams,
        response: {
          200: fileReply('application/octet-stream', 'The file as stored, with the media type of its name'),
          206: fileReply('application/octet-stream', 'The requested byte range of the file'),
        },
      },
      compress: false, // a stored file goes out as stored: see sendBlob
      onSend: countDownloads(downloads, 'file', (req) => checkFilePath((req.params as FileParams)['*'])),
    },
    async (req, reply) => {
      const f = await findFile(db, req.version, checkFilePath(req.params['*']));
      return sendDesignBlob(req, reply, blobs, {
        sha256: f.sha256,
        size: f.size,
        mediaType: f.mediaType,
        filename: f.path.split('/').pop()!,
        immutable: req.params.version !== 'latest',
      });
    },
  );

  // the saved BOM's own bytes (its sha256 is the version document's bom.sha256): what another instance mirrors
  app.get<{ Params: VersionParams }>(
    '/api/designs/:owner/:slug/versions/:version/bom/source',
    {
      schema: {
        tags: ['versions'],
        summary: 'Download the BOM file of a version as it was published (Range supported)',
        response: {
          200: fileReply('application/octet-stream', 'The BOM as published, its bytes hashing to bom.sha256'),
          206: fileReply('application/octet-stream', 'The requested byte range of the BOM'),
        },
      },
      compress: false,
    },
    async (req, reply) => {
      const v = req.version;
      const stat = v.bomBlob ? await blobs.stat(v.bomBlob) : undefined;
      if (!v.bomBlob || !stat) throw notFound(msg('notFound.versionBom', { version: v.version }));
      const filename = v.bomFilename ?? 'bom.csv';
      return sendDesignBlob(req, reply, blobs, {
        sha256: v.bomBlob,
        size: stat.size,
        mediaType: describeFile(filename).mediaType,
        filename,
        immutable: req.params.version !== 'latest',
      });
    },
  );

  app.get<{ Params: VersionParams }>(
    '/api/designs/:owner/:slug/versions/:version/archive.zip',
    {
      schema: {
        tags: ['versions'],
        summary: 'The whole version as a zip: manifest.json, files/, bom/ (streamed)',
        response: { 200: fileReply('application/zip', 'The version archive') },
      },
      onSend: countDownloads(downloads, 'archive'),
    },
    async (req, reply) => {
      const { design: d, version: v } = req;
      reply.type('application/zip').header('content-disposition', `attachment; filename="${archiveFilename(d, v)}"`);
      reply.header(
        'cache-control',
        req.params.version === 'latest' ? 'public, max-age=60' : 'public, max-age=31536000, immutable',
      );
      return reply.send(
        await versionArchive(db, blobs, d, v, async (layout) =>
          exportOkhToml(await okhExportInput(db, d, v, config.publicUrl), layout),
        ),
      );
    },
  );
}
