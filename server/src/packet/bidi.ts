// Right-to-left lines for pdfkit. pdfkit lays a line out word by word (split at spaces) and fontkit shapes each word:
// an Arabic word comes out joined and in visual order already (fontkit reverses an RTL script's glyphs), but the words
// of a line stay in logical order, left to right. This puts each line's words in visual order for a right-to-left
// paragraph (a simplified Unicode bidi at word level: runs of left-to-right words — Latin, numbers, part numbers,
// file names — keep their order; everything else is reversed) and sets text meant to start at the left margin
// against the right one.

const rtlLetter = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
const ltrLetter = /[\p{L}\p{N}]/u;
/** Signs that follow a number they stand by (currency, percent, degrees): they read with it. */
const numberSign = /^[\p{Sc}%‰°]+[.,:;)]*$/u;

type Direction = 'L' | 'R' | 'N';

function directionOf(word: string): Direction {
  if (rtlLetter.test(word)) return 'R';
  if (ltrLetter.test(word)) return 'L';
  return 'N';
}

/** A line's words in visual order for a right-to-left paragraph. */
export function visualLine(line: string): string {
  const words = line.split(' ');
  if (!words.some((w) => rtlLetter.test(w))) {
    // a line with no right-to-left letter (a URL, a licence id, a number) reads left to right as it is
    return line;
  }
  const dirs = words.map(directionOf);
  // neutrals (punctuation, signs, empty words of double spaces) between two left-to-right words join them;
  // a currency or percent sign next to a number reads with it; other neutrals follow the paragraph (right to left)
  const resolved = dirs.map((d, i) => {
    if (d !== 'N') return d;
    const before = dirs
      .slice(0, i)
      .reverse()
      .find((x) => x !== 'N');
    const after = dirs.slice(i + 1).find((x) => x !== 'N');
    if (before === 'L' && after === 'L') return 'L';
    if (numberSign.test(words[i]!) && (/\d/.test(words[i - 1] ?? '') || /\d/.test(words[i + 1] ?? ''))) return 'L';
    return 'R';
  });
  // runs of left-to-right words keep their order; the runs and right-to-left words are reversed
  const out: string[] = [];
  let i = words.length - 1;
  while (i >= 0) {
    if (resolved[i] === 'L') {
      let start = i;
      while (start > 0 && resolved[start - 1] === 'L') start--;
      out.push(words.slice(start, i + 1).join(' '));
      i = start - 1;
    } else {
      out.push(words[i]!);
      i--;
    }
  }
  return out.join(' ');
}

interface FragmentOptions {
  align?: string;
  width?: number;
}
type Fragment = (this: PDFKit.PDFDocument, text: string, x: number, y: number, options: FragmentOptions) => unknown;

const mirrors: Record<string, string> = {
  '(': ')',
  ')': '(',
  '[': ']',
  ']': '[',
  '{': '}',
  '}': '{',
  '<': '>',
  '>': '<',
  '«': '»',
  '»': '«',
  '‹': '›',
  '›': '‹',
};

/** A word fontkit lays out right to left: its first letter is of a right-to-left script. */
function rightToLeftWord(word: string): boolean {
  const first = /\p{L}/u.exec(word);
  return !!first && rtlLetter.test(first[0]);
}

interface Run {
  glyphs: unknown[];
  positions: unknown[];
  advanceWidth: number;
}
type LayoutRun = (this: unknown, text: string, features?: unknown) => Run;
const patched = new WeakSet<object>();

/**
 * pdfkit lays out "word " with its space; fontkit reverses a right-to-left word's glyphs, space included, so the space
 * lands on the word's left and two words meet. Laid out as the word then the space, it stays on the right as for any
 * other word. Patched on the class of the document's current (embedded TrueType) font, once, for every packet (an
 * English packet may print an Arabic title): the same inputs give the same bytes whatever was made before.
 */
export function keepSpacesAfterWords(doc: PDFKit.PDFDocument): void {
  const font = (doc as unknown as { _font?: object })._font;
  const proto = font && (Object.getPrototypeOf(font) as { layoutRun?: LayoutRun });
  if (!proto?.layoutRun || patched.has(proto)) return;
  patched.add(proto);
  const layoutRun = proto.layoutRun;
  proto.layoutRun = function (text, features) {
    if (!rightToLeftWord(text)) return layoutRun.call(this, text, features);
    // fontkit reverses the word's glyphs: brackets and quotes are swapped first so they face the right way
    const mirrored = text.replace(/[()[\]{}<>«»‹›]/g, (c) => mirrors[c] ?? c);
    const m = /^([^]*?)(\s+)$/.exec(mirrored);
    if (!m) return layoutRun.call(this, mirrored, features);
    const word = layoutRun.call(this, m[1]!, features);
    const space = layoutRun.call(this, m[2]!, features);
    return {
      glyphs: [...word.glyphs, ...space.glyphs],
      positions: [...word.positions, ...space.positions],
      advanceWidth: word.advanceWidth + space.advanceWidth,
    };
  };
}

/** Makes a document write right to left: every line in visual order, left-aligned text set against the right. */
export function rightToLeft(doc: PDFKit.PDFDocument): void {
  const target = doc as unknown as { _fragment: Fragment };
  const fragment = target._fragment;
  target._fragment = function (text, x, y, options) {
    const trimmed = text.replace(/\s+$/, '');
    if (options.width && (options.align === undefined || options.align === 'left')) options.align = 'right';
    return fragment.call(this, visualLine(trimmed), x, y, options);
  };
}
