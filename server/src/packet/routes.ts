// HTTP routes of the build packet: packet.pdf (202 with the job while it is made, then the PDF) and packet.zip.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { AppError, msg } from '../errors.js';
import type { DesignRow } from '../registry/designs.js';
import type { VersionRow } from '../registry/versions.js';
import { bomSummary } from '../bom/store.js';
import type { Executor } from '../db/client.js';
import type { DesignParams, PacketQuery } from '../schema-types.js';
import {
  requestPacket,
  type PacketRequester,
  type PacketState,
  type PacketSubject,
} from '../pipeline/jobs/packet-pdf.js';
import type { PipelineServices } from '../pipeline/services.js';
import { packetFilename, packetOptionsFromQuery, type PacketOptions } from './options.js';
import { fieldStamp } from './field-source.js';
import { packetZip } from './zip.js';
import { countDownloads } from '../registry/downloads.js';
import { fileReply } from '../schemas.js';

type VersionParams = DesignParams & { version: string };

/** How long `?wait=1` holds the request for the packet. */
const WAIT_MS = 30_000;
const POLL_MS = 150;

async function packetSubject(
  db: Executor,
  d: DesignRow,
  v: VersionRow,
  options: PacketOptions,
): Promise<PacketSubject> {
  const bom = await bomSummary(db, v.id);
  return {
    owner: d.ownerHandle,
    slug: d.slug,
    version: v.version,
    versionId: v.id,
    bomChecksum: bom?.checksum ?? null,
    options,
    fieldStamp: await fieldStamp(db, v.id, options.region),
  };
}

async function awaitPacket(
  s: PipelineServices,
  subject: PacketSubject,
  requester: PacketRequester,
  waitMs: number,
): Promise<PacketState> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const state = await requestPacket(s, subject, requester);
    if (state.state === 'done' || state.state === 'failed' || state.state === 'limited' || Date.now() >= deadline)
      return state;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const disposition = (filename: string) =>
  `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

export async function packetRoutes(app: FastifyInstance) {
  const { db: database, blobs, config } = app.deps;
  const db = database.db;
  // requests without a token, per address, across packet.pdf and packet.zip (a browser polls a 202 every 2 s)
  const perMinute = config.packetRequestsPerMinute;
  const anonymousLimit =
    perMinute > 0
      ? {
          rateLimit: {
            max: perMinute,
            timeWindow: '1 minute',
            groupId: 'packet',
            allowList: (req: FastifyRequest) => req.caller !== undefined,
            errorResponseBuilder: (_req: FastifyRequest, ctx: { ttl: number }) => {
              const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
              return new AppError('too-many-requests', msg('packet.perMinute', { limit: perMinute, seconds }), {
                headers: { 'retry-after': String(seconds) },
              });
            },
          },
        }
      : {};

  /** Before the design is looked up: without the pipeline a packet route answers 503 whatever it names. */
  const requirePipeline: preHandlerHookHandler = async () => {
    if (!app.deps.pipeline)
      throw new AppError('unavailable', msg('packet.noPipeline'), {
        headers: { 'retry-after': '60' },
      });
  };

  /** The packet for the request's version and options: its state, or an answer already sent (202, problem). */
  async function packetFor(
    req: FastifyRequest<{ Params: VersionParams; Querystring: PacketQuery }>,
    reply: FastifyReply,
  ) {
    const pipeline = app.deps.pipeline!; // checked by requirePipeline
    const { design: d, version: v } = req;
    const options = packetOptionsFromQuery(req.query, req.headers['accept-language']);
    // without ?lang= the language comes from Accept-Language: caches keep one answer per language (the 202's job too)
    if (req.query.lang === undefined) reply.header('vary', 'Accept-Language');
    const state = await awaitPacket(
      pipeline.services,
      await packetSubject(db, d, v, options),
      { anonymous: req.caller === undefined, variantsPerHour: config.packetVariantsPerHour, requestId: req.id },
      req.query.wait ? WAIT_MS : 0,
    );
    if (state.state === 'limited')
      throw new AppError(
        'too-many-requests',
        msg('packet.variantsPerHour', { version: v.version, n: state.perHour, seconds: state.retryAfterSeconds }),
        { headers: { 'retry-after': String(state.retryAfterSeconds) } },
      );
    if (state.state === 'failed')
      throw new AppError('unprocessable', msg('packet.failed', { why: state.error }), {
        extra: { job: `/api/jobs/${state.job}` },
      });
    if (state.state !== 'done') {
      reply.code(202).header('retry-after', '2').header('location', `/api/jobs/${state.job}`);
      return { d, v, options, state, answer: { state: state.state, job: `/api/jobs/${state.job}` } };
    }
    const cache = req.params.version === 'latest' ? 'public, max-age=60' : 'public, max-age=31536000, immutable';
    reply
      .header('cache-control', cache)
      .header('x-content-type-options', 'nosniff')
      .header('content-language', options.lang);

    return { d, v, options, state };
  }

  app.get<{ Params: VersionParams; Querystring: PacketQuery }>(
    '/api/designs/:owner/:slug/versions/:version/packet.pdf',
    {
      schema: {
        tags: ['packet'],
        summary: 'The build packet of a version as a PDF: 202 with the job while it is made (or ?wait=1), then the PDF',
        querystring: { $ref: 'packet-query#' },
        response: { 200: fileReply('application/pdf', 'The build packet'), 202: { $ref: 'job-pending#' } },
      },
      preHandler: requirePipeline,
      onSend: countDownloads(app.deps.downloads, 'packet'),
      config: anonymousLimit,
    },
    async (req, reply) => {
      const p = await packetFor(req, reply);
      if (p.answer) return p.answer;
      const done = p.state as Extract<PacketState, { state: 'done' }>;
      const etag = `"${done.sha256}"`;
      reply
        .header('etag', etag)
        .header(
          'content-disposition',
          disposition(packetFilename(p.d.ownerHandle, p.d.slug, p.v.version, p.options, 'pdf')),
        );
      if (done.pages) reply.header('x-packet-pages', String(done.pages));
      reply.type('application/pdf');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      if (done.size) reply.header('content-length', done.size);
      return reply.send(await blobs.get(done.sha256));
    },
  );

  app.get<{ Params: VersionParams; Querystring: PacketQuery }>(
    '/api/designs/:owner/:slug/versions/:version/packet.zip',
    {
      schema: {
        tags: ['packet'],
        summary:
          'The build packet PDF with the CAD files, drawings and the BOM as CSV, for offline work (streamed zip)',
        querystring: { $ref: 'packet-query#' },
        response: {
          200: fileReply('application/zip', 'The build packet with its CAD files, drawings and BOM'),
          202: { $ref: 'job-pending#' },
        },
      },
      preHandler: requirePipeline,
      onSend: countDownloads(app.deps.downloads, 'packet'),
      config: anonymousLimit,
    },
    async (req, reply) => {
      const p = await packetFor(req, reply);
      if (p.answer) return p.answer;
      const done = p.state as Extract<PacketState, { state: 'done' }>;
      const name = packetFilename(p.d.ownerHandle, p.d.slug, p.v.version, p.options, 'zip');
      reply.type('application/zip').header('content-disposition', disposition(name));
      return reply.send(await packetZip(db, blobs, p.v, `${name.replace(/\.zip$/, '')}/`, done.sha256, p.options));
    },
  );
}
