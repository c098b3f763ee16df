// Quantity cells: "4", "2.5 m", "1,5 kg", "12 pcs", "3/4", "1 1/2\"" → exact decimal + unit.
import { normaliseDecimal } from './decimal.js';
import { parseFraction, parseLocaleNumber, type NumberStyle } from './numbers.js';
import type { BomWording } from './model.js';
import { isKnownUnit, normaliseUnit } from './units.js';

export interface QuantityReading {
  readonly quantity: string;
  /** Canonical unit written in the cell, if any ("2.5 m" → "m"); the unit column is used otherwise. */
  readonly unit?: string;
  /** Set when the value had to be rounded (a fraction like 1/3 has no exact decimal). */
  readonly note?: string;
}

/** Why a quantity cell could not be read: its callers word the warning, each for what it does instead. */
export type QuantityError = { readonly error: string; readonly reason: 'empty' | 'unreadable' | 'negative' };

const PLAIN_QUANTITY = /^\d+(?:\.\d+)?$/;
const NUMBER_THEN_UNIT = /^([-+−]?[\d.,'\u00a0\u202f]*\d(?:[\s\u00a0\u202f]\d{3}(?![\d.,]))*)\s*(\D.*)?$/;
const FRACTION_THEN_UNIT = /^((?:\d+\s+)?\d+\s*\/\s*\d+)\s*([^\d/].*)?$/;
const TIMES_PREFIX = /^[x×]\s*(?=\d)/i;

/** Reads a quantity cell; `{error}` when it is not a non-negative amount. */
export function parseQuantity(raw: string, style: NumberStyle): QuantityReading | QuantityError {
  if (PLAIN_QUANTITY.test(raw)) return { quantity: normaliseDecimal(raw) };
  const text = raw.trim().replace(TIMES_PREFIX, '');
  if (text === '') return { error: 'the quantity is empty', reason: 'empty' };
  const fraction = FRACTION_THEN_UNIT.exec(text);
  if (fraction) {
    const value = parseFraction(fraction[1]!);
    if (value) {
      return withUnit(value.value, fraction[2], value.rounded ? `${fraction[1]} rounded to ${value.value}` : undefined);
    }
  }
  const parts = NUMBER_THEN_UNIT.exec(text);
  if (!parts) return UNREADABLE;
  const quantity = parseLocaleNumber(parts[1]!, style);
  if (quantity === undefined) return UNREADABLE;
  if (quantity.startsWith('-')) return { error: 'a quantity cannot be negative', reason: 'negative' };
  const unitText = parts[2];
  // "1 234,5 m" split wrongly would leave digits in the unit: refuse rather than guess.
  if (unitText !== undefined && /\d/.test(unitText) && !isKnownUnit(unitText)) {
    return UNREADABLE;
  }
  return withUnit(quantity, unitText);
}

const UNREADABLE: QuantityError = { error: 'expected a quantity such as 4, 2.5 m or 3/4', reason: 'unreadable' };

/** The warning of a line's quantity that cannot be read: the line counts 1. */
export function quantityCountedAsOne(reason: QuantityError['reason']): BomWording {
  if (reason === 'empty') return { code: 'quantity-empty', message: 'the quantity is empty; counted as 1' };
  if (reason === 'negative')
    return { code: 'quantity-negative', message: 'a quantity cannot be negative; counted as 1' };
  return { code: 'quantity-unreadable', message: `${UNREADABLE.error}; counted as 1` };
}

/** The warning of a pack size, minimum order or cut length that cannot be read: the field is left out. */
export function amountUnreadable(reason: QuantityError['reason']): BomWording {
  if (reason === 'negative') return { code: 'amount-negative', message: 'a quantity cannot be negative' };
  return { code: 'amount-unreadable', message: UNREADABLE.error };
}

function withUnit(quantity: string, unitText: string | undefined, note?: string): QuantityReading {
  const unit = unitText === undefined ? undefined : unitText.trim();
  const reading: { quantity: string; unit?: string; note?: string } = { quantity };
  if (unit) reading.unit = normaliseUnit(unit);
  if (note) reading.note = note;
  return reading;
}
