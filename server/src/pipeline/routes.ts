// HTTP routes of the pipeline: jobs, live events (SSE), previews (served or rendered on demand), reprocess.
import type { FastifyInstance } from 'fastify';
import { AppError, msg, notFound } from '../errors.js';
import { findFile } from '../registry/versions.js';
import { checkFilePath } from '../registry/paths.js';
import { sendDesignBlob } from '../registry/download.js';
import { blobSize } from '../registry/blobs.js';
import { findJob, latestJobOf, pendingReplyBody } from './queue.js';
import { findDerivative, saveDerivative } from './derivatives.js';
import { RENDERER_VERSION, type PreviewSize } from '../render/preview.js';
import { thumbnailRoutes } from './thumbnail-routes.js';
import { fileSource, previewDerivativeKey } from './jobs/process-file.js';
import { eventStreamLimits } from './event-streams.js';
import { eventStreamReply, fileReply } from '../schemas.js';
import { designVisibility, jobVisibility, mayView, type Visibility } from './visibility.js';
import type { PipelineEvent } from '../events.js';
import { requireCaller } from '../accounts/auth.js';
import { issueEventTicket, resolveEventTicket } from '../accounts/event-tickets.js';
import { unreadCount } from '../notifications/inbox.js';

const previewSizes: PreviewSize[] = [128, 256, 512, 1024];

export async function pipelineRoutes(app: FastifyInstance) {
  const { db: database, blobs, events } = app.deps;
  const db = database.db;
  const streams = eventStreamLimits(app.deps.config.eventStreamsPerAddress, app.deps.config.eventStreamsMax);
  const eventVisibility = new WeakMap<PipelineEvent, Promise<Visibility>>();
  const visibilityOf = (e: PipelineEvent) => {
    let v = eventVisibility.get(e);
    if (!v) eventVisibility.set(e, (v = designVisibility(db, e.design)));
    return v;
  };

  app.get<{ Params: { id: string } }>(
    '/api/jobs/:id',
    {
      schema: {
        tags: ['pipeline'],
        summary: 'A pipeline job: state, attempts, progress, error',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 200: { $ref: 'job#' } },
      },
    },
    async (req) => {
      const job = await findJob(db, req.params.id);
      // a hidden design's job answers as if it did not exist, like the design itself
      if (!job || !mayView(await jobVisibility(db, job), req.caller))
        throw notFound(msg('notFound.job', { id: req.params.id }));
      return {
        id: job.id,
        kind: job.kind,
        state: job.state,
        attempts: job.attempts,
        maxAttempts: job.maxAttempts,
        progress: job.progress,
        error: job.error,
        result: job.result,
        createdAt: job.createdAt.toISOString(),
        updatedAt: job.updatedAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/events/tickets',
    {
      schema: {
        tags: ['pipeline'],
        summary: 'A short-lived ticket that opens /api/events as you (EventSource cannot send an Authorization header)',
        response: { 201: { $ref: 'event-ticket#' } },
      },
    },
    async (req, reply) => reply.code(201).send(await issueEventTicket(db, requireCaller(req))),
  );

  app.get<{ Querystring: { design?: string; ticket?: string; only?: 'notifications' } }>(
    '/api/events',
    {
      schema: {
        tags: ['pipeline'],
        summary: 'Server-Sent Events with pipeline progress, optionally for one design (owner/slug)',
        querystring: {
          type: 'object',
          properties: {
            design: { type: 'string', pattern: '^[^/]+/[^/]+$' },
            ticket: { type: 'string', maxLength: 200, description: 'from POST /api/events/tickets: see as its maker' },
            only: {
              type: 'string',
              enum: ['notifications'],
              description:
                'no pipeline events: only the signed-in reader’s own `notification` events (the header’s bell)',
            },
          },
        },
        response: {
          200: eventStreamReply(
            'Events `hello` (data {design}), then each pipeline event its type names, data the event as JSON; `notification` (data {unread}) when a signed-in reader (ticket) is notified; `: keep-alive` comments every 15 s',
          ),
        },
      },
    },
    async (req, reply) => {
      const wanted = req.query.design;
      let caller = req.caller;
      if (req.query.ticket) {
        caller = await resolveEventTicket(db, req.query.ticket);
        if (!caller) throw new AppError('unauthenticated', msg('pipeline.badTicket'));
      }
      const release = streams.open(req.ip);
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      reply.raw.write(`event: hello\ndata: ${JSON.stringify({ design: wanted ?? null })}\n\n`);
      // in order: each event waits for its design's visibility, looked up once for all connections
      let queue = Promise.resolve();
      const unsubscribe = events.subscribe((e) => {
        if ((wanted && e.design !== wanted) || req.query.only) return;
        queue = queue
          .then(() => visibilityOf(e))
          .then((v) => {
            if (mayView(v, caller)) reply.raw.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
          })
          .catch((err) => req.log.warn({ err }, 'event visibility'));
      });
      // a signed-in reader's own notifications: `notification` with their unread count, when someone tells them
      const me = caller?.id;
      const unsubscribeNotified = me
        ? events.onNotified((told) => {
            if (!told.includes(me)) return;
            queue = queue
              .then(() => unreadCount(db, me))
              .then((unread) => {
                reply.raw.write(`event: notification\ndata: ${JSON.stringify({ unread })}\n\n`);
              })
              .catch((err) => req.log.warn({ err }, 'notification count'));
          })
        : () => undefined;
      const heartbeat = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
      req.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribeNotified();
        unsubscribe();
        release();
      });
    },
  );

  app.get<{
    Params: { owner: string; slug: string; version: string; '*': string };
    Querystring: { size: PreviewSize; format: 'png' | 'webp' | 'glb' };
  }>(
    '/api/designs/:owner/:slug/versions/:version/previews/*',
    {
      schema: {
        tags: ['pipeline'],
        summary:
          'The preview image of a file, or its 3D model for the viewer (format=glb); 202 while the pipeline is still working',
        querystring: {
          type: 'object',
          properties: {
            size: { type: 'integer', enum: previewSizes, default: 512 },
            format: { type: 'string', enum: ['png', 'webp', 'glb'], default: 'png' },
          },
        },
        response: {
          200: fileReply(['image/png', 'image/webp', 'model/gltf-binary'], 'The preview in the format asked for'),
          202: { $ref: 'job-pending#' },
          206: fileReply(['image/png', 'image/webp', 'model/gltf-binary'], 'The requested byte range of the preview'),
        },
      },
      compress: false, // a stored file goes out as stored: see sendBlob
    },
    async (req, reply) => {
      const v = req.version;
      const f = await findFile(db, v, checkFilePath(req.params['*']));
      const { size, format } = req.query;
      const sendPreview = async (sha: string) => {
        return sendDesignBlob(req, reply, blobs, {
          sha256: sha,
          size: await blobSize(db, sha),
          mediaType: `image/${format}`,
          filename: `${f.path.split('/').pop()}.${size}.${format}`,
          immutable: true,
        });
      };
      const key = previewDerivativeKey(f.sha256, format, size);
      if (f.state === 'queued' || f.state === 'running') {
        // drawn already (the facts of a large mesh come after its pictures), or these bytes were processed before
        const early = format === 'glb' ? undefined : await findDerivative(db, key);
        if (early?.sha256) return sendPreview(early.sha256);
        const job = await latestJobOf(db, f.id);
        reply.code(202).header('retry-after', '1');
        return pendingReplyBody(f.state, job);
      }
      if (f.state === 'failed') throw new AppError('unprocessable', msg('pipeline.noPreview', { why: f.error ?? '' }));
      if (format === 'glb') {
        const glb = await findDerivative(db, {
          subjectKey: f.sha256,
          rendererVersion: RENDERER_VERSION,
          kind: 'mesh-glb',
        });
        if (!glb?.sha256) {
          // made just after the previews, in the same job: still coming while that job runs
          const running = await latestJobOf(db, f.id, { pending: true });
          if (running) {
            reply.code(202).header('retry-after', '1');
            return pendingReplyBody('running', running);
          }
          throw notFound(msg('notFound.model3d', { path: f.path }));
        }
        return sendDesignBlob(req, reply, blobs, {
          sha256: glb.sha256,
          size: await blobSize(db, glb.sha256),
          mediaType: 'model/gltf-binary',
          filename: `${f.path.split('/').pop()}.glb`,
          immutable: true,
        });
      }
      let derivative = await findDerivative(db, key);
      if (!derivative) {
        if (!f.previews) throw notFound(msg('notFound.preview', { path: f.path }));
        // another size than the pipeline made: render it now, store it like the others
        const units = typeof v.manifest?.units === 'string' ? v.manifest.units : undefined;
        const result = await app.deps.pipeline!.pool.processFile({
          ...(await fileSource({ blobs }, f.sha256)),
          filename: f.path,
          units,
          sizes: [size],
          formats: [format],
        });
        if (!result.ok || !result.previews[0])
          throw new AppError('unprocessable', result.ok ? msg('pipeline.notDrawn') : result.message);
        const blob = await blobs.putBuffer(result.previews[0].bytes);
        await saveDerivative(db, key, blob);
        derivative = await findDerivative(db, key);
      }
      return sendPreview(derivative!.sha256!);
    },
  );

  await app.register(thumbnailRoutes);

  app.post<{ Params: { owner: string; slug: string; version: string } }>(
    '/api/designs/:owner/:slug/versions/:version/reprocess',
    {
      schema: {
        tags: ['pipeline'],
        summary: 'Run a version through the pipeline again (owner or maintainer)',
        response: { 202: { $ref: 'job-started#' } },
      },
      config: { designAccess: 'lead' },
    },
    async (req, reply) => {
      const id = await app.deps.pipeline!.reprocessVersion(req.version.id);
      return reply.code(202).send({ job: `/api/jobs/${id}` });
    },
  );
}
