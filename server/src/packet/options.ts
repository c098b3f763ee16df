// Packet options: what a packet is made for (units, currency, region, stock, paper), from a query, as a cache key.
import { invalid } from '../errors.js';
import { parseRates } from '../bom/kernel/index.js';
import { toMillimetres } from '../bom/kernel/units.js';
import type { PacketQuery } from '../schema-types.js';

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
}

function lengthMm(text: string, field: string): string {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)$/.exec(text.trim());
  const mm = m ? toMillimetres(m[1]!, m[2] || 'mm') : undefined;
  if (!mm || Number(mm) <= 0) throw invalid.length(field, text, `/querystring/${field}`);
  return mm;
}

/** The options of a validated packet query (the schema has checked shapes; lengths and rates are read here). */
export function packetOptionsFromQuery(q: PacketQuery): PacketOptions {
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
  };
}

/** Options as one canonical text, keys sorted: equal options give equal cache keys. */
export function optionsVariant(o: PacketOptions): string {
  const entries: [string, string][] = [
    ['units', String(o.units)],
    ['stock', o.stockMm],
    ['kerf', o.kerfMm],
    ['paper', o.paper],
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
  return `${owner}-${slug}-${version}-packet${o.units !== 1 ? `-x${o.units}` : ''}.${ext}`;
}
