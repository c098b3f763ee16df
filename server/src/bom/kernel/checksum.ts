// bomChecksum: the sha256 that identifies a BOM's content, shown on the version and in every export.
import { createHash } from 'node:crypto';
import { normaliseDecimal } from './decimal.js';
import type { BomLine } from './model.js';

const DECIMAL_FIELDS = new Set([
  'quantity',
  'unitCost',
  'packSize',
  'minOrder',
  'attrition',
  'cutLength',
  'quantityPer',
  'orderQuantity',
  'lineCost',
]);

/**
 * Canonical JSON: keys sorted, undefined left out, decimals in one spelling ("6.20" and 6.2 both
 * "6.2"), arrays in their order (order is meaning in a BOM). The same BOM from CSV or from JSON
 * gets the same checksum.
 */
export function canonicalBomJson(lines: readonly BomLine[]): string {
  return JSON.stringify(canonical(lines, ''));
}

export function bomChecksum(lines: readonly BomLine[]): string {
  return createHash('sha256').update(canonicalBomJson(lines)).digest('hex');
}

function canonical(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item, ''));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const field of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[field];
      if (item !== undefined) result[field] = canonical(item, field);
    }
    return result;
  }
  if (DECIMAL_FIELDS.has(key) && (typeof value === 'string' || typeof value === 'number'))
    return normaliseDecimal(String(value));
  return value;
}
