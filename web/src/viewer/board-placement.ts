// Where a version's circuit boards go in its 3D view: the manifest's `boards` placements read leniently (manifests come
// from other tools and older versions), and each board turned into the slab the viewer draws. No three.js here.
import type { VersionDocument } from '../api-types.js';

export type VersionBoard = NonNullable<VersionDocument['boards']>[number];
type Triple = [number, number, number];

/** A bare board's thickness when the manifest gives none: the common FR4 board. */
export const defaultBoardThickness = 1.6;

/**
 * One board as a slab, in millimetres and the CAD frame (Z up). Board-local frame: origin at the corner of the
 * outline's bounding box that is bottom left in the top picture, on the bottom face; x along the board's width, y along
 * its height, z out of the top face. `placement` moves that frame into the assembly: rotate (degrees, Euler X then Y
 * then Z, as three.js and glTF tools read them), then translate; null for a board drawn on its own.
 */
export type SlabSpec = {
  id: string;
  name: string;
  width: number;
  height: number;
  thickness: number;
  /** URLs of the top and bottom pictures (the 1024 px PNG); null when the board could not be drawn */
  pictures: { top: string; bottom: string } | null;
  placement: { position: Triple; rotation: Triple } | null;
};

export type BoardPlacement = { position?: Triple; rotation?: Triple; thickness?: number };

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const triple = (value: unknown): Triple | undefined =>
  Array.isArray(value) && value.length === 3 && value.every(finite) ? (value as Triple) : undefined;

/** The manifest's placement of one board; fields that are not what the schema says are left out, never guessed. */
export function boardPlacementOf(manifest: unknown, boardId: string): BoardPlacement {
  const boards = (manifest as { boards?: unknown } | null)?.boards;
  if (!boards || typeof boards !== 'object' || Array.isArray(boards)) return {};
  const entry: unknown = Object.prototype.hasOwnProperty.call(boards, boardId)
    ? (boards as Record<string, unknown>)[boardId]
    : undefined;
  if (!entry || typeof entry !== 'object') return {};
  const { position, rotation, thickness } = entry as Record<string, unknown>;
  return {
    position: triple(position),
    rotation: triple(rotation),
    thickness: finite(thickness) && thickness > 0 ? thickness : undefined,
  };
}

function withSize(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}size=1024&format=png`;
}

/**
 * The slab of a board, placed where the manifest says when `placed`; null while the board has no size yet (not drawn,
 * or failed before its outline was read).
 */
export function slabOf(board: VersionBoard, manifest: unknown, placed: boolean): SlabSpec | null {
  const width = board.facts?.width;
  const height = board.facts?.height;
  if (!finite(width) || !finite(height) || width <= 0 || height <= 0) return null;
  const placement = boardPlacementOf(manifest, board.id);
  return {
    id: board.id,
    name: board.name,
    width,
    height,
    thickness: placement.thickness ?? defaultBoardThickness,
    pictures:
      board.pipeline.state === 'failed'
        ? null
        : { top: withSize(board.previews.top), bottom: withSize(board.previews.bottom) },
    placement:
      placed && placement.position ? { position: placement.position, rotation: placement.rotation ?? [0, 0, 0] } : null,
  };
}

/** The boards the manifest places, as slabs for the version's assembly; a board without a position is not added. */
export function placedSlabs(boards: VersionBoard[] | undefined, manifest: unknown): SlabSpec[] {
  return (boards ?? [])
    .map((board) => slabOf(board, manifest, true))
    .filter((slab): slab is SlabSpec => slab?.placement != null);
}

/**
 * The boards the viewer draws: with `openedBoard` (`?board=`) that board alone, unplaced — `slab` null while it has no
 * size, `board` undefined when the version has none of that id; else the boards the manifest places, which join the
 * version's assembly but never a file opened on its own.
 */
export function slabsToShow(
  boards: VersionBoard[] | undefined,
  manifest: unknown,
  opened: string | null,
  openedBoard: string | null,
): { alone: true; board?: VersionBoard; slab: SlabSpec | null } | { alone: false; slabs: SlabSpec[] } {
  if (openedBoard) {
    const board = (boards ?? []).find((b) => b.id === openedBoard);
    return { alone: true, board, slab: board ? slabOf(board, manifest, false) : null };
  }
  return { alone: false, slabs: opened ? [] : placedSlabs(boards, manifest) };
}

const mmPerUnit: Record<string, number> = { mm: 1, cm: 10, m: 1000, in: 25.4, ft: 304.8 };

/** Millimetres per coordinate unit of the version's unitless meshes (STL, OBJ, PLY): the manifest's `units`, mm by default. */
export function meshUnitMm(manifest: unknown): number {
  const units = (manifest as { units?: unknown } | null)?.units;
  return (typeof units === 'string' && mmPerUnit[units]) || 1;
}
