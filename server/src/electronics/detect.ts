// Recognises circuit-board fabrication files by content, whatever their name: Gerber (RS-274X) and Excellon drill.

export type BoardFileFormat = 'gerber' | 'excellon';

/** Enough of the start of a file to decide: both formats declare themselves in their first commands. */
const HEAD_BYTES = 8192;

function head(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < Math.min(bytes.length, HEAD_BYTES); i++) {
    const c = bytes[i];
    // text only: a NUL or other control byte (tab, CR and LF aside) means a binary file
    if (c < 9 || (c > 13 && c < 32)) return '';
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Gerber: an extended command that only RS-274X has (%FS…*% format, %MO…*% units, %AD…*% apertures) or, for the old
 * RS-274-D with comments, G04 comments followed by draw/flash codes. Excellon: an M48 header, or tool selects and
 * coordinates ending in M30 (headerless drill files from older CAD).
 */
export function detectBoardFile(bytes: Uint8Array): BoardFileFormat | null {
  const text = head(bytes);
  if (!text) return null;
  if (/%FS[LTD]?[AI]X\d\dY\d\d\*%/.test(text) || /%MO(MM|IN)\*%/.test(text)) return 'gerber';
  if (/^\s*G04[^\n]*\*\s*$/m.test(text) && /\bD0?[123]\*/.test(text)) return 'gerber';
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const firstCommand = lines.find((l) => l && !l.startsWith(';'));
  if (firstCommand === 'M48') return 'excellon';
  if (lines.some((l) => /^T\d+C[\d.]+/.test(l)) && lines.some((l) => /^X[-+\d.]+Y[-+\d.]+$/.test(l))) return 'excellon';
  return null;
}
