// Rows written in statements of a bounded size: on PGlite each statement runs on the event loop's thread, so one
// statement of hundreds of rows (a version's files) holds the loop for all of them; between statements it is free.
/**
 * rows per insert: measured on the 400-file import (CPU on the loop's thread, loaded 2-core machine), 100-row
 * statements held it 12-14 ms each, 50-row ones under 10 ms
 */
export const rowsPerStatement = 50;

/** `rows` in consecutive slices of at most `size`. */
export function inBatches<T>(rows: readonly T[], size = rowsPerStatement): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
