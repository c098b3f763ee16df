// HTTP routes of the registry: designs, maintainers, versions (publish, list, read, yank), raw files.
import type { FastifyInstance } from 'fastify';
import { requireWriter } from '../accounts/auth.js';
import type { DesignCreate, DesignPatch, MaintainerAdd } from '../schema-types.js';
import {
  createDesign,
  describeDesign,
  findVisibleDesign,
  patchDesign,
  addMaintainer,
  removeMaintainer,
  requireLead,
} from './designs.js';
import { receivePublishParts, commitVersion } from './publish.js';
import { describeVersion, listVersions, resolveVersion, yankVersion, findFile } from './versions.js';
import { sendBlob } from './download.js';
import { checkFilePath } from './paths.js';
import { archiveFilename, versionArchive } from './archive.js';
import { exportOkhToml } from '../interop/export-okh.js';
import { okhExportInput } from '../interop/export-input.js';

const designParams = {
  type: 'object',
  required: ['owner', 'slug'],
  properties: { owner: { type: 'string', maxLength: 64 }, slug: { type: 'string', maxLength: 64 } },
} as const;
const versionParams = {
  type: 'object',
  required: ['owner', 'slug', 'version'],
  properties: { ...designParams.properties, version: { type: 'string', maxLength: 100 } },
} as const;
const fileParams = {
  type: 'object',
  required: ['owner', 'slug', 'version', '*'],
  properties: { ...versionParams.properties, '*': { type: 'string', minLength: 1, maxLength: 2048 } },
} as const;

type DesignParams = { owner: string; slug: string };
type VersionParams = DesignParams & { version: string };
type FileParams = VersionParams & { '*': string };

export async function registryRoutes(app: FastifyInstance) {
  const { db: database, blobs, config, hooks } = app.deps;
  const db = database.db;
  const designChanged = async (designId: string) => {
    for (const h of hooks.designChanged) await h(db, designId);
  };
  const publishDeps = { db, blobs, config, onPublished: hooks.onPublished, afterPublished: hooks.afterPublished };

  app.post<{ Body: DesignCreate }>(
    '/api/designs',
    {
      schema: { tags: ['designs'], summary: 'Create a design owned by the caller', body: { $ref: 'design-create#' } },
    },
    async (req, reply) => {
      const d = await createDesign(db, requireWriter(req), req.body);
      await designChanged(d.id);
      return reply.code(201).send(await describeDesign(db, d));
    },
  );

  app.get<{ Params: DesignParams }>(
    '/api/designs/:owner/:slug',
    {
      schema: { tags: ['designs'], summary: 'Read a design', params: designParams },
      config: { publicCache: true },
    },
    async (req) => describeDesign(db, await findVisibleDesign(db, req.params.owner, req.params.slug, req.caller)),
  );

  app.patch<{ Params: DesignParams; Body: DesignPatch }>(
    '/api/designs/:owner/:slug',
    {
      schema: {
        tags: ['designs'],
        summary: 'Edit a design (owner or maintainer)',
        params: designParams,
        body: { $ref: 'design-patch#' },
      },
    },
    async (req) => {
      const caller = requireWriter(req);
      const d = await findVisibleDesign(db, req.params.owner, req.params.slug, caller);
      const patched = await patchDesign(db, d, caller, req.body);
      await designChanged(d.id);
      return describeDesign(db, patched);
    },
  );

  app.post<{ Params: DesignParams; Body: MaintainerAdd }>(
    '/api/designs/:owner/:slug/maintainers',
    {
      schema: {
        tags: ['designs'],
        summary: 'Add a maintainer (owner only)',
        params: designParams,
        body: { $ref: 'maintainer-add#' },
      },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const d = await findVisibleDesign(db, req.params.owner, req.params.slug, caller);
      return reply.code(201).send({ maintainers: await addMaintainer(db, d, caller, req.body.handle) });
    },
  );

  app.delete<{ Params: DesignParams & { handle: string } }>(
    '/api/designs/:owner/:slug/maintainers/:handle',
    {
      schema: {
        tags: ['designs'],
        summary: 'Remove a maintainer (owner only)',
        params: {
          ...designParams,
          required: ['owner', 'slug', 'handle'],
          properties: { ...designParams.properties, handle: { type: 'string', maxLength: 64 } },
        },
      },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const d = await findVisibleDesign(db, req.params.owner, req.params.slug, caller);
      await removeMaintainer(db, d, caller, req.params.handle);
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
        params: designParams,
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const d = await findVisibleDesign(db, req.params.owner, req.params.slug, caller);
      await requireLead(db, d, caller); // refuse before reading a byte of someone else's upload
      const input = await receivePublishParts(req, blobs, config);
      const ctx = await commitVersion(publishDeps, d, caller, input);
      return reply.code(201).send(await describeVersion(db, d, ctx.version, hooks.versionSections));
    },
  );

  app.get<{ Params: DesignParams }>(
    '/api/designs/:owner/:slug/versions',
    {
      schema: { tags: ['versions'], summary: 'List the versions of a design', params: designParams },
      config: { publicCache: true },
    },
    async (req) => listVersions(db, await findVisibleDesign(db, req.params.owner, req.params.slug, req.caller)),
  );

  app.get<{ Params: VersionParams }>(
    '/api/designs/:owner/:slug/versions/:version',
    {
      schema: { tags: ['versions'], summary: 'The version document (`latest` accepted)', params: versionParams },
      config: { publicCache: true },
    },
    async (req) => {
      const d = await findVisibleDesign(db, req.params.owner, req.params.slug, req.caller);
      return describeVersion(db, d, await resolveVersion(db, d, req.params.version), hooks.versionSections);
    },
  );

  app.post<{ Params: VersionParams }>(
    '/api/designs/:owner/:slug/versions/:version/yank',
    {
      schema: {
        tags: ['versions'],
        summary: 'Yank a version: still downloadable, never latest',
        params: versionParams,
      },
    },
    async (req) => {
      const caller = requireWriter(req);
      const d = await findVisibleDesign(db, req.params.owner, req.params.slug, caller);
      await requireLead(db, d, caller);
      const v = await resolveVersion(db, d, req.params.version);
      await yankVersion(db, v);
      await designChanged(d.id);
      return describeVersion(db, d, await resolveVersion(db, d, v.version), hooks.versionSections);
    },
  );

  app.get<{ Params: FileParams }>(
    '/api/designs/:owner/:slug/versions/:version/files/*',
    {
      schema: { tags: ['versions'], summary: 'Download a file of a version (Range supported)', params: fileParams },
      compress: false, // a stored file goes out as stored: see sendBlob
    },
    async (req, reply) => {
      const d = await findVisibleDesign(db, req.params.owner, req.params.slug, req.caller);
      const v = await resolveVersion(db, d, req.params.version);
      const f = await findFile(db, v, checkFilePath(req.params['*']));
      return sendBlob(req, reply, blobs, {
        // a hidden design's files reach only its owner and admins: no shared cache may keep them
        isPublic: !d.hidden,
        sha256: f.sha256,
        size: f.size,
        mediaType: f.mediaType,
        filename: f.path.split('/').pop()!,
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
        params: versionParams,
      },
    },
    async (req, reply) => {
      const d = await findVisibleDesign(db, req.params.owner, req.params.slug, req.caller);
      const v = await resolveVersion(db, d, req.params.version);
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
