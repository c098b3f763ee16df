// A version's boards as stored and as the version document shows them ({id, name, layers, facts, pipeline, previews}).
import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { designs } from '../registry/tables.js';
import type { VersionDocumentSection } from '../registry/versions.js';
import { versionBoards } from './tables.js';
import type { BoardGroup } from './grouping.js';
import type { BoardLayer } from './layers.js';

export type BoardRow = typeof versionBoards.$inferSelect;

/** Changed when the drawing changes: boards drawn by an older one are drawn again, not served stale. */
export const BOARD_RENDERER_VERSION = 'pcb-stackup-4.2.8.1';

/**
 * What a board's pictures are keyed by: its files' names (they decide the layer types) and bytes. The same board in a
 * fork or a later version with the same files is drawn once.
 */
export function boardSubjectKey(files: { path: string; sha256: string }[], boardId: string): string {
  const entries = files.map((f) => `${pathInBoard(f.path, boardId)}\t${f.sha256}`).sort();
  return `board:${createHash('sha256').update(entries.join('\n')).digest('hex')}`;
}

/** A file's path inside its board's folder: the same board in another folder (a fork's) is the same drawing. */
export function pathInBoard(path: string, boardId: string): string {
  return path.startsWith(`${boardId}/`) ? path.slice(boardId.length + 1) : path;
}

/** Records a version's boards, queued for drawing (in the ingest job's transaction). */
export async function insertBoards(
  db: Executor,
  versionId: string,
  boards: (BoardGroup & { subjectKey: string; layers: BoardLayer[] })[],
): Promise<BoardRow[]> {
  if (boards.length === 0) return [];
  return db
    .insert(versionBoards)
    .values(
      boards.map((b) => ({
        versionId,
        boardId: b.id,
        name: b.name,
        layers: b.layers,
        subjectKey: b.subjectKey,
      })),
    )
    .onConflictDoNothing()
    .returning();
}

export async function boardById(db: Executor, id: string): Promise<BoardRow | undefined> {
  const [row] = await db.select().from(versionBoards).where(eq(versionBoards.id, id)).limit(1);
  return row;
}

export async function findBoard(db: Executor, versionId: string, boardId: string): Promise<BoardRow | undefined> {
  const [row] = await db
    .select()
    .from(versionBoards)
    .where(and(eq(versionBoards.versionId, versionId), eq(versionBoards.boardId, boardId)))
    .limit(1);
  return row;
}

export async function boardsOf(db: Executor, versionId: string): Promise<BoardRow[]> {
  return db
    .select()
    .from(versionBoards)
    .where(eq(versionBoards.versionId, versionId))
    .orderBy(asc(versionBoards.boardId));
}

export interface BoardOutcome {
  state: 'queued' | 'running' | 'done' | 'failed';
  error?: string;
  layers?: BoardLayer[];
  facts?: Record<string, unknown>;
}

export async function setBoardState(db: Executor, id: string, outcome: BoardOutcome): Promise<void> {
  await db
    .update(versionBoards)
    .set({
      state: outcome.state,
      error: outcome.state === 'failed' ? (outcome.error ?? 'failed') : null,
      ...(outcome.layers ? { layers: outcome.layers } : {}),
      ...(outcome.facts ? { facts: outcome.facts } : {}),
    })
    .where(eq(versionBoards.id, id));
}

/** The most copper layers of a version's drawn boards (the search facet), null without one. */
export async function copperLayersOfVersion(db: Executor, versionId: string): Promise<number | null> {
  const layers = (await boardsOf(db, versionId))
    .filter((b) => b.state === 'done')
    .map((b) => Number(b.facts?.copperLayers))
    .filter((n) => Number.isInteger(n) && n > 0);
  return layers.length ? Math.max(...layers) : null;
}

/** The URL of a board's top or bottom picture: what the board routes answer. */
export function boardPreviewUrl(
  at: { owner: string; slug: string; version: string },
  boardId: string,
  view: 'top' | 'bottom',
): string {
  return `/api/designs/${at.owner}/${at.slug}/versions/${at.version}/boards/${encodeURIComponent(boardId)}/${view}`;
}

export function describeBoard(b: BoardRow, at: { owner: string; slug: string; version: string }) {
  return {
    id: b.boardId,
    name: b.name,
    layers: b.layers,
    facts: b.facts ?? null,
    pipeline: b.state === 'failed' ? { state: b.state, error: b.error ?? 'failed' } : { state: b.state },
    previews: { top: boardPreviewUrl(at, b.boardId, 'top'), bottom: boardPreviewUrl(at, b.boardId, 'bottom') },
  };
}

/** `boards` in the version document, for versions that have any. */
export const boardsVersionSection: VersionDocumentSection = async (db, v) => {
  const rows = await boardsOf(db, v.id);
  if (rows.length === 0) return undefined;
  const [d] = await db
    .select({ owner: designs.ownerHandle, slug: designs.slug })
    .from(designs)
    .where(eq(designs.id, v.designId))
    .limit(1);
  const at = { owner: d.owner, slug: d.slug, version: v.version };
  return ['boards', rows.map((b) => describeBoard(b, at))];
};
