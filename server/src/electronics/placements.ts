// A board's placements: which of the version's files are its pick-and-place files, and where their parts land in
// the frame of the board's pictures (and whether they land on the board at all).
import type { Placement } from './centroid.js';
import { ROOT_BOARD_ID } from './grouping.js';

/** The area the board's pictures show, in the files' coordinates (mm, Y up): x, y is its bottom left corner. */
export interface BoardFrame {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BoardPlacements {
  source: string | null;
  sources: string[];
  units: 'mm';
  frame: BoardFrame;
  placements: Placement[];
  unplaced: string[];
  originMismatch: boolean;
}

/** Names a centroid file may have (isCentroidFile decides by content among them). */
const CENTROID_NAME = /\.(pos|csv|txt|tsv|xy|cpl|mnt)$/i;

const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const folderOfBoard = (boardId: string) => (boardId === ROOT_BOARD_ID ? '' : boardId);
const isUnder = (path: string, folder: string) => folder === '' || path.startsWith(`${folder}/`);

/**
 * The files that may hold a board's placements, nearest first: those in the board's own folder, then those in its
 * sub-folders (not another board's), then — when the version has this one board only — any other. The first group
 * that holds a centroid file is the board's; KiCad writes one file per side, so a group may hold several.
 */
export function centroidCandidates(paths: readonly string[], boardId: string, boardIds: readonly string[]): string[][] {
  const folder = folderOfBoard(boardId);
  const others = boardIds
    .filter((id) => id !== boardId)
    .map(folderOfBoard)
    .filter((f) => f.length > folder.length && isUnder(f, folder));
  const named = paths.filter((p) => CENTROID_NAME.test(p)).sort((a, b) => a.localeCompare(b));
  const own = named.filter((p) => folderOf(p) === folder);
  const below = named.filter((p) => folderOf(p) !== folder && isUnder(p, folder) && !others.some((f) => isUnder(p, f)));
  const groups = [own, below];
  if (boardIds.length === 1) groups.push(named.filter((p) => !own.includes(p) && !below.includes(p)));
  return groups.filter((g) => g.length > 0);
}

/** One list of placements from a board's files: a designator placed by an earlier file is not placed again. */
export function mergePlacements(files: readonly (readonly Placement[])[]): Placement[] {
  const seen = new Set<string>();
  const out: Placement[] = [];
  for (const list of files)
    for (const p of list) {
      if (seen.has(p.designator)) continue;
      seen.add(p.designator);
      out.push(p);
    }
  return out;
}

/** The BOM's designators no placement names, in BOM order, each once. */
export function unplacedDesignators(bomDesignators: readonly string[], placements: readonly Placement[]): string[] {
  const placed = new Set(placements.map((p) => p.designator));
  return [...new Set(bomDesignators)].filter((d) => !placed.has(d));
}

/**
 * A part's centre may sit a little off the board (an edge connector's does): within this share of the board's
 * larger side, plus a millimetre, it still counts as on it.
 */
const EDGE_SHARE = 0.05;

/**
 * Most placements outside the frame: the centroid file was written with another origin than the Gerbers (KiCad's
 * "use drill/place file origin" ticked for one and not the other), or in other units.
 */
export function originMismatch(frame: BoardFrame, placements: readonly Placement[]): boolean {
  if (placements.length === 0) return false;
  const slack = EDGE_SHARE * Math.max(frame.width, frame.height) + 1;
  const outside = placements.filter(
    (p) =>
      p.x < frame.x - slack ||
      p.x > frame.x + frame.width + slack ||
      p.y < frame.y - slack ||
      p.y > frame.y + frame.height + slack,
  ).length;
  return outside * 2 > placements.length;
}

/**
 * The frame of a board drawn before its facts kept their origin: the view box of its top SVG (thousandths of the
 * files' unit, as gerber-to-svg writes it), scaled to the facts' width in mm. Undefined when the root has no view box.
 */
export function frameFromSvgRoot(svgHead: string, size: { width: number; height: number }): BoardFrame | undefined {
  const root = svgHead.slice(0, svgHead.indexOf('>') + 1);
  const box = /\sviewBox="([^"]+)"/
    .exec(root)?.[1]
    ?.trim()
    .split(/[\s,]+/)
    .map(Number);
  if (!box || box.length !== 4 || box.some((n) => !Number.isFinite(n)) || !(box[2]! > 0)) return undefined;
  const perBoxUnit = size.width / box[2]!;
  return { x: box[0]! * perBoxUnit, y: box[1]! * perBoxUnit, width: size.width, height: size.height };
}
