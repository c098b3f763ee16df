// File paths inside a version: normalised and checked before anything is stored.
import { AppError } from '../errors.js';

export const maxPathBytes = 512;

/** Returns the path as stored, or throws a 400 naming the path and what is wrong with it. */
export function checkFilePath(raw: string): string {
  const bad = (why: string) =>
    new AppError('bad-path', `File path "${raw.slice(0, 200)}" ${why}`, {
      errors: [{ field: 'files', value: raw.slice(0, 200), message: why }],
    });
  if (typeof raw !== 'string' || raw.length === 0) throw bad('is empty');
  if (Buffer.byteLength(raw) > maxPathBytes) throw bad(`is longer than ${maxPathBytes} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw bad('contains a control character');
  if (raw.includes('\\')) throw bad('contains a backslash; use / between folders');
  if (raw.startsWith('/') || /^[a-zA-Z]:/.test(raw)) throw bad('is absolute; paths are relative to the version root');
  const path = raw.normalize('NFC');
  const segments = path.split('/');
  for (const s of segments) {
    if (s === '') throw bad('has an empty segment');
    if (s === '..') throw bad('climbs out of the version with ".."');
    if (s === '.') throw bad('has a "." segment');
  }
  return path;
}
