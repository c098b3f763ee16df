// The rows of a raw `db.execute(sql...)` result, whichever driver ran it: node-postgres and PGlite answer
// `{ rows }`, a driver that answers the bare array is taken as it is.
export function rowsOf<Row = Record<string, unknown>>(result: unknown): Row[] {
  return ((result as { rows?: Row[] }).rows ?? result) as Row[];
}
