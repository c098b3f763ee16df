// Why a file cannot be read as a BOM: unreadable as a whole (422), or sub-assemblies nested past the depth limit (400:
// real assemblies are a handful of levels deep, and every reader after parsing walks the tree recursively).
import type { BomLine, BomWarning, BomWording } from './model.js';

/** Sub-assemblies deeper than this are refused: a product's BOM rarely passes 10 levels. */
export const maxBomDepth = 64;

/** The file cannot be read as a BOM at all: no header we recognise, or no quantity column. 422 material. */
export class BomUnreadableError extends Error {
  /** The reason's code and values, for readers to word it in their language (`message` is the English). */
  readonly code: string;
  readonly values?: Record<string, string | number>;
  readonly errors: BomWarning[];

  constructor(reason: BomWording, errors: BomWarning[]) {
    super(reason.message);
    this.name = 'BomUnreadableError';
    this.code = reason.code;
    if (reason.values) this.values = reason.values;
    this.errors = errors;
  }
}

/** Sub-assemblies nested deeper than maxBomDepth. */
export class BomTooDeepError extends BomUnreadableError {
  /** `line`: the 1-based line (CSV) or BOM line (JSON) past the limit, 0 when unknown; `position`: its position */
  constructor(line: number, position: string) {
    const reason = {
      code: 'too-deep',
      values: { limit: maxBomDepth },
      message: `sub-assemblies are nested more than ${maxBomDepth} levels deep; the limit is ${maxBomDepth}`,
    };
    super(reason, [{ line, column: '', value: position.slice(0, 80), ...reason }]);
    this.name = 'BomTooDeepError';
  }
}

/** Throws BomTooDeepError when a line sits deeper than the limit (an iterative walk: no recursion to overflow). */
export function checkBomDepth(lines: readonly BomLine[]): void {
  const stack: { lines: readonly BomLine[]; depth: number }[] = [{ lines, depth: 1 }];
  while (stack.length) {
    const { lines: level, depth } = stack.pop()!;
    for (const line of level) {
      if (!line.children?.length) continue;
      if (depth + 1 > maxBomDepth) throw new BomTooDeepError(0, line.position ?? '');
      stack.push({ lines: line.children, depth: depth + 1 });
    }
  }
}
