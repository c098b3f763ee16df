// process-board: one circuit board's Gerber and drill files → its facts, top and bottom pictures (PNG and WebP at
// every preview size, the SVGs kept too) and each layer's own SVG (its pictures are drawn when asked for: see
// electronics/routes.ts), made in a worker thread and stored as derivatives; the files' own faults fail the board at
// once with their reason. The board's end is announced on the events stream, like a file's.
import type { Job } from '../queue.js';
import type { JobDefinition } from '../job-definition.js';
import { PermanentJobError } from '../job-kinds.js';
import { versionFileAddresses } from '../../registry/file-state.js';
import { findDerivative, saveDerivative, type DerivativeKey } from '../derivatives.js';
import type { PipelineServices } from '../services.js';
import { TaskOutOfMemoryError, transferable } from '../pool.js';
import type { BoardTaskResult } from '../thread.js';
import {
  BOARD_RENDERER_VERSION,
  boardById,
  pathInBoard,
  setBoardState,
  type BoardRow,
} from '../../electronics/boards.js';
import type { BoardView, PictureFormat } from '../../electronics/render.js';
import type { PreviewSize } from '../../render/preview.js';
import { setVersionBoardLayers } from '../../search/refresh.js';

export interface ProcessBoardPayload {
  /** the version_boards row */
  boardId: string;
}
declare module '../job-kinds.js' {
  interface JobPayloads {
    'process-board': ProcessBoardPayload;
  }
}

export const boardPreviewSizes: PreviewSize[] = [128, 256, 512, 1024];
export const boardPictureFormats: PictureFormat[] = ['png', 'webp'];

/** Where each of a board's stored results is found (the routes read them by these keys). */
export const boardKeys = {
  facts: (subjectKey: string): DerivativeKey => ({
    subjectKey,
    rendererVersion: BOARD_RENDERER_VERSION,
    kind: 'board-facts',
  }),
  view: (subjectKey: string, view: BoardView, format: PictureFormat | 'svg', size?: number): DerivativeKey => ({
    subjectKey,
    rendererVersion: BOARD_RENDERER_VERSION,
    kind: `board-${view}-${format}`,
    variant: size ? String(size) : '',
  }),
  layer: (subjectKey: string, pathInBoard: string, format: PictureFormat, size: PreviewSize): DerivativeKey => ({
    subjectKey,
    rendererVersion: BOARD_RENDERER_VERSION,
    kind: `board-layer-${format}`,
    variant: `${size}/${pathInBoard}`,
  }),
  /** a layer's SVG, its extent in mm as data: what its pictures are drawn from */
  layerSvg: (subjectKey: string, pathInBoard: string): DerivativeKey => ({
    subjectKey,
    rendererVersion: BOARD_RENDERER_VERSION,
    kind: 'board-layer-svg',
    variant: pathInBoard,
  }),
};

interface StoredBoard {
  facts?: Record<string, unknown>;
  error?: string;
}

/** Draws the board in a thread and stores what it made; a refusal of the files is stored too (the bytes will not change). */
async function drawAndStore(s: PipelineServices, board: BoardRow): Promise<void> {
  const wanted = new Set(board.layers.map((l) => l.path));
  const files = (await versionFileAddresses(s.db, board.versionId)).filter((f) => wanted.has(f.path));
  const task = {
    files: await Promise.all(
      files.map(async (f) => ({ path: f.path, bytes: transferable(await s.blobs.getBuffer(f.sha256)) })),
    ),
    options: { sizes: boardPreviewSizes, formats: boardPictureFormats },
  };
  const result = await s.pool.processBoard(task).catch((err: unknown): BoardTaskResult => {
    // the same files would exhaust a thread again: remembered like a refusal, never retried
    if (err instanceof TaskOutOfMemoryError) return { ok: false, readerError: true, message: err.message };
    throw err;
  });
  const key = board.subjectKey;
  if (!result.ok) {
    await saveDerivative(s.db, boardKeys.facts(key), { data: { error: result.message } });
    return;
  }
  for (const v of result.views) {
    await saveDerivative(s.db, boardKeys.view(key, v.view, 'svg'), await s.blobs.putBuffer(Buffer.from(v.svg)));
    for (const p of v.pictures) {
      await saveDerivative(s.db, boardKeys.view(key, v.view, p.format, p.size), await s.blobs.putBuffer(p.bytes));
    }
  }
  for (const l of result.layerSvgs) {
    const stored = await s.blobs.putBuffer(Buffer.from(l.svg));
    await saveDerivative(s.db, boardKeys.layerSvg(key, pathInBoard(l.path, board.boardId)), {
      ...stored,
      data: { mm: l.mm },
    });
  }
  // the facts last: their presence says every picture is stored
  await saveDerivative(s.db, boardKeys.facts(key), { data: { facts: { ...result.facts } } });
}

/** Says a board's job ended (the web re-reads the version document): `path` is the board's id. */
async function announceBoard(
  s: PipelineServices,
  job: Job<'process-board'>,
  board: Pick<BoardRow, 'versionId' | 'boardId'>,
  outcome: { state: 'done' } | { state: 'failed'; error: string },
): Promise<void> {
  const [f] = await versionFileAddresses(s.db, board.versionId);
  if (!f) return;
  s.events.publish({
    type: 'job',
    kind: 'process-board',
    design: `${f.owner}/${f.slug}`,
    version: f.version,
    path: board.boardId,
    jobId: job.id,
    ...outcome,
  });
}

export const processBoard = (s: PipelineServices): JobDefinition<'process-board'> => ({
  kind: 'process-board',
  async handle(job) {
    const board = await boardById(s.db, job.payload.boardId);
    if (!board) return { skipped: 'the board no longer exists' };
    await setBoardState(s.db, board.id, { state: 'running' });
    let stored = await findDerivative(s.db, boardKeys.facts(board.subjectKey));
    if (!stored) {
      await drawAndStore(s, board);
      stored = await findDerivative(s.db, boardKeys.facts(board.subjectKey));
    }
    const data = (stored?.data ?? {}) as StoredBoard;
    if (data.error) throw new PermanentJobError(data.error);
    // the layers were identified at ingest, by the same names and contents the thread saw
    await setBoardState(s.db, board.id, { state: 'done', facts: data.facts });
    await setVersionBoardLayers(s.db, board.versionId);
    await announceBoard(s, job, board, { state: 'done' });
    return { facts: data.facts ?? null };
  },
  /** the board says why in its version document */
  async onFailed(job, error) {
    await setBoardState(s.db, job.payload.boardId, { state: 'failed', error });
    const board = await boardById(s.db, job.payload.boardId);
    if (board) await announceBoard(s, job, board, { state: 'failed', error });
  },
});
