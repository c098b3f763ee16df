// Serving a stored blob over HTTP: ETag = sha256, conditional requests, single byte ranges, safe disposition.
// Routes answering with sendBlob whose media types @fastify/compress would take (any upload, GLB) say
// `compress: false`: a blob goes out as stored, with its length (download progress) and byte ranges intact,
// and its bytes are the uploader's or already compressed (images, meshopt GLB), not worth the CPU per download.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BlobStore } from '../storage/blob-store.js';
import { AppError, msg } from '../errors.js';
import { isInlineSafe } from './media.js';

export interface BlobToSend {
  sha256: string;
  size: number;
  mediaType: string;
  filename: string;
  immutable?: boolean;
  /** visible to anyone (a shared cache may keep it); false for a hidden design's or report's files */
  isPublic: boolean;
}

function parseRange(header: string, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size)
    throw new AppError('range-not-satisfiable', msg('registry.range', { range: header, size }), {
      headers: { 'content-range': `bytes */${size}` },
    });
  return { start, end };
}

/**
 * A blob of the request's design (resolved by design-route.ts): public unless the design is hidden, since a hidden
 * design's files reach only its owner and admins and no shared cache may keep them.
 */
export function sendDesignBlob(
  req: FastifyRequest,
  reply: FastifyReply,
  store: BlobStore,
  blob: Omit<BlobToSend, 'isPublic'>,
) {
  return sendBlob(req, reply, store, { ...blob, isPublic: !req.design.hidden });
}

export async function sendBlob(req: FastifyRequest, reply: FastifyReply, store: BlobStore, blob: BlobToSend) {
  const etag = `"${blob.sha256}"`;
  const ascii = blob.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  reply.header('etag', etag);
  reply.header('accept-ranges', 'bytes');
  reply.header('x-content-type-options', 'nosniff');
  // an uploaded file opened anyway (an SVG, an HTML page) runs no script and reaches nothing of this origin
  reply.header(
    'content-security-policy',
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
  );
  const audience = blob.isPublic ? 'public' : 'private';
  reply.header(
    'cache-control',
    blob.immutable ? `${audience}, max-age=31536000, immutable` : `${audience}, max-age=60`,
  );
  reply.header(
    'content-disposition',
    `${isInlineSafe(blob.mediaType) ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(blob.filename)}`,
  );
  reply.type(blob.mediaType);
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  const rangeHeader = req.headers.range;
  const range =
    rangeHeader && (!req.headers['if-range'] || req.headers['if-range'] === etag)
      ? parseRange(rangeHeader, blob.size)
      : undefined;
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${blob.size}`)
      .header('content-length', range.end - range.start + 1);
    return reply.send(await store.get(blob.sha256, range));
  }
  reply.header('content-length', blob.size);
  return reply.send(await store.get(blob.sha256));
}
