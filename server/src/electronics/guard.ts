// Limits checked on a board's text before the tracespace plotter sees it: the plotter expands step-and-repeat and
// aperture blocks in memory and trusts coordinates, so a hostile file could make it draw for ever. Each limit is an
// argument, so the fuzz tests drive them; what slips past still meets the thread's time and heap limits.
import type { BoardFileFormat } from './detect.js';

export interface BoardLimits {
  /** bytes of one fabrication file */
  fileBytes: number;
  /** bytes of all the files of a board */
  boardBytes: number;
  /** files in one board */
  files: number;
  /** copies one step-and-repeat (%SR) makes, X × Y */
  repeats: number;
  /** aperture definitions and macros of one file */
  apertures: number;
  /** how deep aperture blocks (%AB) may nest */
  blockDepth: number;
  /** the farthest a coordinate may lie from the origin (mm): no board is a metre wide */
  extentMm: number;
}

export const defaultBoardLimits: BoardLimits = {
  fileBytes: 30 * 1024 * 1024,
  boardBytes: 100 * 1024 * 1024,
  files: 60,
  repeats: 2_500,
  apertures: 5_000,
  blockDepth: 4,
  extentMm: 2_000,
};

/** The board's own files are at fault: the job fails at once with this sentence, never retried. */
export class BoardReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoardReadError';
  }
}

/** Refuses a Gerber or drill file past the limits, naming the file and what it exceeds. */
export function guardBoardFile(path: string, text: string, format: BoardFileFormat, limits: BoardLimits): void {
  if (text.length > limits.fileBytes)
    throw new BoardReadError(`${path} is larger than the limit of ${Math.round(limits.fileBytes / 1048576)} MB`);
  if (format === 'gerber') guardGerber(path, text, limits);
  else guardExcellon(path, text, limits);
}

function guardGerber(path: string, text: string, limits: BoardLimits): void {
  // coordinate format and units: %FSLAX46Y46*% means 6 decimals; %MOIN*% inches
  const fs = /%FS[LTD]?[AI]X(\d)(\d)Y(\d)(\d)\*%/.exec(text);
  const decimals = fs ? Math.max(Number(fs[2]), Number(fs[4])) : 4;
  const unitMm = /%MOIN\*%/.test(text) ? 25.4 : 1;
  for (const m of text.matchAll(/%SR(?:X(\d+))?(?:Y(\d+))?/g)) {
    const copies = Number(m[1] ?? 1) * Number(m[2] ?? 1);
    if (copies > limits.repeats)
      throw new BoardReadError(
        `${path} repeats its pattern ${copies} times (step and repeat); at most ${limits.repeats} are drawn`,
      );
  }
  const apertures = (text.match(/%(AD|AM)/g) ?? []).length;
  if (apertures > limits.apertures)
    throw new BoardReadError(`${path} defines ${apertures} apertures and macros; at most ${limits.apertures} are read`);
  let depth = 0;
  for (const m of text.matchAll(/%AB(D\d+)?\*%/g)) {
    depth += m[1] ? 1 : -1;
    if (depth > limits.blockDepth)
      throw new BoardReadError(`${path} nests aperture blocks more than ${limits.blockDepth} deep`);
  }
  const limit = limits.extentMm;
  for (const m of text.matchAll(/[XYIJ]([-+]?\d+)(?=[XYIJD*])/g)) {
    const mm = (Number(m[1]) / 10 ** decimals) * unitMm;
    if (!Number.isFinite(mm) || Math.abs(mm) > limit)
      throw new BoardReadError(`${path} has a coordinate ${m[0]} outside the ±${limit} mm a board can span`);
  }
}

function guardExcellon(path: string, text: string, limits: BoardLimits): void {
  const unitMm = /^(INCH|M72)\b/m.test(text) ? 25.4 : 1;
  for (const m of text.matchAll(/^[^;\n]*?[XY]([-+]?[\d.]+)/gm)) {
    // a number with a point is in units; one without is in the common fixed formats, at most 6 decimals
    const n = m[1].includes('.') ? Number(m[1]) : Number(m[1]) / 1e6;
    if (!Number.isFinite(n) || Math.abs(n * unitMm) > limits.extentMm)
      throw new BoardReadError(`${path} has a hole at ${m[1]}, outside the ±${limits.extentMm} mm a board can span`);
  }
  const repeats = [...text.matchAll(/^R(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  if (repeats > limits.repeats * 100)
    throw new BoardReadError(`${path} repeats holes ${repeats} times; at most ${limits.repeats * 100} are drawn`);
}

/** Refuses a board of too many files or bytes before any is read. */
export function guardBoard(files: { path: string; bytes: Uint8Array }[], limits: BoardLimits): void {
  if (files.length > limits.files)
    throw new BoardReadError(`the board has ${files.length} fabrication files; at most ${limits.files} are read`);
  const total = files.reduce((n, f) => n + f.bytes.length, 0);
  if (total > limits.boardBytes)
    throw new BoardReadError(
      `the board's files are larger together than the limit of ${Math.round(limits.boardBytes / 1048576)} MB`,
    );
}
