// cutList: stock sold by length (tube, angle, flat bar…) → cuts packed into stock bars, first-fit decreasing.
import { Dec, decimalToString } from './decimal.js';
import type { BomLine } from './model.js';
import { collectFlatParts } from './scale.js';
import { convertQuantity, isLengthUnit, normaliseUnit } from './units.js';
import type { BomViewWarning } from './view.js';

export interface CutListOptions {
  /** Number of machines (default 1). */
  units?: number | string;
  /** Length of one stock bar in mm (default 6000). */
  stockMm?: number | string;
  /** Width of the saw or torch cut in mm (default 3). */
  kerfMm?: number | string;
}

export interface Cut {
  /** Piece length in mm, decimal string. */
  lengthMm: string;
  count: number;
  /** BOM position of the line the pieces are for. */
  position: string;
}

export interface StockBar {
  cuts: { lengthMm: string; position: string }[];
  /** What is left of the bar after the last cut and its kerf, mm. */
  offcutMm: string;
}

export interface CutGroup {
  /** Profile and material the bars are shared by, e.g. "square tube 40x40x3 | steel". */
  key: string;
  name: string;
  material?: string;
  stockMm: string;
  cuts: Cut[];
  bars: StockBar[];
  barsNeeded: number;
  /** Bars × stock − Σ piece lengths: kerf and offcuts together, mm. */
  wasteMm: string;
}

/** A stock line whose piece lengths are not known: listed by name, never drawn as bars. */
export interface UnknownLengthLine {
  position: string;
  name: string;
  material?: string;
  /** The total length needed for the requested units, mm: all that the BOM says. */
  totalMm: string;
}

export interface CutList {
  groups: CutGroup[];
  totalWasteMm: string;
  /** Stock lines left out of the packing because only their total length is known. */
  lengthUnknown: UnknownLengthLine[];
  warnings: BomViewWarning[];
}

const STOCK_WORDS =
  /\b(tube|tubing|pipe|angle|bar|flat|flatbar|channel|rhs|shs|chs|rod|beam|profile|extrusion|section|i-beam|h-beam|unistrut|strut|rail|strip|lumber|timber|plank|batten|stud|joist|dowel|threaded rod|rebar|square|round)\b/i;
/**
 * "4 x 1550 mm", "2 × 800mm", "6 @ 1.2 m", "4 legs x 930 mm", "2 pcs @ 800mm" in notes: pieces of one
 * length, with up to three words between the count and the x. Not "40x40x3", nor the "40 x 3 mm" of
 * "40 x 40 x 3 mm" (a number right after an x is a dimension, not a count).
 */
const PIECES_IN_NOTES =
  /(?<![\d.,x×])(?<![x×]\s+)(\d+)\s*(?:(?![x×@]\s|[x×@]\d)[a-z][a-z-]*\.?\s+){0,3}[x×@]\s*(\d+(?:[.,]\d+)?)\s*(mm|cm|m|in|ft)\b(?!\s*[x×])/gi;

interface Piece {
  readonly length: Dec;
  readonly position: string;
}

/**
 * Which lines are stock: a length unit (or cut pieces counted in pcs) and a name or material that
 * says tube, pipe, angle, bar, flat, channel, RHS/SHS, rod, beam, profile…
 * How a line becomes pieces:
 * 1. `cutLength` (mm): the line's quantity is that many pieces (pcs), or its total length ÷ cutLength;
 * 2. notes such as "4 legs x 930 mm": those pieces per one of the line's parent, with a warning, since
 *    free text is a guess the maker should replace with a cut length;
 * 3. otherwise only a total length is known ("6.2 m of tube"): the line is listed in `lengthUnknown`
 *    with a warning and gets no cuts. Cutting it as whole bars would print cuts nobody asked for.
 * Pieces longer than a bar are reported and left out of the packing (they need a longer stock or a splice).
 */
export function cutList(lines: readonly BomLine[], options: CutListOptions = {}): CutList {
  const units = new Dec(options.units ?? 1);
  const stock = new Dec(options.stockMm ?? 6000);
  const kerf = new Dec(options.kerfMm ?? 3);
  if (stock.lte(0) || kerf.isNegative() || units.isNegative())
    throw new RangeError('stock must be > 0 mm, kerf and units ≥ 0');
  const warnings: CutList['warnings'] = [];
  const lengthUnknown: UnknownLengthLine[] = [];
  const groups = new Map<string, { name: string; material?: string; pieces: Piece[] }>();
  for (const part of collectFlatParts(lines)) {
    if (part.dnf || part.line.children?.length) continue;
    const line = part.line;
    const isLength = isLengthUnit(line.unit);
    if (!STOCK_WORDS.test(`${line.name} ${line.material ?? ''}`)) continue;
    if (!isLength && !(line.unit === 'pcs' && (line.cutLength !== undefined || piecesFromNotes(line) !== undefined)))
      continue;
    const need = part.quantity.times(units);
    const pieces = piecesOf(line, need, warnings);
    if (pieces === undefined) {
      const totalMm = decimalToString(new Dec(convertQuantity(decimalToString(need), line.unit, 'mm')!));
      lengthUnknown.push({
        position: line.position,
        name: line.name,
        ...(line.material ? { material: line.material } : {}),
        totalMm,
      });
      warnings.push({
        position: line.position,
        code: 'cut-length-unknown',
        values: { name: line.name, totalMm },
        message: `${line.name}: length unknown, only a total of ${totalMm} mm is known; give the line a cut length (a "Cut length" column, or cutLength in JSON) to list its cuts`,
      });
      continue;
    }
    const { key, name, material } = profileOf(line);
    const group = groups.get(key) ?? { name, ...(material ? { material } : {}), pieces: [] };
    for (const piece of pieces) {
      if (piece.length.gt(stock))
        warnings.push({
          position: line.position,
          code: 'piece-longer-than-stock',
          values: { length: decimalToString(piece.length), stock: decimalToString(stock) },
          message: `a ${decimalToString(piece.length)} mm piece is longer than the ${decimalToString(stock)} mm stock; left out`,
        });
      else group.pieces.push(piece);
    }
    groups.set(key, group);
  }
  const result: CutGroup[] = [];
  let totalWaste = new Dec(0);
  for (const [key, group] of groups) {
    if (group.pieces.length === 0) continue;
    const bars = firstFitDecreasing(group.pieces, stock, kerf);
    const used = group.pieces.reduce((sum, piece) => sum.plus(piece.length), new Dec(0));
    const waste = stock.times(bars.length).minus(used);
    totalWaste = totalWaste.plus(waste);
    result.push({
      key,
      name: group.name,
      ...(group.material ? { material: group.material } : {}),
      stockMm: decimalToString(stock),
      cuts: summariseCuts(group.pieces),
      bars: bars.map((bar) => barReport(bar, stock, kerf)),
      barsNeeded: bars.length,
      wasteMm: decimalToString(waste),
    });
  }
  return { groups: result, totalWasteMm: decimalToString(totalWaste), lengthUnknown, warnings };
}

/** The pieces a line is cut into, or undefined when its piece lengths are not known. */
function piecesOf(line: BomLine, need: Dec, warnings: CutList['warnings']): Piece[] | undefined {
  const position = line.position;
  if (line.cutLength !== undefined) {
    const length = new Dec(line.cutLength);
    let count: Dec;
    if (line.unit === 'pcs') count = need;
    else {
      const total = new Dec(convertQuantity(decimalToString(need), line.unit, 'mm')!);
      count = total.div(length);
      if (!count.isInteger())
        warnings.push({
          position,
          code: 'cut-pieces-rounded-up',
          values: { total: decimalToString(total), cutLength: line.cutLength },
          message: `${decimalToString(total)} mm is not a whole number of ${line.cutLength} mm pieces; rounded up`,
        });
    }
    return repeat({ length, position }, count.ceil().toNumber());
  }
  const fromNotes = piecesFromNotes(line);
  if (!fromNotes) return undefined;
  warnings.push({
    position,
    code: 'cut-lengths-from-notes',
    values: { pieces: `"${fromNotes.map((piece) => piece.text).join('", "')}"` },
    message: `cut lengths read from the notes ("${fromNotes.map((piece) => piece.text).join('", "')}"); give the line a cut length so the cut list does not rest on wording`,
  });
  // Notes list the pieces of the line's own quantity (per one parent); need ÷ that quantity is how many sets.
  const perParent = new Dec(line.quantity);
  const multiplier = perParent.isZero() ? new Dec(0) : need.div(perParent);
  return fromNotes.flatMap((piece) =>
    repeat({ length: piece.length, position }, multiplier.times(piece.count).ceil().toNumber()),
  );
}

function piecesFromNotes(line: BomLine): { count: number; length: Dec; text: string }[] | undefined {
  if (!line.notes) return undefined;
  const pieces: { count: number; length: Dec; text: string }[] = [];
  for (const match of line.notes.matchAll(PIECES_IN_NOTES)) {
    const length = convertQuantity(match[2]!.replace(',', '.'), normaliseUnit(match[3]!), 'mm');
    if (length !== undefined) pieces.push({ count: Number(match[1]), length: new Dec(length), text: match[0] });
  }
  return pieces.length > 0 ? pieces : undefined;
}

function repeat(piece: Piece, count: number): Piece[] {
  return Array.from({ length: count }, () => piece);
}

/**
 * Lines cut from the same profile share bars. The profile is the material when the material names one
 * ("ASTM A36 square tube 2in x 2in x 3/16in": the legs, rails and bearers of a frame are all cut from it),
 * else the line's name as makers name the section ("Square tube 40x40x3"), with its material if any.
 */
function profileOf(line: BomLine): { key: string; name: string; material?: string } {
  const normal = (text: string) =>
    text
      .trim()
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/\s*[x×]\s*/g, 'x');
  if (line.material && STOCK_WORDS.test(line.material))
    return { key: normal(line.material), name: line.material.trim() };
  return line.material
    ? { key: `${normal(line.name)} | ${normal(line.material)}`, name: line.name, material: line.material }
    : { key: normal(line.name), name: line.name };
}

/**
 * Longest piece first, each into the first bar it fits. n pieces in a bar need n − 1 cuts between
 * them (a piece may end at the bar's end); a bar with an offcut left needs one more.
 */
function firstFitDecreasing(pieces: readonly Piece[], stock: Dec, kerf: Dec): Piece[][] {
  const sorted = [...pieces].sort((a, b) => b.length.comparedTo(a.length) || a.position.localeCompare(b.position));
  const bars: { pieces: Piece[]; used: Dec }[] = [];
  for (const piece of sorted) {
    const bar = bars.find((candidate) => candidate.used.plus(kerf).plus(piece.length).lte(stock));
    if (bar) {
      bar.pieces.push(piece);
      bar.used = bar.used.plus(kerf).plus(piece.length);
    } else bars.push({ pieces: [piece], used: piece.length });
  }
  return bars.map((bar) => bar.pieces);
}

function barReport(pieces: readonly Piece[], stock: Dec, kerf: Dec): StockBar {
  const used = pieces.reduce((sum, piece) => sum.plus(piece.length), new Dec(0)).plus(kerf.times(pieces.length - 1));
  const left = stock.minus(used).minus(kerf);
  return {
    cuts: pieces.map((piece) => ({ lengthMm: decimalToString(piece.length), position: piece.position })),
    offcutMm: decimalToString(left.isNegative() ? new Dec(0) : left),
  };
}

function summariseCuts(pieces: readonly Piece[]): Cut[] {
  const counts = new Map<string, Cut>();
  for (const piece of pieces) {
    const length = decimalToString(piece.length);
    const key = `${piece.position}|${length}`;
    const cut = counts.get(key);
    if (cut) cut.count++;
    else counts.set(key, { lengthMm: length, count: 1, position: piece.position });
  }
  return [...counts.values()].sort(
    (a, b) => new Dec(b.lengthMm).comparedTo(a.lengthMm) || a.position.localeCompare(b.position),
  );
}
