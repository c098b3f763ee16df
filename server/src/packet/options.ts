// Packet options: what a packet is made for (units, currency, region, stock, paper), from a query, as a cache key.
import { AppError, invalid, msg } from '../errors.js';
import { parseRates } from '../bom/kernel/index.js';
import { toMillimetres } from '../bom/kernel/units.js';
import type { PacketQuery } from '../schema-types.js';
import { defaultLocale, matchLocale, negotiateLocale, supportedLocales } from '../locales/catalogues.js';

export type Paper = 'a4' | 'letter';

export interface PacketOptions {
  units: number;
  /** ISO 4217 code the BOM totals are converted into (with `rates`). */
  currency?: string;
  rates?: Record<string, string>;
  /** ISO 3166 alpha-2 country: regional substitutes from approved builds there. */
  region?: string;
  /** Stock bar length for the cut list, mm (decimal string). */
  stockMm: string;
  kerfMm: string;
  paper: Paper;
  /** The locale the packet is printed in (a supported one, e.g. `es`, `pt-BR`). */
  lang: string;
}

/**
 * The lengths a packet may be made for, and the step they are rounded to: every option is a cache key and a job, so
 * 6000.0001 mm is 6000 mm and a 10 km bar is refused rather than printed.
 */
const lengthBounds = {
  stock: { min: 100, max: 24_000, step: 1 },
  kerf: { min: 0.1, max: 50, step: 0.1 },
} as const;

function lengthMm(text: string, field: keyof typeof lengthBounds): string {
  const bounds = lengthBounds[field];
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)$/.exec(text.trim());
  const mm = m ? toMillimetres(m[1]!, m[2] || 'mm') : undefined;
  if (!mm || Number(mm) <= 0) throw invalid.length(field, text, `/querystring/${field}`);
  const rounded = Math.round(Number(mm) / bounds.step) * bounds.step;
  if (rounded < bounds.min || rounded > bounds.max)
    throw new AppError('validation', msg('packetOptions.outside', { field, text, min: bounds.min, max: bounds.max }), {
      errors: [
        { field: `/querystring/${field}`, message: msg('fields.betweenMm', { min: bounds.min, max: bounds.max }) },
      ],
    });
  // one canonical text per length: "6000", "3", "2.5"
  return String(Number(rounded.toFixed(1)));
}

/**
 * The packet's language: `lang` when given (a bare language matches its locale, `pt` → `pt-BR`; an unsupported one is
 * a 400 naming the supported ones), else the request's Accept-Language, else English.
 */
export function packetLocale(lang: string | undefined, acceptLanguage?: string | null): string {
  if (lang === undefined || lang.trim() === '') return acceptLanguage ? negotiateLocale(acceptLanguage) : defaultLocale;
  const found = matchLocale(lang);
  if (found) return found;
  const supported = supportedLocales();
  throw new AppError('validation', msg('packetOptions.lang', { lang, supported: supported.join(', ') }), {
    errors: [{ field: '/querystring/lang', message: msg('fields.oneOf', { supported: supported.join(', ') }) }],
    extra: { supported },
  });
}

/** The options of a validated packet query (the schema has checked shapes; lengths and rates are read here). */
export function packetOptionsFromQuery(q: PacketQuery, acceptLanguage?: string | null): PacketOptions {
  const rates = q.rates ? parseRates(q.rates) : undefined;
  if (q.rates && !rates) throw invalid.rates('/querystring/rates');
  return {
    units: q.units ?? 1,
    ...(q.currency ? { currency: q.currency } : {}),
    ...(rates ? { rates } : {}),
    ...(q.region ? { region: q.region.toUpperCase() } : {}),
    stockMm: lengthMm(q.stock ?? '6000mm', 'stock'),
    kerfMm: lengthMm(q.kerf ?? '3mm', 'kerf'),
    paper: q.paper ?? 'a4',
    lang: packetLocale(q.lang, acceptLanguage),
  };
}

/** Options as one canonical text, keys sorted: equal options give equal cache keys. */
export function optionsVariant(o: PacketOptions): string {
  const entries: [string, string][] = [
    ['units', String(o.units)],
    ['stock', o.stockMm],
    ['kerf', o.kerfMm],
    ['paper', o.paper],
    // English keeps the key it had before packets had a language: its cached packets stay valid
    ...(o.lang && o.lang !== defaultLocale ? [['lang', o.lang] as [string, string]] : []),
    ...(o.currency ? [['currency', o.currency] as [string, string]] : []),
    ...(o.region ? [['region', o.region] as [string, string]] : []),
    ...(o.rates
      ? [
          [
            'rates',
            Object.entries(o.rates)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => `${k}:${v}`)
              .join(','),
          ] as [string, string],
        ]
      : []),
  ];
  return entries
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** The file name a packet downloads as. */
export function packetFilename(
  owner: string,
  slug: string,
  version: string,
  o: PacketOptions,
  ext: 'pdf' | 'zip',
): string {
  return `${owner}-${slug}-${version}-packet${o.units !== 1 ? `-x${o.units}` : ''}${o.lang && o.lang !== defaultLocale ? `-${o.lang}` : ''}.${ext}`;
}
