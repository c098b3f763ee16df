// Price cells: "$4.00", "4,00 €", "EUR 12", "1.234,56" → exact decimal amount + ISO 4217 currency.
import { resolveCurrency } from './currency.js';
import { normaliseDecimal } from './decimal.js';
import type { BomWording } from './model.js';
import { parseLocaleNumber, type NumberStyle } from './numbers.js';

export interface Money {
  readonly amount: string;
  readonly currency?: string;
}

export type MoneyReading = Money | { readonly error: BomWording } | undefined;

const UNREADABLE = {
  error: { code: 'price-unreadable', message: 'expected a price such as 4.00, $4.00 or 4,00 €' },
} as const;
const PLAIN_AMOUNT = /^\d+(?:\.\d+)?$/;
const NO_PRICE = new Set(['', '-', '–', '—', 'n/a', 'na', 'tbd', '?', '-.--']);
/** A spreadsheet's accounting format writes zero or empty as "$-", " $ -   ", "€ –": a symbol and a dash, no price. */
const ACCOUNTING_DASH = /^[$€£¥]\s*[-–—]+\s*$|^[-–—]+\s*[$€£¥]$/;
const MONEY_PARTS = /^([^\d+\-−.,]*?)\s*([-+−]?[\d.,\s'\u00a0\u202f]*\d)\s*(.*)$/;
/** "/pc", "each", "per m" after a price say what the price is per; the line's unit says that already. */
const PER_UNIT_SUFFIX = /(?:\/.*|\s*\b(?:each|ea|per\b.*|apiece))$/i;

/**
 * Reads a price cell. Empty-ish cells ("", "-", "n/a") give undefined (no price, no warning);
 * text that is not a price gives `{error}` so the parser can keep the line and warn.
 */
export function parseMoney(raw: string, style: NumberStyle): MoneyReading {
  if (PLAIN_AMOUNT.test(raw)) return { amount: normaliseDecimal(raw) };
  const text = raw.trim();
  if (NO_PRICE.has(text.toLowerCase()) || ACCOUNTING_DASH.test(text)) return undefined;
  if (/^free$/i.test(text)) return { amount: '0' };
  const parts = MONEY_PARTS.exec(text);
  if (!parts) return UNREADABLE;
  const before = parts[1]!.trim();
  const after = parts[3]!.replace(PER_UNIT_SUFFIX, '').trim();
  const amount = parseLocaleNumber(parts[2]!, style);
  if (amount === undefined) return UNREADABLE;
  if (amount.startsWith('-')) return { error: { code: 'price-negative', message: 'a price cannot be negative' } };
  if (before !== '' && after !== '') {
    const a = resolveCurrency(before);
    const b = resolveCurrency(after);
    if (a && b && a !== b)
      return {
        error: {
          code: 'price-two-currencies',
          values: { first: a, second: b },
          message: `two currencies in one price (${a} and ${b})`,
        },
      };
    if (!a && !b) return unknownCurrency(`${before} ${after}`);
    return { amount, currency: a ?? b };
  }
  const symbol = before || after;
  if (symbol === '') return { amount };
  const currency = resolveCurrency(symbol);
  if (currency === undefined) return unknownCurrency(symbol);
  return { amount, currency };
}

function unknownCurrency(symbol: string): MoneyReading {
  return {
    error: { code: 'price-currency-unknown', values: { currency: symbol }, message: `unknown currency "${symbol}"` },
  };
}
