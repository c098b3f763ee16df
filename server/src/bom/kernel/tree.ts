// Sub-assemblies: turning flat rows with a level, position or parent column into a tree of lines.
import type { BomLine, BomWarning } from './model.js';

/**
 * The rows of a table as parallel arrays (one entry per line; `structures` and `parents` empty
 * when the file has no such column): 100,000 rows should not cost 100,000 extra objects.
 */
export interface PlacedRows {
  readonly lines: BomLine[];
  /** 1-based line in the file, for warnings. */
  readonly lineNumbers: number[];
  /** Level or position cells: "1.2" (dotted), "2" (depth or label). */
  readonly structures: (string | undefined)[];
  /** Parent cells: the parent's position or part number. */
  readonly parents: (string | undefined)[];
}

interface PlacedRow {
  readonly line: BomLine;
  readonly lineNumber: number;
  readonly structure?: string;
  readonly parent?: string;
}

export interface TreeColumns {
  /** 'level' for a level/indent column, 'position' for a POS/# column. */
  readonly structureKind?: 'level' | 'position';
  readonly structureHeader: string;
  readonly parentHeader: string;
}

const INTEGER = /^\d+$/;

/**
 * How the rows say where they sit:
 * - dotted labels (1, 1.1, 1.2, 2): the parent is the label minus its last part;
 * - depth numbers (0/1/2 or 1/2/3) in a level column: a row hangs under the nearest row above it
 *   one level up. Integers that only ever increase (1, 2, 3…) are read as labels of a flat list,
 *   since a running item number is far more common than a chain of single children;
 * - a parent column naming another row's position or part number;
 * - nothing: a flat list numbered 1, 2, 3.
 * Labels from the file are kept (they match drawings); generated positions are dotted.
 */
export function buildTree(placed: PlacedRows, columns: TreeColumns, warnings: BomWarning[]): BomLine[] {
  const labels = placed.structures;
  const hasStructure = labels.some((label) => label !== undefined);
  const hasParents = placed.parents.some((parent) => parent !== undefined);
  if (!hasStructure && !hasParents) {
    numberPositions(placed.lines, '');
    return placed.lines;
  }
  const dotted = labels.some((label) => label?.includes('.'));
  if (hasStructure && (dotted || !hasParents) && !(columns.structureKind === 'level' && looksLikeDepths(labels))) {
    return treeFromLabels(placed, columns, warnings);
  }
  const rows: PlacedRow[] = placed.lines.map((line, i) => ({
    line,
    lineNumber: placed.lineNumbers[i]!,
    structure: labels[i],
    parent: placed.parents[i],
  }));
  if (hasStructure && columns.structureKind === 'level' && looksLikeDepths(labels))
    return treeFromDepths(rows, columns, warnings);
  return treeFromParents(rows, columns, warnings, hasStructure && labels.every((label) => label !== undefined));
}

function looksLikeDepths(labels: readonly (string | undefined)[]): boolean {
  let previous = -1;
  let increasingOnly = true;
  for (const label of labels) {
    if (label === undefined) continue;
    if (!INTEGER.test(label)) return false;
    const value = Number(label);
    if (value <= previous) increasingOnly = false;
    previous = value;
  }
  return !increasingOnly;
}

function treeFromDepths(rows: readonly PlacedRow[], columns: TreeColumns, warnings: BomWarning[]): BomLine[] {
  const depths = rows.map((row) => (row.structure === undefined ? undefined : Number(row.structure)));
  const top = Math.min(...depths.filter((depth): depth is number => depth !== undefined));
  const roots: BomLine[] = [];
  const stack: BomLine[] = [];
  rows.forEach((row, i) => {
    let depth = depths[i] === undefined ? 0 : depths[i]! - top;
    if (depths[i] === undefined)
      warnings.push({
        line: row.lineNumber,
        column: columns.structureHeader,
        value: '',
        code: 'level-missing',
        message: 'no level; placed at the top level',
      });
    if (depth > stack.length) {
      warnings.push({
        line: row.lineNumber,
        column: columns.structureHeader,
        value: row.structure ?? '',
        code: 'level-jump',
        values: { from: stack.length - 1 + top, to: depth + top },
        message: `level jumps from ${stack.length - 1 + top} to ${depth + top}; placed one level below the row above`,
      });
      depth = stack.length;
    }
    stack.length = depth;
    attach(depth === 0 ? roots : childrenOf(stack[depth - 1]!), row.line);
    stack.push(row.line);
  });
  numberPositions(roots, '');
  return roots;
}

/**
 * Rows nearly always follow their parent, so the parent is looked for on the path of open
 * assemblies first; a map of every label is built only if some row comes before its parent.
 */
function treeFromLabels(placed: PlacedRows, columns: TreeColumns, warnings: BomWarning[]): BomLine[] {
  const roots: BomLine[] = [];
  const path: BomLine[] = [];
  const seen: BomLine[] = [];
  let byLabel: Map<string, BomLine> | undefined;
  let lastTop = 0;
  for (let i = 0; i < placed.lines.length; i++) {
    const line = placed.lines[i]!;
    const lineNumber = placed.lineNumbers[i]!;
    const structure = placed.structures[i];
    let label = structure?.endsWith('.') ? structure.slice(0, -1) : structure;
    if (label === undefined || label === '') {
      label = String(lastTop + 1);
      warnings.push({
        line: lineNumber,
        column: columns.structureHeader,
        value: '',
        code: 'position-missing',
        values: { position: label },
        message: `no position; numbered ${label}`,
      });
    }
    line.position = label;
    const cut = label.lastIndexOf('.');
    let siblings: BomLine[];
    if (cut < 0) {
      if (INTEGER.test(label)) lastTop = Math.max(lastTop, Number(label));
      path.length = 0;
      siblings = roots;
    } else {
      const parentLabel = label.slice(0, cut);
      while (path.length > 0 && path[path.length - 1]!.position !== parentLabel) path.pop();
      let parent: BomLine | undefined = path[path.length - 1];
      if (!parent) {
        byLabel ??= labelIndex(seen);
        // Some sheets number assemblies 1.0, 2.0 and their parts 1.1, 1.2.
        parent = byLabel.get(parentLabel) ?? byLabel.get(`${parentLabel}.0`);
        if (parent) path.push(parent);
      }
      if (parent) siblings = childrenOf(parent);
      else {
        warnings.push({
          line: lineNumber,
          column: columns.structureHeader,
          value: label,
          code: 'parent-position-missing',
          values: { parent: parentLabel },
          message: `no line at position ${parentLabel} above this one; placed at the top level`,
        });
        siblings = roots;
      }
    }
    if (siblings.length > 0 && siblings[siblings.length - 1]!.position === label) {
      warnings.push({
        line: lineNumber,
        column: columns.structureHeader,
        value: label,
        code: 'position-repeated',
        message: 'this position appears twice in a row',
      });
    }
    siblings.push(line);
    path.push(line);
    seen.push(line);
    if (byLabel && !byLabel.has(label)) byLabel.set(label, line);
  }
  return roots;
}

function labelIndex(lines: readonly BomLine[]): Map<string, BomLine> {
  const index = new Map<string, BomLine>();
  for (const line of lines) if (!index.has(line.position)) index.set(line.position, line);
  return index;
}

function treeFromParents(
  rows: readonly PlacedRow[],
  columns: TreeColumns,
  warnings: BomWarning[],
  keepLabels: boolean,
): BomLine[] {
  const byKey = new Map<string, number>();
  rows.forEach((row, i) => {
    if (row.structure !== undefined && !byKey.has(row.structure)) byKey.set(row.structure, i);
  });
  rows.forEach((row, i) => {
    const partNumber = row.line.partNumber;
    if (partNumber !== undefined && !byKey.has(partNumber)) byKey.set(partNumber, i);
  });
  const parentOf = rows.map((row) => {
    if (row.parent === undefined) return -1;
    const index = byKey.get(row.parent);
    if (index === undefined) {
      warnings.push({
        line: row.lineNumber,
        column: columns.parentHeader,
        value: row.parent,
        code: 'parent-not-found',
        message: 'no line with this position or part number; placed at the top level',
      });
      return -1;
    }
    return index;
  });
  // A parent chain that loops back (A under B under A) would make an endless assembly: cut it.
  parentOf.forEach((_, i) => {
    const seen = new Set<number>([i]);
    for (let p = parentOf[i]!; p >= 0; p = parentOf[p]!) {
      if (seen.has(p)) {
        warnings.push({
          line: rows[i]!.lineNumber,
          column: columns.parentHeader,
          value: rows[i]!.parent ?? '',
          code: 'parent-loop',
          message: 'parent chain loops back to this line; placed at the top level',
        });
        parentOf[i] = -1;
        break;
      }
      seen.add(p);
    }
  });
  const roots: BomLine[] = [];
  rows.forEach((row, i) => {
    if (keepLabels && row.structure !== undefined) row.line.position = row.structure;
    const parent = parentOf[i]!;
    attach(parent < 0 ? roots : childrenOf(rows[parent]!.line), row.line);
  });
  if (!keepLabels) numberPositions(roots, '');
  return roots;
}

function childrenOf(line: BomLine): BomLine[] {
  if (!line.children) line.children = [];
  return line.children;
}

function attach(list: BomLine[], line: BomLine): void {
  list.push(line);
}

/** Dotted positions 1, 1.1, 1.2, 2 for lines whose source gave none. */
export function numberPositions(lines: readonly BomLine[], prefix: string): void {
  // iterative: a tree is numbered before its depth is checked, however deep a hostile file nests it
  const pending: { lines: readonly BomLine[]; prefix: string }[] = [{ lines, prefix }];
  while (pending.length) {
    const level = pending.pop()!;
    level.lines.forEach((line, i) => {
      line.position = `${level.prefix}${i + 1}`;
      if (line.children) pending.push({ lines: line.children, prefix: `${line.position}.` });
    });
  }
}
