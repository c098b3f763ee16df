// Every name that becomes a path (version files, the BOM, build photos, imported files and zip entries): normalised
// and checked before anything is stored — the one path check.
import { AppError } from '../errors.js';

export const maxPathBytes = 512;

/**
 * Bidirectional controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, the LRM/RLM/ALM marks):
 * they make "gpj.exe" read as "exe.jpg" in a listing, so a name holding one is refused.
 */
const bidiControls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const bidiControlsAll = new RegExp(bidiControls.source, 'g');

/**
 * Returns the path as stored, or throws a 400 naming the path and what is wrong with it; `field` is the multipart
 * part or field the name came in.
 */
export function checkFilePath(raw: string, field = 'files'): string {
  const shown = (typeof raw === 'string' ? raw : '').slice(0, 200);
  const bad = (why: string) =>
    new AppError('bad-path', `File path "${shown.replace(bidiControlsAll, '\uFFFD')}" ${why}`, {
      errors: [{ field, value: shown, message: why }],
    });
  if (typeof raw !== 'string' || raw.length === 0) throw bad('is empty');
  if (Buffer.byteLength(raw) > maxPathBytes) throw bad(`is longer than ${maxPathBytes} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw bad('contains a control character');
  if (bidiControls.test(raw))
    throw bad('contains a bidirectional control character (such as U+202E), which disguises names');
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
