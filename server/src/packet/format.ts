// How numbers read on paper: money to the cent, lengths and sizes in mm with thin grouping, facts of meshes.
import { Dec } from '../bom/kernel/decimal.js';
import type { Translate } from '../locales/translate.js';
import { displayNames } from '../locales/display-names.js';

/** "1234.5" → "1 234.50": money to the cent, shown only (the BOM keeps the exact value). */
export function money(amount: string | undefined, currency?: string): string {
  if (amount === undefined) return '';
  const text = group(new Dec(amount).toFixed(2));
  return currency && currency !== 'XXX' ? `${text} ${currency}` : text;
}

/** Digits grouped by thin spaces: 12500 → "12 500"; decimals kept as given. */
export function group(text: string): string {
  const [whole, frac] = text.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return frac !== undefined ? `${grouped}.${frac}` : grouped;
}

/** A decimal to at most `places` decimals, trailing zeros dropped. */
export function decimal(text: string | number, places = 3): string {
  return group(new Dec(text).toDecimalPlaces(places).toString());
}

export function quantity(q: string, unit: string): string {
  return `${decimal(q)} ${unit}`;
}

const round = (n: number, places = 1) => String(Math.round(n * 10 ** places) / 10 ** places);

/** The lines of a mesh's or drawing's facts worth printing, in words (`t` the packet's messages, `f` its formats). */
export function factLines(
  facts: Record<string, unknown> | null | undefined,
  t: Translate,
  f: Pick<PacketFormat, 'decimal' | 'group'> = { decimal, group },
): string[] {
  if (!facts) return [];
  const out: string[] = [];
  const bbox = facts.bbox as { min?: number[]; max?: number[] } | undefined;
  const bounds = facts.bounds as { min?: number[]; max?: number[] } | undefined;
  const box = bbox ?? bounds;
  const r = (n: number, places = 1) => (f.decimal === decimal ? round(n, places) : f.decimal(round(n, places), places));
  if (box?.min && box.max) out.push(t('facts.size', { size: box.max.map((v, i) => r(v - box.min![i]!)).join(' × ') }));
  if (typeof facts.triangles === 'number') {
    const triangles = f.group(String(facts.triangles));
    out.push(
      typeof facts.parts === 'number' && facts.parts > 1
        ? t('facts.trianglesInParts', { triangles, parts: facts.parts })
        : t('facts.triangles', { triangles }),
    );
  }
  if (typeof facts.volume === 'number')
    out.push(
      facts.volume >= 1e6
        ? t('facts.volumeLitres', { volume: r(facts.volume / 1e6, 2) })
        : t('facts.volumeCm3', { volume: r(facts.volume / 1000, 1) }),
    );
  if (typeof facts.area === 'number')
    out.push(
      facts.area >= 1e6
        ? t('facts.areaM2', { area: r(facts.area / 1e6, 3) })
        : t('facts.areaCm2', { area: r(facts.area / 100, 1) }),
    );
  if (typeof facts.watertight === 'boolean')
    out.push(facts.watertight ? t('facts.watertightYes') : t('facts.watertightNo'));
  if (typeof facts.cutLength === 'number') out.push(t('facts.cutLength', { length: r(facts.cutLength) }));
  if (typeof facts.units === 'string') out.push(t('facts.units', { units: facts.units }));
  if (typeof facts.bytes === 'number' && out.length === 0)
    out.push(t('facts.bytes', { bytes: f.group(String(facts.bytes)) }));
  return out;
}

/** How a packet writes numbers, money and dates in one locale: English as above, other locales by Intl. */
export interface PacketFormat {
  /** Money to the cent, with its currency when there is one ("141,20 €"; English "141.20 EUR"). */
  money(amount: string | undefined, currency?: string): string;
  /** A decimal to at most `places` decimals, grouped as the locale groups. */
  decimal(text: string | number, places?: number): string;
  /** A decimal with exactly `places` decimals ("12,5 %"). */
  fixed(value: number, places: number): string;
  /** A whole count ("10 000"; English as given: "10000"). */
  count(n: number): string;
  /** Digits of a large whole number, grouped ("12 500"). */
  group(text: string): string;
  quantity(q: string, unit: string): string;
  /** A day ("7 de diciembre de 2026"; English ISO "2026-12-07"). */
  date(d: Date): string;
  /** A language's name in this locale ("inglés" in Spanish), the tag itself when Intl has none. */
  language(tag: string): string;
  /** A country's name in this locale from its ISO 3166 code ("Alemania" in Spanish), the code when Intl has none. */
  country(code: string): string;
}

const english: PacketFormat = {
  money,
  decimal,
  fixed: (value, places) => value.toFixed(places),
  count: (n) => String(n),
  group,
  quantity,
  date: (d) => d.toISOString().slice(0, 10),
  language: displayNames('en', 'language'),
  country: displayNames('en', 'region'),
};

const formats = new Map<string, PacketFormat>([['en', english]]);

/** Intl drops the marks it adds for right-to-left text (U+200F, U+061C): the packet's bidi pass places text itself. */
const unmark = (s: string) => s.replace(/[\u200e\u200f\u061c]/g, '');

/** The formats of a locale (cached). */
export function packetFormat(lang: string): PacketFormat {
  let found = formats.get(lang);
  if (found) return found;
  const numbers = new Map<number, Intl.NumberFormat>();
  const upTo = (places: number) => {
    let f = numbers.get(places);
    if (!f) numbers.set(places, (f = new Intl.NumberFormat(lang, { maximumFractionDigits: places })));
    return f;
  };
  const exactly = (places: number) =>
    new Intl.NumberFormat(lang, { minimumFractionDigits: places, maximumFractionDigits: places });
  const cents = exactly(2);
  // Intl formats decimal strings exactly (no float rounding); `as never`: the typings know only number and bigint
  const num = (f: Intl.NumberFormat, text: string) => unmark(f.format(text as never));
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' });
  const countries = displayNames(lang, 'region');
  found = {
    money(amount, currency) {
      if (amount === undefined) return '';
      const exact = new Dec(amount).toFixed(2);
      if (!currency || currency === 'XXX') return num(cents, exact);
      try {
        return num(new Intl.NumberFormat(lang, { style: 'currency', currency }), exact);
      } catch {
        return `${num(cents, exact)} ${currency}`;
      }
    },
    decimal: (text, places = 3) => num(upTo(places), new Dec(text).toDecimalPlaces(places).toString()),
    fixed: (value, places) => num(exactly(places), value.toFixed(places)),
    count: (n) => num(upTo(0), String(n)),
    group: (text) => num(upTo(0), text),
    quantity: (q, unit) => `${num(upTo(3), new Dec(q).toDecimalPlaces(3).toString())} ${unit}`,
    date: (d) => unmark(dates.format(d)),
    language: displayNames(lang, 'language'),
    country: (code) => unmark(countries(code)),
  };
  formats.set(lang, found);
  return found;
}
