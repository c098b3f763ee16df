// Reference designators of an EDA BOM cell ("R1, R2,R5", "R1-R8", "C1–C3") → the list of single designators.

/** A range longer than this is a typo ("R1-R10000"), not a board: it is kept as written, with a warning. */
export const MAX_DESIGNATOR_RANGE = 1000;

/** Separators between designators: commas, semicolons, spaces. */
const SEPARATORS = /[\s,;]+/;
/** Any dash between two designators, with the spaces around it: "R1 - R8", "R1–R8" (en dash), "R1—R8". */
const RANGE_DASH = /\s*[-\u2010-\u2015\u2212]\s*/g;
/** One designator: a letter prefix and a number (R12, LED3, U_1 is not one). */
const SINGLE = /^([A-Za-z][A-Za-z_]*)(\d+)$/;

export interface DesignatorReading {
  readonly designators: string[];
  /** Designators written twice in the cell (R2 in "R1-R3, R2"), each named once. */
  readonly repeated: string[];
  /** Ranges not expanded because they were longer than MAX_DESIGNATOR_RANGE. */
  readonly tooLong: string[];
}

/**
 * Expands ranges whose two ends share a prefix ("R1-R8", "R8-R1", "R1-8"); any other token is one
 * designator as written (a hierarchical "U1-A" has a letter after the dash and stays whole).
 */
export function readDesignators(cell: string): DesignatorReading {
  const designators: string[] = [];
  const repeated: string[] = [];
  const tooLong: string[] = [];
  const seen = new Set<string>();
  const add = (designator: string) => {
    if (seen.has(designator)) {
      if (!repeated.includes(designator)) repeated.push(designator);
      return;
    }
    seen.add(designator);
    designators.push(designator);
  };
  for (const token of cell.replace(RANGE_DASH, '-').split(SEPARATORS)) {
    if (token === '') continue;
    const range = rangeOf(token);
    if (range === undefined) {
      add(token);
      continue;
    }
    const { prefix, from, to } = range;
    if (Math.abs(to - from) + 1 > MAX_DESIGNATOR_RANGE) {
      tooLong.push(token);
      add(token);
      continue;
    }
    const step = to >= from ? 1 : -1;
    for (let n = from; n !== to + step; n += step) add(`${prefix}${n}`);
  }
  return { designators, repeated, tooLong };
}

function rangeOf(token: string): { prefix: string; from: number; to: number } | undefined {
  const dash = token.indexOf('-');
  if (dash <= 0 || dash !== token.lastIndexOf('-')) return undefined;
  const start = SINGLE.exec(token.slice(0, dash));
  if (!start) return undefined;
  const endText = token.slice(dash + 1);
  const end = /^\d+$/.test(endText) ? [endText, start[1], endText] : SINGLE.exec(endText);
  if (!end || end[1] !== start[1]) return undefined;
  // Leading zeros ("R01-R08") would not survive a numeric range; such a token is kept whole.
  if (/^0\d/.test(start[2]!) || /^0\d/.test(end[2]!)) return undefined;
  return { prefix: start[1]!, from: Number(start[2]), to: Number(end[2]) };
}

export interface DesignatorWarning {
  readonly code: string;
  readonly values: Record<string, string | number>;
  readonly message: string;
  /** True when the warning is about the quantity cell rather than the designators cell. */
  readonly quantity: boolean;
}

/**
 * What a maker should fix in a line's designators: repeats, ranges too long to expand, and (when the
 * file has a quantity column) a quantity in pieces that is not the number of designators.
 */
export function designatorWarnings(
  reading: DesignatorReading,
  line: { readonly quantity: string; readonly unit: string },
  hasQuantityColumn: boolean,
): DesignatorWarning[] {
  const warnings: DesignatorWarning[] = [];
  if (reading.repeated.length > 0) {
    const designators = reading.repeated.join(', ');
    warnings.push({
      code: 'designator-repeated',
      values: { designators },
      message: `${designators} listed more than once; counted once`,
      quantity: false,
    });
  }
  for (const range of reading.tooLong) {
    warnings.push({
      code: 'designator-range-too-long',
      values: { range, limit: MAX_DESIGNATOR_RANGE },
      message: `the range ${range} spans more than ${MAX_DESIGNATOR_RANGE} designators; kept as written, not expanded`,
      quantity: false,
    });
  }
  const count = reading.designators.length;
  if (hasQuantityColumn && count > 0 && line.unit === 'pcs' && line.quantity !== String(count)) {
    warnings.push({
      code: 'designator-count-mismatch',
      values: { quantity: line.quantity, count },
      message: `the quantity is ${line.quantity} but ${count === 1 ? '1 designator is' : `${count} designators are`} listed`,
      quantity: true,
    });
  }
  return warnings;
}
