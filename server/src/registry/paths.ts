// Every name that becomes a path (version files, the BOM, build photos, imported files and zip entries): normalised
// and checked before anything is stored — the one path check.
import { AppError, type Message, msg, renderMessage } from '../errors.js';

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
  const path = shown.replace(bidiControlsAll, '\uFFFD');
  const bad = (why: Message) =>
    new AppError(
      'bad-path',
      (locale) => renderMessage(msg('paths.bad', { path, why: renderMessage(why, locale) }), locale),
      { errors: [{ field, value: shown, message: why }] },
    );
  if (typeof raw !== 'string' || raw.length === 0) throw bad(msg('paths.empty'));
  if (Buffer.byteLength(raw) > maxPathBytes) throw bad(msg('paths.tooLong', { limit: maxPathBytes }));
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw bad(msg('paths.control'));
  if (bidiControls.test(raw)) throw bad(msg('paths.bidi'));
  if (raw.includes('\\')) throw bad(msg('paths.backslash'));
  if (raw.startsWith('/') || /^[a-zA-Z]:/.test(raw)) throw bad(msg('paths.absolute'));
  const normalized = raw.normalize('NFC');
  const segments = normalized.split('/');
  for (const s of segments) {
    if (s === '') throw bad(msg('paths.emptySegment'));
    if (s === '..') throw bad(msg('paths.climbs'));
    if (s === '.') throw bad(msg('paths.dot'));
  }
  return normalized;
}
