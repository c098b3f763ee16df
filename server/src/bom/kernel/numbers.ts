// Reading decimal numbers as people type them: "1,5", "1.234,56", "1 234.5", "3/4", into exact strings.
import { Dec, decimalToString, normaliseDecimal } from './decimal.js';

const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;
const GROUPING_CHARACTERS = /[\s\u00a0\u202f'’_]/g;
const ONLY_DIGITS_AND_SEPARATORS = /^[\d.,]*\d[\d.,]*$/;
const COMMA_GROUPED = /^\d{1,3}(?:,\d{3})+$/;
const DOT_GROUPED = /^\d{1,3}(?:\.\d{3})+$/;
const FRACTION = /^(?:(\d+)\s+)?(\d+)\s*\/\s*(\d+)$/;

export interface NumberStyle {
  /**
   * True for semicolon-separated files, where Europeans write "1,5" for one and a half and a
   * lone comma is always the decimal mark. Elsewhere "1,500" with three digits after a single
   * comma reads as fifteen hundred.
   */
  readonly decimalComma: boolean;
}

/** Exact decimal string of `raw`, or undefined when it is not a plain number. */
export function parseLocaleNumber(raw: string, style: NumberStyle): string | undefined {
  if (PLAIN_NUMBER.test(raw)) return normaliseDecimal(raw);
  let text = raw.trim();
  let sign = '';
  const first = text.charAt(0);
  if (first === '-' || first === '−') {
    sign = '-';
    text = text.slice(1).trimStart();
  } else if (first === '+') text = text.slice(1).trimStart();
  text = text.replace(GROUPING_CHARACTERS, '');
  if (!ONLY_DIGITS_AND_SEPARATORS.test(text)) return undefined;
  const unsigned = splitSeparators(text, style);
  if (unsigned === undefined) return undefined;
  const value = normaliseDecimal((unsigned.startsWith('.') ? '0' : '') + unsigned);
  return value === '0' ? '0' : sign + value;
}

function splitSeparators(text: string, style: NumberStyle): string | undefined {
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    // Both marks: the last one is the decimal mark, the other groups thousands.
    const decimalMark = lastDot > lastComma ? '.' : ',';
    const groupMark = decimalMark === '.' ? ',' : '.';
    const cut = Math.max(lastDot, lastComma);
    const integer = text.slice(0, cut);
    const fraction = text.slice(cut + 1);
    if (fraction.includes(groupMark) || !/^\d*$/.test(fraction)) return undefined;
    if (!(groupMark === ',' ? COMMA_GROUPED : DOT_GROUPED).test(integer)) return undefined;
    return `${integer.split(groupMark).join('')}.${fraction}`;
  }
  if (lastComma >= 0) {
    if (text.indexOf(',') !== lastComma) return COMMA_GROUPED.test(text) ? text.replace(/,/g, '') : undefined;
    if (!style.decimalComma && COMMA_GROUPED.test(text)) return text.replace(',', '');
    return text.replace(',', '.');
  }
  if (lastDot >= 0 && text.indexOf('.') !== lastDot)
    return DOT_GROUPED.test(text) ? text.replace(/\./g, '') : undefined;
  return text;
}

/**
 * "3/4" and "1 1/2" as exact decimals. A fraction with no finite decimal form ("1/3") is
 * rounded to 20 places and flagged so the caller can warn.
 */
export function parseFraction(text: string): { value: string; rounded: boolean } | undefined {
  const match = FRACTION.exec(text.trim());
  if (!match) return undefined;
  const whole = match[1] ?? '0';
  const denominator = new Dec(match[3]!);
  if (denominator.isZero()) return undefined;
  const exact = new Dec(match[2]!).div(denominator).plus(whole);
  const rounded = exact.sd() >= 50;
  return { value: decimalToString(rounded ? exact.toDecimalPlaces(20) : exact), rounded };
}

/** "5%", "5 %" and "0.05" all mean a 5 % loss; a bare number of 1 or more is read as a percentage. */
export function parseAttrition(text: string, style: NumberStyle): string | undefined {
  const percent = text.trim().endsWith('%');
  const value = parseLocaleNumber(text.trim().replace(/%$/, '').trim(), style);
  if (value === undefined || value.startsWith('-')) return undefined;
  const asFraction = percent || new Dec(value).gte(1) ? new Dec(value).div(100) : new Dec(value);
  return decimalToString(asFraction);
}
