// Reads a board's pick-and-place files out of its version (placements.ts says which) and answers its placements.
import type { Executor } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import { versionFileAddresses } from '../registry/file-state.js';
import { boardsOf, type BoardRow } from './boards.js';
import { CentroidReadError, isCentroidFile, readCentroid, type Placement } from './centroid.js';
import {
  centroidCandidates,
  mergePlacements,
  originMismatch,
  unplacedDesignators,
  type BoardFrame,
  type BoardPlacements,
} from './placements.js';

/**
 * Larger files are not read while a request waits (a board of 10,000 parts writes about 1 MB): parsing runs on the
 * event loop, so its size is bounded here.
 */
export const MAX_CENTROID_BYTES = 2 * 1024 * 1024;

/** What a file's bytes gave (null: not a centroid file), by sha256: the board page asks on every visit. */
const readings = new Map<string, Placement[] | null>();
const MAX_READINGS = 500;

const decoder = new TextDecoder('utf-8', { fatal: false });

async function placementsInFile(
  blobs: BlobStore,
  file: { path: string; sha256: string; size: number },
): Promise<Placement[] | null> {
  if (file.size === 0 || file.size > MAX_CENTROID_BYTES) return null;
  const known = readings.get(file.sha256);
  if (known !== undefined) return known;
  const text = decoder.decode(await blobs.getBuffer(file.sha256));
  let reading: Placement[] | null = null;
  try {
    reading = isCentroidFile(file.path, text) ? readCentroid(text).placements : null;
  } catch (err) {
    // over the reader's limits: not a file this page can use, like any other that is not a centroid file
    if (!(err instanceof CentroidReadError)) throw err;
  }
  if (readings.size >= MAX_READINGS) readings.delete(readings.keys().next().value!);
  readings.set(file.sha256, reading);
  return reading;
}

/** The board's placements from the nearest group of its version's files that holds a centroid file. */
export async function boardPlacements(
  db: Executor,
  blobs: BlobStore,
  board: BoardRow,
  frame: BoardFrame,
  bomDesignators: readonly string[],
): Promise<BoardPlacements> {
  const files = await versionFileAddresses(db, board.versionId);
  const boardIds = (await boardsOf(db, board.versionId)).map((b) => b.boardId);
  const fabrication = new Set(board.layers.map((l) => l.path));
  const byPath = new Map(files.filter((f) => !fabrication.has(f.path)).map((f) => [f.path, f]));
  const sources: string[] = [];
  const lists: Placement[][] = [];
  for (const group of centroidCandidates([...byPath.keys()], board.boardId, boardIds)) {
    for (const path of group) {
      const placements = await placementsInFile(blobs, byPath.get(path)!);
      if (!placements) continue;
      sources.push(path);
      lists.push(placements);
    }
    if (sources.length > 0) break;
  }
  const placements = mergePlacements(lists);
  return {
    source: sources[0] ?? null,
    sources,
    units: 'mm',
    frame,
    placements,
    unplaced: unplacedDesignators(bomDesignators, placements),
    originMismatch: originMismatch(frame, placements),
  };
}
