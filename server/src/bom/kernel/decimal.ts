// Exact decimal arithmetic for quantities and money: one decimal.js clone and string helpers.
import DecimalModule from 'decimal.js';
import type { Decimal as DecimalClass } from 'decimal.js';

// decimal.js's ESM build has only a default export while its types are written for CommonJS;
// under NodeNext the default import is typed as the module, so it is retyped as the class here.
const Decimal = DecimalModule as unknown as typeof DecimalClass;

/**
 * A private clone so the precision we need (exact sums and products of BOM quantities) never
 * depends on, or changes, the global decimal.js settings other modules may use. 60 significant
 * digits keep every product of a few dozen BOM decimals exact.
 */
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });
export type Dec = InstanceType<typeof Dec>;

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * Canonical text of a decimal: no exponent, no leading zeros, no trailing fractional zeros,
 * no "-0" ("189.00" → "189", "0.50" → "0.5"). Checksums and equality rely on one spelling.
 * Plain digit strings take a string-only path because parsing 100,000 lines must stay cheap.
 */
export function normaliseDecimal(text: string): string {
  if (PLAIN_DECIMAL.test(text)) return trimDecimalText(text);
  return decimalToString(new Dec(text));
}

function trimDecimalText(text: string): string {
  let negative = false;
  let body = text;
  if (body.charCodeAt(0) === 45 /* - */) {
    negative = true;
    body = body.slice(1);
  }
  let dot = body.indexOf('.');
  if (dot >= 0) {
    let end = body.length;
    while (body.charCodeAt(end - 1) === 48 /* 0 */) end--;
    if (end - 1 === dot) end = dot;
    body = body.slice(0, end);
    dot = body.indexOf('.');
  }
  const intEnd = dot >= 0 ? dot : body.length;
  let start = 0;
  while (start < intEnd - 1 && body.charCodeAt(start) === 48) start++;
  body = body.slice(start);
  if (body === '0') return '0';
  return negative ? `-${body}` : body;
}

export function decimalToString(value: Dec): string {
  if (value.isZero()) return '0';
  return value.toFixed();
}

export function isDecimalText(text: string): boolean {
  return PLAIN_DECIMAL.test(text);
}

/** Sum of decimal strings, exact. */
export function sumDecimals(values: Iterable<string>): string {
  let total = new Dec(0);
  for (const value of values) total = total.plus(value);
  return decimalToString(total);
}

export function multiplyDecimals(a: string, b: string): string {
  if (b === '1') return a;
  if (a === '1') return b;
  return decimalToString(new Dec(a).times(b));
}
