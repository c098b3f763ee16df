// Currency codes and symbols: which ISO 4217 code a price cell or column header means.

const ISO_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/**
 * Symbols and local spellings. "$" alone is read as USD and "¥" as JPY: the common case in the
 * BOMs we see; a maker who means CAD or CNY writes the code, and the currency column beats the symbol.
 */
const SYMBOLS: Readonly<Record<string, string>> = {
  $: 'USD',
  us$: 'USD',
  usd$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  円: 'JPY',
  'cn¥': 'CNY',
  rmb: 'CNY',
  元: 'CNY',
  '₹': 'INR',
  rs: 'INR',
  r$: 'BRL',
  a$: 'AUD',
  au$: 'AUD',
  c$: 'CAD',
  ca$: 'CAD',
  nz$: 'NZD',
  hk$: 'HKD',
  s$: 'SGD',
  mx$: 'MXN',
  '₩': 'KRW',
  '₽': 'RUB',
  '₺': 'TRY',
  '₴': 'UAH',
  zł: 'PLN',
  zl: 'PLN',
  kč: 'CZK',
  fr: 'CHF',
  sfr: 'CHF',
  '₦': 'NGN',
  ksh: 'KES',
  r: 'ZAR',
  '₱': 'PHP',
  '฿': 'THB',
  '₫': 'VND',
  rp: 'IDR',
  euro: 'EUR',
  euros: 'EUR',
  dollar: 'USD',
  dollars: 'USD',
};

const resolved = new Map<string, string | undefined>();

/** ISO 4217 code for a code or symbol ("eur", "€", "US$"), or undefined. */
export function resolveCurrency(text: string): string | undefined {
  if (resolved.has(text)) return resolved.get(text);
  const code = lookUpCurrency(text);
  // A BOM repeats a handful of currency spellings on every line: remember them.
  if (resolved.size < 1000) resolved.set(text, code);
  return code;
}

function lookUpCurrency(text: string): string | undefined {
  const key = text.trim().toLowerCase();
  if (key === '') return undefined;
  const upper = key.toUpperCase();
  if (upper.length === 3 && ISO_CODES.has(upper)) return upper;
  return SYMBOLS[key];
}

export function isCurrencyCode(code: string): boolean {
  return ISO_CODES.has(code);
}
