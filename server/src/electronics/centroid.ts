// Pick-and-place (centroid) files → placements in millimetres: KiCad .pos (ASCII and CSV), JLCPCB/EasyEDA CPL, Altium.

export type BoardSide = 'top' | 'bottom';

/** Where one part sits on the board: its centre in mm, its rotation in degrees [0, 360), and its side. */
export interface Placement {
  readonly designator: string;
  readonly x: number;
  readonly y: number;
  readonly rotation: number;
  readonly side: BoardSide;
}

export interface CentroidLimits {
  /** Largest file, in characters (a board of 10,000 parts is about 1 MB). */
  readonly maxChars: number;
  readonly maxLines: number;
  readonly maxLineChars: number;
}

export const defaultCentroidLimits: CentroidLimits = {
  maxChars: 16 * 1024 * 1024,
  maxLines: 200_000,
  maxLineChars: 4096,
};

/** The file is not a centroid file we can read, or is over a limit: the message says which and where. */
export class CentroidReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CentroidReadError';
  }
}

export interface CentroidReading {
  readonly placements: Placement[];
  /** Rows under the header that gave no placement, with why (1-based file line). */
  readonly skipped: { readonly line: number; readonly reason: string }[];
}

/** Rows above this are never searched for a header: Altium writes a dozen lines of preamble. */
const HEADER_SEARCH_LINES = 40;

type Field = 'designator' | 'x' | 'y' | 'rotation' | 'side';

/** Header spellings, lower case with spaces, dashes, dots and underscores removed; first match wins for x and y. */
const HEADERS: Readonly<Record<Field, readonly string[]>> = {
  designator: ['ref', 'reference', 'designator', 'refdes', 'refdesignator', 'referencedesignator', 'part', 'component'],
  // the centre of the part first: EasyEDA also writes Ref X and Pad X, which are not its centre
  x: ['midx', 'centerx', 'centrex', 'posx', 'x', 'locationx', 'positionx', 'refx'],
  y: ['midy', 'centery', 'centrey', 'posy', 'y', 'locationy', 'positiony', 'refy'],
  rotation: ['rot', 'rotation', 'angle', 'orientation', 'rotate'],
  side: ['side', 'layer', 'tb', 'topbottom', 'placement'],
};

const MM_PER: Readonly<Record<string, number>> = { mm: 1, in: 25.4, mil: 0.0254 };

function unitOf(word: string): string | undefined {
  const w = word.toLowerCase();
  if (/^(mm|millimet(er|re)s?)$/.test(w)) return 'mm';
  if (/^(in|inch|inches)$/.test(w)) return 'in';
  if (/^(mil|mils|thou)$/.test(w)) return 'mil';
  return undefined;
}

interface Header {
  readonly line: number;
  readonly split: (line: string) => string[];
  readonly columns: Partial<Record<Field, number>>;
  readonly units: Partial<Record<'x' | 'y', string>>;
  /** KiCad's ASCII .pos: fields are separated by spaces, so x, y, rotation and side are read from the end. */
  readonly fromEnd: boolean;
  readonly width: number;
}

/**
 * Reads every placement of a centroid file. Units come from the cell ("12.5mm"), the column header
 * ("Center-X(mil)"), a unit line above the header (KiCad "## Unit = mm", Altium "Units used: mm"), else mm.
 */
export function readCentroid(text: string, limits: CentroidLimits = defaultCentroidLimits): CentroidReading {
  if (text.length > limits.maxChars)
    throw new CentroidReadError(`the file has ${text.length} characters, over the limit of ${limits.maxChars}`);
  const lines = text.split(/\r?\n/);
  if (lines.length > limits.maxLines)
    throw new CentroidReadError(`the file has ${lines.length} lines, over the limit of ${limits.maxLines}`);
  const long = lines.findIndex((line) => line.length > limits.maxLineChars);
  if (long >= 0)
    throw new CentroidReadError(`line ${long + 1} is longer than the limit of ${limits.maxLineChars} characters`);
  const header = findHeader(lines);
  if (!header)
    throw new CentroidReadError('no header naming a designator, an X and a Y column (such as Ref, PosX, PosY)');
  let fileUnit = 'mm';
  for (const line of lines.slice(0, header.line)) {
    const match = /\bunits?(?: used)?\s*[=:]\s*([a-z]+)/i.exec(line);
    const unit = match ? unitOf(match[1]!) : undefined;
    if (unit) fileUnit = unit;
  }
  const placements: Placement[] = [];
  const skipped: { line: number; reason: string }[] = [];
  for (let i = header.line + 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const reading = readRow(header.split(raw), header, fileUnit);
    if (typeof reading === 'string') skipped.push({ line: i + 1, reason: reading });
    else placements.push(reading);
  }
  return { placements, skipped };
}

/** The placements of a centroid file, for joining to BOM lines by designator; throws CentroidReadError. */
export function placementsOf(
  text: string,
  filename: string,
  limits: CentroidLimits = defaultCentroidLimits,
): Placement[] {
  if (!isCentroidFile(filename, text))
    throw new CentroidReadError(`${filename} is not a pick-and-place file (designator, X, Y, rotation, side)`);
  return readCentroid(text, limits).placements;
}

/**
 * A centroid file by its content: a header with designator, X and Y columns in its first lines. The name only
 * rules out what cannot be one (a BOM in JSON, a binary or a CAD file), so a CPL named anything is found.
 */
export function isCentroidFile(filename: string, text: string): boolean {
  if (!/\.(pos|csv|txt|tsv|xy|cpl|mnt)$/i.test(filename)) return false;
  const head = text.slice(0, 64 * 1024);
  if (looksBinary(head)) return false;
  const header = findHeader(head.split(/\r?\n/));
  // a BOM has designators too, but never a position and rotation or side beside them
  return header !== undefined && (header.columns.rotation !== undefined || header.columns.side !== undefined);
}

/** A NUL or another control byte (tab, line breaks and form feed aside) means a binary file. */
function looksBinary(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32)) return true;
  }
  return false;
}

function findHeader(lines: readonly string[]): Header | undefined {
  for (let i = 0; i < Math.min(lines.length, HEADER_SEARCH_LINES); i++) {
    const line = lines[i]!;
    // KiCad ASCII: "# Ref     Val       Package   PosX   PosY   Rot  Side"
    if (/^#\s*ref\s/i.test(line)) {
      const cells = line.replace(/^#/, '').trim().split(/\s+/);
      const header = headerOf(cells, i, splitSpaces, true);
      if (header) return header;
    }
    if (line.startsWith('#')) continue;
    for (const delimiter of [',', ';', '\t']) {
      if (!line.includes(delimiter)) continue;
      const split = (text: string) => splitDelimited(text, delimiter);
      const header = headerOf(split(line), i, split, false);
      if (header) return header;
    }
  }
  return undefined;
}

function headerOf(
  cells: readonly string[],
  line: number,
  split: Header['split'],
  fromEnd: boolean,
): Header | undefined {
  const columns: Partial<Record<Field, number>> = {};
  const units: Partial<Record<'x' | 'y', string>> = {};
  const ranks: Partial<Record<Field, number>> = {};
  cells.forEach((cell, index) => {
    let unit: string | undefined;
    const key = cell
      .toLowerCase()
      .replace(/[([]\s*([a-z]+)\s*[)\]]/g, (_whole, inner: string) => {
        unit = unitOf(inner) ?? unit;
        return '';
      })
      .replace(/[\s\-._/]+/g, '');
    for (const field of Object.keys(HEADERS) as Field[]) {
      const rank = HEADERS[field].indexOf(key);
      if (rank < 0 || (ranks[field] !== undefined && ranks[field] <= rank)) continue;
      ranks[field] = rank;
      columns[field] = index;
      if ((field === 'x' || field === 'y') && unit) units[field] = unit;
    }
  });
  if (columns.designator === undefined || columns.x === undefined || columns.y === undefined) return undefined;
  return { line, split, columns, units, fromEnd, width: cells.length };
}

function readRow(cells: string[], header: Header, fileUnit: string): Placement | string {
  let at = (field: Field): string | undefined => {
    const index = header.columns[field];
    return index === undefined ? undefined : cells[index]?.trim();
  };
  if (header.fromEnd && cells.length !== header.width) {
    // a value with spaces in it shifted the middle columns: the first and the last ones stand
    const fromEnd = (field: Field) => {
      const index = header.columns[field];
      if (index === undefined) return undefined;
      return field === 'designator' ? cells[index] : cells[cells.length - (header.width - index)];
    };
    at = fromEnd;
  }
  const designator = at('designator') ?? '';
  if (designator === '') return 'no designator';
  const x = millimetres(at('x') ?? '', header.units.x ?? fileUnit);
  const y = millimetres(at('y') ?? '', header.units.y ?? fileUnit);
  if (x === undefined || y === undefined) return `${designator}: X and Y must be numbers`;
  const rotationText = at('rotation') ?? '';
  const rotation = rotationText === '' ? 0 : Number(rotationText.replace(/°|deg$/i, '').replace(',', '.'));
  if (!Number.isFinite(rotation)) return `${designator}: the rotation "${rotationText}" is not a number`;
  const sideText = at('side');
  const side = sideText === undefined ? 'top' : sideOf(sideText);
  if (!side) return `${designator}: the side "${sideText}" is neither top nor bottom`;
  return { designator, x, y, rotation: round(((rotation % 360) + 360) % 360), side };
}

function millimetres(text: string, defaultUnit: string): number | undefined {
  const match = /^([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*([a-z]*)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = match[2] === '' ? defaultUnit : unitOf(match[2]!);
  if (!unit) return undefined;
  return round(Number(match[1]!.replace(',', '.')) * MM_PER[unit]!);
}

function sideOf(text: string): BoardSide | undefined {
  const key = text.toLowerCase().replace(/[\s\-._]+/g, '');
  if (['top', 't', 'front', 'f', 'fcu', 'toplayer', 'topside', 'component'].includes(key)) return 'top';
  if (['bottom', 'b', 'back', 'bot', 'bcu', 'bottomlayer', 'bottomside', 'solder'].includes(key)) return 'bottom';
  return undefined;
}

/** Positions to a ten-thousandth of a millimetre, as KiCad writes them: inch conversions leave float tails. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000 + 0;
}

function splitSpaces(line: string): string[] {
  return line.trim().split(/\s+/);
}

/** One line of a delimited file; centroid files never break a cell across lines. */
function splitDelimited(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}
