// bomView: a BOM for N machines — total needs, order quantities, line costs, totals per currency.
import { Dec, decimalToString } from './decimal.js';
import type { BomLine } from './model.js';
import { orderQuantity } from './order.js';
import { collectFlatParts, mergeFlatParts, scaleBom } from './scale.js';

/** A line as the API shows it: the BomLine with quantities for the requested number of machines. */
export interface BomViewLine extends Omit<BomLine, 'children'> {
  /** Exact total need for the requested units: own quantity × every ancestor's × units. */
  quantity: string;
  /** Quantity per one of the parent line (for top-level lines, equal to `quantity`). */
  quantityPer: string;
  /** What to buy once packSize, minOrder and attrition apply; absent when the line gives none. */
  orderQuantity?: string;
  /** quantity × unitCost, exact, in `currency`; absent for unpriced and not-fitted lines. */
  lineCost?: string;
  children?: BomViewLine[];
}

export interface BomViewOptions {
  /** Number of machines (default 1). Any non-negative decimal; quantities scale linearly. */
  units?: number | string;
  /** One merged list of parts instead of the tree. */
  flatten?: boolean;
  /** Currency to convert the totals into. */
  currency?: string;
  /**
   * rates[X] = how much of `currency` one X is worth. With currency EUR, {EUR: "1", USD: "0.92"}
   * reads "1 USD = 0.92 EUR". The target currency's own rate defaults to 1.
   */
  rates?: Record<string, string>;
}

export interface BomTotals {
  /** Σ lineCost per currency; "XXX" (ISO 4217 "no currency") collects prices given without one. */
  byCurrency: Record<string, string>;
  converted?: { currency: string; amount: string };
}

export interface BomViewWarning {
  /** The line concerned, or "" for the whole BOM. */
  position: string;
  /** Stable kebab-case code: its sentence is `bomWarnings.<camelCase code>` in locales/<tag>.json. */
  code: string;
  /** The numbers and words that sentence needs. */
  values?: Record<string, string | number>;
  /** The sentence in English. */
  message: string;
}

export interface BomView {
  lines: BomViewLine[];
  totals: BomTotals;
  warnings: BomViewWarning[];
}

const NO_CURRENCY = 'XXX';

/**
 * Cost rule: every priced line counts, unitCost × its total need, sub-assemblies included: a
 * sub-assembly's own price is what it costs beyond its children (welding labour, a bought frame),
 * so it is added to them, never instead of them. Not-fitted lines (fitted: false, or under such a
 * sub-assembly) cost nothing. Optional lines count. The flat view gives the same totals.
 */
export function bomView(lines: readonly BomLine[], options: BomViewOptions = {}): BomView {
  const units = new Dec(options.units ?? 1);
  if (!units.isFinite() || units.isNegative())
    throw new RangeError(`units must be a number of machines ≥ 0, got ${String(options.units)}`);
  const warnings: BomViewWarning[] = [];
  const scaled = scaleBom(lines, units);
  const byCurrency = new Map<string, Dec>();
  const addCost = (currency: string | undefined, cost: Dec) => {
    const key = currency ?? NO_CURRENCY;
    byCurrency.set(key, (byCurrency.get(key) ?? new Dec(0)).plus(cost));
  };
  const viewLines = options.flatten
    ? flatView(scaled, addCost, warnings)
    : treeView(scaled, new Dec(1), false, addCost);
  const totals: BomTotals = {
    byCurrency: Object.fromEntries(
      [...byCurrency]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, amount]) => [currency, decimalToString(amount)]),
    ),
  };
  if (options.currency !== undefined) {
    const converted = convertTotals(byCurrency, options.currency, options.rates ?? {}, warnings);
    if (converted) totals.converted = converted;
  }
  return { lines: viewLines, totals, warnings };
}

function treeView(
  lines: readonly BomLine[],
  multiplier: Dec,
  inheritedDnf: boolean,
  addCost: (currency: string | undefined, cost: Dec) => void,
): BomViewLine[] {
  return lines.map((line) => {
    const need = multiplier.times(line.quantity);
    const dnf = inheritedDnf || line.fitted === false;
    const { children, ...fields } = line;
    const view: BomViewLine = { ...fields, quantity: decimalToString(need), quantityPer: line.quantity };
    decorate(view, need, dnf, line.unitCost === undefined ? undefined : need.times(line.unitCost), addCost);
    if (children && children.length > 0) view.children = treeView(children, need, dnf, addCost);
    return view;
  });
}

function flatView(
  lines: readonly BomLine[],
  addCost: (currency: string | undefined, cost: Dec) => void,
  warnings: BomViewWarning[],
): BomViewLine[] {
  return mergeFlatParts(collectFlatParts(lines)).map((part, i) => {
    const position = String(i + 1);
    if (part.priceConflict)
      warnings.push({
        position,
        code: 'unit-prices-differ',
        values: { name: part.line.name },
        message: `"${part.line.name}" appears with different unit prices; unitCost shows the first, lineCost adds each at its own price`,
      });
    const { children: _children, ...fields } = part.line;
    const view: BomViewLine = { ...fields, position, quantityPer: part.line.quantity };
    decorate(view, new Dec(part.line.quantity), part.dnf, part.cost, addCost);
    return view;
  });
}

function decorate(
  view: BomViewLine,
  need: Dec,
  dnf: boolean,
  cost: Dec | undefined,
  addCost: (currency: string | undefined, cost: Dec) => void,
): void {
  if (dnf) return;
  const order = orderQuantity(need, view);
  if (order !== undefined) view.orderQuantity = order;
  if (cost !== undefined) {
    view.lineCost = decimalToString(cost);
    addCost(view.currency, cost);
  }
}

function convertTotals(
  byCurrency: ReadonlyMap<string, Dec>,
  target: string,
  rates: Record<string, string>,
  warnings: BomViewWarning[],
): BomTotals['converted'] {
  let amount = new Dec(0);
  const missing: string[] = [];
  for (const [currency, total] of byCurrency) {
    const rate = rates[currency] ?? (currency === target ? '1' : undefined);
    if (rate === undefined) missing.push(currency);
    else amount = amount.plus(total.times(rate));
  }
  if (missing.length > 0) {
    warnings.push({
      position: '',
      code: 'exchange-rate-missing',
      values: { currency: target, missing: missing.join(', ') },
      message: `no exchange rate to ${target} for ${missing.join(', ')}; totals not converted`,
    });
    return undefined;
  }
  return { currency: target, amount: decimalToString(amount) };
}

/** Rates from a query string: "EUR:1,USD:0.92" → {EUR: "1", USD: "0.92"}; undefined if malformed. */
export function parseRates(text: string): Record<string, string> | undefined {
  const rates: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const match = /^\s*([A-Za-z]{3})\s*[:=]\s*(\d+(?:\.\d+)?)\s*$/.exec(pair);
    if (!match) return undefined;
    rates[match[1]!.toUpperCase()] = match[2]!;
  }
  return rates;
}
