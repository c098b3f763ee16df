// orderQuantity: what to buy for an exact need, given pack size, minimum order and attrition.
import { Dec, decimalToString } from './decimal.js';
import type { BomLine } from './model.js';
import { unitMeasure } from './units.js';

/**
 * Undefined when the line gives none of packSize, minOrder, attrition (then the need is the order).
 * Otherwise: need × (1 + attrition), rounded up to whole pieces for counted units, then up to a
 * multiple of the pack size, and at least the minimum order (itself rounded up to whole packs).
 */
export function orderQuantity(
  need: Dec,
  line: Pick<BomLine, 'packSize' | 'minOrder' | 'attrition' | 'unit'>,
): string | undefined {
  if (line.packSize === undefined && line.minOrder === undefined && line.attrition === undefined) return undefined;
  let order = line.attrition === undefined ? need : need.times(new Dec(1).plus(line.attrition));
  if (unitMeasure(line.unit) === 'count' || unitMeasure(line.unit) === undefined) order = order.ceil();
  const pack = line.packSize === undefined ? undefined : new Dec(line.packSize);
  const toPacks = (value: Dec) => (pack && !pack.isZero() ? value.div(pack).ceil().times(pack) : value);
  order = toPacks(order);
  if (line.minOrder !== undefined && order.gt(0)) {
    const minimum = toPacks(new Dec(line.minOrder));
    if (minimum.gt(order)) order = minimum;
  }
  return decimalToString(order);
}
