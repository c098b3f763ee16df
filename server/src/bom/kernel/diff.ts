// diffBom: what changed between two BOMs — lines added, removed and changed, and the cost delta.
import { Dec, decimalToString } from './decimal.js';
import type { BomLine } from './model.js';
import { convertQuantity } from './units.js';
import { bomView } from './view.js';

export type DiffField = 'quantity' | 'unit' | 'unitCost' | 'currency' | 'supplier' | 'material' | 'partNumber';

/** A line as compared: its fields, with `quantity` the total need per machine. */
export type DiffLine = Omit<BomLine, 'children'>;

export interface ChangedLine {
  /** "pn:<part number>" or "name:<name>": how the two lines were matched. */
  key: string;
  partNumber?: string;
  name: string;
  changes: Partial<Record<DiffField, { from: string | null; to: string | null }>>;
  /** The two lines as matched, so a reader sees the whole line before and after, not only what changed. */
  from: DiffLine;
  to: DiffLine;
}

export interface BomDiff {
  added: DiffLine[];
  removed: DiffLine[];
  changed: ChangedLine[];
  unchanged: number;
  /** to − from, per currency, over the totals of one machine; every currency of either side. */
  costDelta: Record<string, string>;
}

/**
 * Compares what one machine needs: each line with its total need (quantity × its sub-assemblies'),
 * so moving a part into a sub-assembly is no change. Lines match by part number, then the rest by
 * name (case-insensitive); a quantity restated in another unit (6.2 m → 6200 mm) changes only `unit`.
 */
export function diffBom(from: readonly BomLine[], to: readonly BomLine[]): BomDiff {
  const before = linesWithNeeds(from);
  const after = linesWithNeeds(to);
  const matches: [DiffLine, DiffLine, string][] = [];
  const unmatchedAfter = new Set(after);
  const unmatchedBefore: DiffLine[] = [];
  const byPartNumber = new Map<string, DiffLine[]>();
  for (const line of after) if (line.partNumber) push(byPartNumber, line.partNumber, line);
  for (const line of before) {
    const candidate = line.partNumber ? take(byPartNumber, line.partNumber, unmatchedAfter) : undefined;
    if (candidate) matches.push([line, candidate, `pn:${line.partNumber}`]);
    else unmatchedBefore.push(line);
  }
  const byName = new Map<string, DiffLine[]>();
  for (const line of after) if (unmatchedAfter.has(line)) push(byName, nameKey(line), line);
  const removed: DiffLine[] = [];
  for (const line of unmatchedBefore) {
    const candidate = take(byName, nameKey(line), unmatchedAfter);
    if (candidate) matches.push([line, candidate, `name:${nameKey(line)}`]);
    else removed.push(line);
  }
  const changed: ChangedLine[] = [];
  let unchanged = 0;
  for (const [a, b, key] of matches) {
    const changes = compareLines(a, b);
    if (Object.keys(changes).length === 0) unchanged++;
    else
      changed.push({
        key,
        ...((b.partNumber ?? a.partNumber) ? { partNumber: (b.partNumber ?? a.partNumber)! } : {}),
        name: b.name,
        changes,
        from: a,
        to: b,
      });
  }
  return {
    added: after.filter((line) => unmatchedAfter.has(line)),
    removed,
    changed,
    unchanged,
    costDelta: costDelta(from, to),
  };
}

function linesWithNeeds(lines: readonly BomLine[]): DiffLine[] {
  const result: DiffLine[] = [];
  const walk = (list: readonly BomLine[], multiplier: Dec) => {
    for (const line of list) {
      const need = multiplier.times(line.quantity);
      const { children, ...fields } = line;
      result.push({ ...fields, quantity: decimalToString(need) });
      if (children) walk(children, need);
    }
  };
  walk(lines, new Dec(1));
  return result;
}

function compareLines(a: DiffLine, b: DiffLine): ChangedLine['changes'] {
  const changes: ChangedLine['changes'] = {};
  const note = (field: DiffField, x: string | undefined, y: string | undefined) => {
    if ((x ?? null) !== (y ?? null)) changes[field] = { from: x ?? null, to: y ?? null };
  };
  const sameAmount =
    a.unit === b.unit
      ? new Dec(a.quantity).eq(b.quantity)
      : convertQuantity(a.quantity, a.unit, b.unit) === decimalToString(new Dec(b.quantity));
  if (!sameAmount) changes.quantity = { from: a.quantity, to: b.quantity };
  note('unit', a.unit, b.unit);
  if (!(a.unitCost !== undefined && b.unitCost !== undefined && new Dec(a.unitCost).eq(b.unitCost)))
    note('unitCost', a.unitCost, b.unitCost);
  note('currency', a.currency, b.currency);
  note('supplier', supplierText(a), supplierText(b));
  note('material', a.material, b.material);
  note('partNumber', a.partNumber, b.partNumber);
  return changes;
}

function supplierText(line: DiffLine): string | undefined {
  return line.suppliers && line.suppliers.length > 0
    ? line.suppliers.map((supplier) => supplier.name).join(', ')
    : undefined;
}

function costDelta(from: readonly BomLine[], to: readonly BomLine[]): Record<string, string> {
  const a = bomView(from).totals.byCurrency;
  const b = bomView(to).totals.byCurrency;
  const delta: Record<string, string> = {};
  for (const currency of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    delta[currency] = decimalToString(new Dec(b[currency] ?? 0).minus(a[currency] ?? 0));
  }
  return delta;
}

function nameKey(line: DiffLine): string {
  return line.name.trim().toLowerCase().replace(/\s+/g, ' ');
}

function push(map: Map<string, DiffLine[]>, key: string, line: DiffLine): void {
  const list = map.get(key);
  if (list) list.push(line);
  else map.set(key, [line]);
}

function take(map: Map<string, DiffLine[]>, key: string, unmatched: Set<DiffLine>): DiffLine | undefined {
  const candidate = map.get(key)?.find((line) => unmatched.has(line));
  if (candidate) unmatched.delete(candidate);
  return candidate;
}
