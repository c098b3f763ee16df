// HTTP routes of a version's circuit boards: the finished board from above and below, each layer's own picture, and
// where its parts sit (its pick-and-place files in the frame of its pictures).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, msg, notFound } from '../errors.js';
import { sendDesignBlob } from '../registry/download.js';
import { blobSize } from '../registry/blobs.js';
import { checkFilePath } from '../registry/paths.js';
import { findDerivative, saveDerivative, type DerivativeKey } from '../pipeline/derivatives.js';
import { fileReply } from '../schemas.js';
import { boardKeys } from '../pipeline/jobs/process-board.js';
import { latestJobOf, pendingReplyBody } from '../pipeline/queue.js';
import { findBoard, pathInBoard, type BoardRow } from './boards.js';
import type { PictureFormat } from './render.js';
import type { PreviewSize } from '../render/preview.js';
import { loadBom } from '../bom/store.js';
import type { BomLine } from '../bom/kernel/model.js';
import { boardPlacements } from './placements-source.js';
import { frameFromSvgRoot, type BoardFrame } from './placements.js';

type Params = { owner: string; slug: string; version: string; board: string };
type Query = { size: PreviewSize; format: PictureFormat };

const pictureReplies = {
  200: fileReply(['image/png', 'image/webp'], 'The picture in the format asked for'),
  202: { $ref: 'job-pending#' },
  206: fileReply(['image/png', 'image/webp'], 'The requested byte range of the picture'),
};

export async function boardRoutes(app: FastifyInstance) {
  const { db: database, blobs } = app.deps;
  const db = database.db;

  /**
   * The board the URL names (its folder path, URL-encoded as one segment: Fastify has decoded it). Until the version's
   * ingest job has found its boards there is none yet: the answer is then 202 naming that job, not 404.
   */
  async function boardOf(
    req: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
  ): Promise<BoardRow | { state: 'queued' | 'running'; job: string }> {
    const board = await findBoard(db, req.version.id, req.params.board);
    if (board) return board;
    const ingest = await latestJobOf(db, req.version.id, { kind: 'ingest-version', pending: true });
    if (ingest) {
      reply.code(202).header('retry-after', '1');
      return { state: ingest.state as 'queued' | 'running', job: `/api/jobs/${ingest.id}` };
    }
    throw notFound(msg('notFound.board', { board: req.params.board, version: req.version.version }));
  }

  /**
   * A layer's picture at a size and format no one asked for yet: drawn from the SVG its board's job kept, in a pool
   * thread (like a file's preview at another size), and stored under its key like the rest. Undefined when the board
   * has no SVG of that layer (nothing of it could be drawn).
   */
  async function drawLayer(board: BoardRow, path: string, format: PictureFormat, size: PreviewSize): Promise<void> {
    const inBoard = pathInBoard(path, board.boardId);
    const kept = await findDerivative(db, boardKeys.layerSvg(board.subjectKey, inBoard));
    const mm = (kept?.data as { mm?: { width: number; height: number } } | null)?.mm;
    if (!kept?.sha256 || !mm) return;
    const svg = (await blobs.getBuffer(kept.sha256)).toString('utf8');
    const picture = await app.deps.pipeline!.pool.boardLayer({ layer: { svg, mm }, size, format });
    const stored = await blobs.putBuffer(Buffer.from(picture.bytes));
    await saveDerivative(db, boardKeys.layer(board.subjectKey, inBoard, format, size), stored);
  }

  /** 202 naming the board's job while it is still drawing, 422 with its reason when it could not be drawn. */
  async function notDrawn(board: BoardRow, reply: FastifyReply) {
    if (board.state === 'queued' || board.state === 'running') {
      reply.code(202).header('retry-after', '1');
      return pendingReplyBody(board.state, await latestJobOf(db, board.id));
    }
    if (board.state === 'failed')
      throw new AppError('unprocessable', msg('pipeline.noPreview', { why: board.error ?? '' }));
    return undefined;
  }

  /**
   * The area the board's pictures show, in its files' mm: kept in its facts since they carry `origin`; a board drawn
   * before that has it in the view box of its kept top SVG.
   */
  async function frameOf(board: BoardRow): Promise<BoardFrame | undefined> {
    const facts = (board.facts ?? {}) as { width?: number; height?: number; origin?: { x: number; y: number } };
    if (!(typeof facts.width === 'number' && typeof facts.height === 'number')) return undefined;
    if (facts.origin) return { ...facts.origin, width: facts.width, height: facts.height };
    const svg = await findDerivative(db, boardKeys.view(board.subjectKey, 'top', 'svg'));
    if (!svg?.sha256) return undefined;
    const head = await blobs.get(svg.sha256, { start: 0, end: 4095 });
    let text = '';
    for await (const chunk of head) text += (chunk as Buffer).toString('utf8');
    return frameFromSvgRoot(text, { width: facts.width, height: facts.height });
  }

  /** The stored picture, 202 while the board's job is still drawing, 422 with its reason when it could not be drawn. */
  async function sendPicture(
    req: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    board: BoardRow,
    key: DerivativeKey,
    format: PictureFormat,
    filename: string,
    missing: () => AppError,
    draw?: () => Promise<void>,
  ) {
    const pending = await notDrawn(board, reply);
    if (pending) return pending;
    let found = await findDerivative(db, key);
    if (!found?.sha256 && draw) {
      await draw();
      found = await findDerivative(db, key);
    }
    if (!found?.sha256) throw missing();
    return sendDesignBlob(req, reply, blobs, {
      sha256: found.sha256,
      size: await blobSize(db, found.sha256),
      mediaType: `image/${format}`,
      filename,
      immutable: true,
    });
  }

  for (const view of ['top', 'bottom'] as const) {
    app.get<{ Params: Params; Querystring: Query }>(
      `/api/designs/:owner/:slug/versions/:version/boards/:board/${view}`,
      {
        schema: {
          tags: ['pipeline'],
          summary: `The finished circuit board seen from the ${view}; 202 while it is being drawn`,
          querystring: { $ref: 'board-picture-query#' },
          response: pictureReplies,
        },
        compress: false, // a stored file goes out as stored: see sendBlob
      },
      async (req, reply) => {
        const board = await boardOf(req, reply);
        if ('job' in board) return board;
        const { size, format } = req.query;
        return sendPicture(
          req,
          reply,
          board,
          boardKeys.view(board.subjectKey, view, format, size),
          format,
          `${board.name}-${view}.${size}.${format}`,
          () => notFound(msg('notFound.board', { board: board.boardId, version: req.version.version })),
        );
      },
    );
  }

  app.get<{ Params: Params & { '*': string }; Querystring: Query }>(
    '/api/designs/:owner/:slug/versions/:version/boards/:board/layers/*',
    {
      schema: {
        tags: ['pipeline'],
        summary:
          'One layer of a circuit board alone (the file path names it), drawn at the size asked for on first request; 202 while the board is being drawn',
        querystring: { $ref: 'board-picture-query#' },
        response: pictureReplies,
      },
      compress: false,
    },
    async (req, reply) => {
      const board = await boardOf(req, reply);
      if ('job' in board) return board;
      const path = checkFilePath(req.params['*'], 'path');
      const missing = () => notFound(msg('notFound.boardLayer', { path, board: board.boardId }));
      if (!board.layers.some((l) => l.path === path)) throw missing();
      const { size, format } = req.query;
      return sendPicture(
        req,
        reply,
        board,
        boardKeys.layer(board.subjectKey, pathInBoard(path, board.boardId), format, size),
        format,
        `${path.split('/').pop()}.${size}.${format}`,
        missing,
        () => drawLayer(board, path, format, size),
      );
    },
  );

  app.get<{ Params: Params }>(
    '/api/designs/:owner/:slug/versions/:version/boards/:board/placements',
    {
      schema: {
        tags: ['pipeline'],
        summary:
          "Where the board's parts sit: its pick-and-place (centroid) file in the frame of its top and bottom pictures, and the BOM's designators it does not place; 202 while the board is being drawn",
        response: { 200: { $ref: 'board-placements#' }, 202: { $ref: 'job-pending#' } },
      },
    },
    async (req, reply) => {
      const board = await boardOf(req, reply);
      if ('job' in board) return board;
      const pending = await notDrawn(board, reply);
      if (pending) return pending;
      const frame = await frameOf(board);
      if (!frame) throw notFound(msg('notFound.board', { board: board.boardId, version: req.version.version }));
      const bom = await loadBom(db, req.version.id);
      return boardPlacements(db, blobs, board, frame, designatorsOf(bom?.lines ?? []));
    },
  );
}

/** Every designator of a BOM's lines, sub-assemblies' included, in BOM order. */
function designatorsOf(lines: readonly BomLine[]): string[] {
  return lines.flatMap((l) => [...(l.designators ?? []), ...designatorsOf(l.children ?? [])]);
}
