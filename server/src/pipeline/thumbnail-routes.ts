// HTTP routes of a version's combined pictures: the design-card thumbnail and the whole-version GLB.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError, msg, notFound } from '../errors.js';
import { filesOf, type VersionRow } from '../registry/versions.js';
import { sendDesignBlob } from '../registry/download.js';
import { blobSize } from '../registry/blobs.js';
import { findDerivative, type DerivativeKey } from './derivatives.js';
import { enqueue } from './queue.js';
import { fileReply } from '../schemas.js';
import {
  drawableFiles,
  pendingThumbnailJob,
  thumbnailKey,
  thumbnailSubject,
  versionGlbKey,
} from './jobs/version-thumbnail.js';

type Params = { owner: string; slug: string; version: string };

export async function thumbnailRoutes(app: FastifyInstance) {
  const { db: database, blobs } = app.deps;
  const db = database.db;

  /**
   * The derivative of the version's drawable CAD files, or an answer saying why there is none yet:
   * 202 while files or the thumbnail job are pending (a missing job is enqueued: versions published
   * before thumbnails existed heal themselves), 404 when the version has no CAD file to draw.
   */
  async function versionDerivative(
    v: VersionRow,
    reply: FastifyReply,
    key: (subject: string) => DerivativeKey,
  ): Promise<{ sha256: string } | { state: 'running' | 'queued'; job?: string }> {
    const files = await filesOf(db, v.id);
    if (!files.some((f) => f.role === 'cad')) throw notFound(msg('notFound.cadFile', { version: v.version }));
    const waiting = () => reply.code(202).header('retry-after', '1');
    if (files.some((f) => f.role === 'cad' && (f.state === 'queued' || f.state === 'running'))) {
      waiting();
      return { state: 'running' as const };
    }
    const drawable = drawableFiles(files);
    if (drawable.length === 0) throw new AppError('unprocessable', msg('pipeline.noneDrawn', { version: v.version }));
    const found = await findDerivative(db, key(thumbnailSubject(drawable)));
    if (found?.sha256) return { sha256: found.sha256 };
    let job = await pendingThumbnailJob(db, v.id);
    if (!job) {
      job = await enqueue(db, 'version-thumbnail', { versionId: v.id }, { subject: v.id, requestId: reply.request.id });
      app.deps.pipeline?.wake();
    }
    waiting();
    return { state: 'queued' as const, job: `/api/jobs/${job}` };
  }

  app.get<{ Params: Params; Querystring: { size: 256 | 512; format: 'png' | 'webp' } }>(
    '/api/designs/:owner/:slug/versions/:version/thumbnail',
    {
      schema: {
        tags: ['pipeline'],
        summary: 'All CAD parts of a version in one picture (the design card); 202 while it is being made',
        querystring: {
          type: 'object',
          properties: {
            size: { type: 'integer', enum: [256, 512], default: 512 },
            format: { type: 'string', enum: ['png', 'webp'], default: 'png' },
          },
        },
        response: {
          200: fileReply(['image/png', 'image/webp'], 'The thumbnail in the format asked for'),
          202: { $ref: 'job-pending#' },
          206: fileReply(['image/png', 'image/webp'], 'The requested byte range of the thumbnail'),
        },
      },
    },
    async (req, reply) => {
      const { design: d, version: v } = req;
      const { size, format } = req.query;
      const found = await versionDerivative(v, reply, (subject) => thumbnailKey(subject, size, format));
      if (!('sha256' in found)) return found;
      return sendDesignBlob(req, reply, blobs, {
        sha256: found.sha256,
        size: await blobSize(db, found.sha256),
        mediaType: `image/${format}`,
        filename: `${d.slug}-${v.version}.${size}.${format}`,
        immutable: req.params.version !== 'latest',
      });
    },
  );

  app.get<{ Params: Params }>(
    '/api/designs/:owner/:slug/versions/:version/model.glb',
    {
      schema: {
        tags: ['pipeline'],
        summary:
          'All CAD parts of a version as one GLB (in place when they share coordinates, else side by side); 202 while it is being made',
        response: {
          200: fileReply('model/gltf-binary', 'The version as one binary glTF'),
          202: { $ref: 'job-pending#' },
          206: fileReply('model/gltf-binary', 'The requested byte range of the GLB'),
        },
      },
      compress: false, // a stored file goes out as stored: see sendBlob
    },
    async (req, reply) => {
      const { design: d, version: v } = req;
      const found = await versionDerivative(v, reply, versionGlbKey);
      if (!('sha256' in found)) return found;
      return sendDesignBlob(req, reply, blobs, {
        sha256: found.sha256,
        size: await blobSize(db, found.sha256),
        mediaType: 'model/gltf-binary',
        filename: `${d.slug}-${v.version}.glb`,
        immutable: req.params.version !== 'latest',
      });
    },
  );
}
