// Scaling a BOM to N machines and flattening sub-assemblies into one merged list of parts.
import { Dec, decimalToString } from './decimal.js';
import type { BomLine } from './model.js';
import { commonUnit, conversionFactor, unitMeasure } from './units.js';

/** N machines: top-level quantities × N; children stay per one of their parent. */
export function scaleBom(lines: readonly BomLine[], units: Dec | string | number): BomLine[] {
  const factor = new Dec(units);
  return lines.map((line) => ({ ...line, quantity: decimalToString(new Dec(line.quantity).times(factor)) }));
}

/** A line of the flat list before merging, with its total need and the cost it adds. */
export interface FlatPart {
  readonly line: BomLine;
  /** Total need: own quantity × every ancestor's quantity. */
  readonly quantity: Dec;
  /** True when this line or a sub-assembly above it is not fitted. */
  readonly dnf: boolean;
}

/**
 * Every line with its total need. Lines that are bought or costed end up in the flat list:
 * leaves, and sub-assemblies that carry a non-zero price of their own (labour, a bought frame)
 * so the flat list's costs add up to the same totals as the tree.
 */
export function collectFlatParts(lines: readonly BomLine[]): FlatPart[] {
  const parts: FlatPart[] = [];
  const walk = (list: readonly BomLine[], multiplier: Dec, inheritedDnf: boolean) => {
    for (const line of list) {
      const quantity = multiplier.times(line.quantity);
      const dnf = inheritedDnf || line.fitted === false;
      const hasChildren = line.children !== undefined && line.children.length > 0;
      if (!hasChildren || (line.unitCost !== undefined && !new Dec(line.unitCost).isZero()))
        parts.push({ line, quantity, dnf });
      if (hasChildren) walk(line.children!, quantity, dnf);
    }
  };
  walk(lines, new Dec(1), false);
  return parts;
}

/** Parts that are the same thing to buy: same part number, else same name, material and kind of unit. */
export function mergeKey(line: BomLine, dnf: boolean): string {
  const measure = unitMeasure(line.unit) ?? `unit:${line.unit}`;
  // Different currencies or fitted/not-fitted cannot share one line: their costs would not add up.
  const tail = `|${measure}|${line.currency ?? ''}|${dnf ? 'dnf' : ''}|${line.optional ? 'opt' : ''}`;
  if (line.partNumber !== undefined) return `pn:${line.partNumber.trim().toUpperCase()}${tail}`;
  return `name:${line.name.trim().toLowerCase().replace(/\s+/g, ' ')}|${(line.material ?? '').trim().toLowerCase()}${tail}`;
}

export interface MergedPart {
  readonly line: BomLine;
  /** Exact cost of the merged need: the sum of each source line's quantity × its own price. */
  readonly cost: Dec | undefined;
  readonly dnf: boolean;
  /** Source positions whose prices differed (the merged unitCost shows the first). */
  readonly priceConflict: boolean;
}

/**
 * Merges identical parts, converting compatible units (m and mm add up in m; m and in in mm, so
 * no conversion is ever inexact). The merged line keeps the first occurrence's fields.
 */
export function mergeFlatParts(parts: readonly FlatPart[]): MergedPart[] {
  const groups = new Map<string, FlatPart[]>();
  for (const part of parts) {
    const key = mergeKey(part.line, part.dnf);
    const group = groups.get(key);
    if (group) group.push(part);
    else groups.set(key, [part]);
  }
  const merged: MergedPart[] = [];
  for (const group of groups.values()) merged.push(mergeGroup(group));
  return merged;
}

function mergeGroup(group: readonly FlatPart[]): MergedPart {
  const first = group[0]!;
  const unit =
    group.length === 1
      ? first.line.unit
      : (commonUnit(
          first.line.unit,
          group.map((part) => part.line.unit),
        ) ?? first.line.unit);
  let quantity = new Dec(0);
  let cost: Dec | undefined;
  let priceConflict = false;
  const mixedUnits = group.some((part) => part.line.unit !== first.line.unit);
  const firstPricePerBase = mixedUnits ? pricePerUnit(first.line, unit) : undefined;
  for (const part of group) {
    quantity = quantity.plus(
      part.line.unit === unit ? part.quantity : part.quantity.times(conversionFactor(part.line.unit, unit) ?? 1),
    );
    if (part.line.unitCost !== undefined) cost = (cost ?? new Dec(0)).plus(part.quantity.times(part.line.unitCost));
    if (!priceConflict && part !== first) {
      const samePrice =
        part.line.unit === first.line.unit
          ? part.line.unitCost === first.line.unitCost
          : pricePerUnit(part.line, unit) === firstPricePerBase;
      if (!samePrice) priceConflict = true;
    }
  }
  const line: BomLine = { ...first.line, quantity: decimalToString(quantity), unit };
  delete line.children;
  if (first.dnf) line.fitted = false;
  if (unit !== first.line.unit) {
    convertPerUnitFields(line, first.line.unit, unit);
  }
  if (group.length > 1) {
    const designators = unique(group.flatMap((part) => part.line.designators ?? []));
    if (designators.length > 0) line.designators = designators;
    const suppliers = uniqueBy(
      group.flatMap((part) => part.line.suppliers ?? []),
      (s) => `${s.name}|${s.partNumber ?? ''}|${s.url ?? ''}`,
    );
    if (suppliers.length > 0) line.suppliers = suppliers;
  }
  return { line, cost, dnf: first.dnf, priceConflict };
}

/** Price of one `unit`, as text for comparison (undefined when unpriced). */
function pricePerUnit(line: BomLine, unit: string): string | undefined {
  if (line.unitCost === undefined) return undefined;
  const factor = conversionFactor(unit, line.unit) ?? new Dec(1);
  return new Dec(line.unitCost).times(factor).toSignificantDigits(30).toFixed();
}

/** Pack size, minimum order and price are per unit: restate them in the merged unit. */
function convertPerUnitFields(line: BomLine, from: string, to: string): void {
  const factor = conversionFactor(from, to)!;
  if (line.packSize !== undefined) line.packSize = decimalToString(factor.times(line.packSize));
  if (line.minOrder !== undefined) line.minOrder = decimalToString(factor.times(line.minOrder));
  if (line.unitCost !== undefined) {
    const price = new Dec(line.unitCost).div(factor);
    // Shown only: line costs and totals are summed from the source lines, exactly.
    line.unitCost = decimalToString(price.sd() >= 50 ? price.toDecimalPlaces(10) : price);
  }
}

/**
 * The flat list of a BOM: every bought or costed part once, with its total need per the given
 * tree (call on a scaled BOM for N machines). Positions are renumbered 1, 2, 3.
 */
export function flattenBom(lines: readonly BomLine[]): BomLine[] {
  return mergeFlatParts(collectFlatParts(lines)).map((part, i) => ({ ...part.line, position: String(i + 1) }));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function uniqueBy<T>(values: readonly T[], key: (value: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const value of values) if (!seen.has(key(value))) seen.set(key(value), value);
  return [...seen.values()];
}
