// Keyset cursors: the sort key and id of the last item of a page, opaque to clients. Whatever comes back is checked
// against the kind of key its sort uses, so a tampered cursor is a 400 saying so, never a database error.
import { invalid } from '../errors.js';

export type CursorKey = 'text' | 'date' | 'number';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const keyIsValid: Record<CursorKey, (k: string) => boolean> = {
  text: () => true,
  date: (k) => k.length <= 40 && !Number.isNaN(new Date(k).getTime()),
  number: (k) => k.trim() !== '' && k.length <= 40 && Number.isFinite(Number(k)),
};

export function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function decodeCursor(cursor: string, key: CursorKey): [string, string] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    /* not JSON: refused below */
  }
  if (
    Array.isArray(v) &&
    v.length === 2 &&
    typeof v[0] === 'string' &&
    typeof v[1] === 'string' &&
    uuid.test(v[1]) &&
    keyIsValid[key](v[0])
  )
    return [v[0], v[1]];
  throw invalid.cursor();
}
