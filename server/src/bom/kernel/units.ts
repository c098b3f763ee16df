// Unit names of BOM quantities: spelling normalisation, measure kinds and exact conversions.
import convert from 'convert-units';
import { Dec, decimalToString } from './decimal.js';

export type Measure = 'count' | 'length' | 'mass' | 'volume' | 'area' | 'time';

interface UnitDefinition {
  readonly measure: Measure;
  /** Size of one of this unit in the measure's base unit (pcs, mm, g, ml, mm2, s), exact. */
  readonly toBase: string;
}

/**
 * Exact factors for the units BOMs use. convert-units keeps its imperial tables on a float anchor
 * (1 ft = 1/3.28084 m, so 1 in comes out as 25.3999992 mm); quantities and money must stay exact,
 * so the units we know carry their legal, exact definitions (1 in = 25.4 mm, 1 lb = 0.45359237 kg)
 * and convert-units only classifies and converts the rarer units it knows and we do not.
 */
const UNITS: Readonly<Record<string, UnitDefinition>> = {
  pcs: { measure: 'count', toBase: '1' },
  dz: { measure: 'count', toBase: '12' },
  mm: { measure: 'length', toBase: '1' },
  cm: { measure: 'length', toBase: '10' },
  m: { measure: 'length', toBase: '1000' },
  km: { measure: 'length', toBase: '1000000' },
  in: { measure: 'length', toBase: '25.4' },
  ft: { measure: 'length', toBase: '304.8' },
  yd: { measure: 'length', toBase: '914.4' },
  mg: { measure: 'mass', toBase: '0.001' },
  g: { measure: 'mass', toBase: '1' },
  kg: { measure: 'mass', toBase: '1000' },
  t: { measure: 'mass', toBase: '1000000' },
  oz: { measure: 'mass', toBase: '28.349523125' },
  lb: { measure: 'mass', toBase: '453.59237' },
  ml: { measure: 'volume', toBase: '1' },
  cl: { measure: 'volume', toBase: '10' },
  dl: { measure: 'volume', toBase: '100' },
  l: { measure: 'volume', toBase: '1000' },
  m3: { measure: 'volume', toBase: '1000000' },
  'fl-oz': { measure: 'volume', toBase: '29.5735295625' },
  qt: { measure: 'volume', toBase: '946.352946' },
  gal: { measure: 'volume', toBase: '3785.411784' },
  mm2: { measure: 'area', toBase: '1' },
  cm2: { measure: 'area', toBase: '100' },
  m2: { measure: 'area', toBase: '1000000' },
  in2: { measure: 'area', toBase: '645.16' },
  ft2: { measure: 'area', toBase: '92903.04' },
  s: { measure: 'time', toBase: '1' },
  min: { measure: 'time', toBase: '60' },
  h: { measure: 'time', toBase: '3600' },
};

const BASE_UNIT: Readonly<Record<Measure, string>> = {
  count: 'pcs',
  length: 'mm',
  mass: 'g',
  volume: 'ml',
  area: 'mm2',
  time: 's',
};

/** Spellings seen in real BOMs (English, and the odd German/Spanish/Polish count word). */
const ALIASES: Readonly<Record<string, string>> = (() => {
  const groups: Record<string, string[]> = {
    pcs: [
      '',
      'pc',
      'pcs',
      'pce',
      'pces',
      'piece',
      'pieces',
      'ea',
      'each',
      'x',
      'stk',
      'stück',
      'st',
      'unit',
      'units',
      'nos',
      'no',
      'qty',
      'item',
      'items',
      'pz',
      'pzs',
      'ud',
      'uds',
      'u',
      'szt',
      'part',
      'parts',
      'off',
    ],
    dz: ['dz', 'doz', 'dozen'],
    mm: ['mm', 'millimeter', 'millimeters', 'millimetre', 'millimetres'],
    cm: ['cm', 'centimeter', 'centimeters', 'centimetre', 'centimetres'],
    m: ['m', 'meter', 'meters', 'metre', 'metres', 'mtr', 'mtrs', 'lm', 'mts'],
    km: ['km', 'kilometer', 'kilometers', 'kilometre', 'kilometres'],
    in: ['in', 'inch', 'inches', '"', '″', "''"],
    ft: ['ft', 'foot', 'feet', "'", '′'],
    yd: ['yd', 'yds', 'yard', 'yards'],
    mg: ['mg', 'milligram', 'milligrams'],
    g: ['g', 'gr', 'gram', 'grams', 'gramm'],
    kg: ['kg', 'kgs', 'kilo', 'kilos', 'kilogram', 'kilograms', 'kilogramm'],
    t: ['t', 'tonne', 'tonnes', 'metric ton', 'mt'],
    oz: ['oz', 'ounce', 'ounces'],
    lb: ['lb', 'lbs', 'pound', 'pounds'],
    ml: ['ml', 'milliliter', 'milliliters', 'millilitre', 'millilitres', 'cc', 'cm3', 'ccm'],
    cl: ['cl'],
    dl: ['dl'],
    l: ['l', 'liter', 'liters', 'litre', 'litres', 'ltr', 'lt'],
    m3: ['m3', 'cbm', 'cubic meter', 'cubic meters', 'cubic metre', 'cubic metres'],
    'fl-oz': ['fl-oz', 'fl oz', 'floz'],
    qt: ['qt', 'quart', 'quarts'],
    gal: ['gal', 'gallon', 'gallons'],
    mm2: ['mm2', 'sq mm', 'square millimeter', 'square millimetre'],
    cm2: ['cm2', 'sq cm'],
    m2: ['m2', 'sqm', 'sq m', 'square meter', 'square meters', 'square metre', 'square metres'],
    in2: ['in2', 'sq in', 'sqin', 'square inch', 'square inches'],
    ft2: ['ft2', 'sq ft', 'sqft', 'square foot', 'square feet'],
    s: ['s', 'sec', 'secs', 'second', 'seconds'],
    min: ['min', 'mins', 'minute', 'minutes'],
    h: ['h', 'hr', 'hrs', 'hour', 'hours'],
  };
  const table: Record<string, string> = {};
  for (const [canonical, spellings] of Object.entries(groups))
    for (const spelling of spellings) table[spelling] = canonical;
  return table;
})();

const normalisedUnitCache = new Map<string, string>();

/**
 * Canonical unit name for a cell ("Meters" → "m", "ea" → "pcs", "m²" → "m2"). An unknown unit
 * ("roll", "set") is kept, lower-cased: it still means something to the maker, it just never merges
 * with another unit.
 */
export function normaliseUnit(text: string): string {
  const cached = normalisedUnitCache.get(text);
  if (cached !== undefined) return cached;
  const key = text.trim().toLowerCase().replace(/²/g, '2').replace(/³/g, '3').replace(/\.$/, '').replace(/\s+/g, ' ');
  const canonical = ALIASES[key] ?? ALIASES[key.replace(/\./g, '')] ?? key;
  if (normalisedUnitCache.size < 10_000) normalisedUnitCache.set(text, canonical);
  return canonical;
}

/** True when `text` names a unit we recognise (ours, or one of convert-units'). */
export function isKnownUnit(text: string): boolean {
  const unit = normaliseUnit(text);
  return UNITS[unit] !== undefined || convertUnitsMeasure(unit) !== undefined;
}

function convertUnitsMeasure(unit: string): string | undefined {
  try {
    return convert().describe(unit as never).measure;
  } catch {
    return undefined;
  }
}

/** The measure a unit belongs to, or undefined for a unit we cannot convert. */
export function unitMeasure(unit: string): string | undefined {
  return UNITS[unit]?.measure ?? convertUnitsMeasure(unit);
}

export function isLengthUnit(unit: string): boolean {
  return unitMeasure(unit) === 'length';
}

/**
 * Exact factor f with `quantity in from × f = quantity in to`, or undefined when the units measure
 * different things. Units convert-units knows but we do not are converted through it (a float,
 * rounded to 15 significant digits) — the price of supporting rare units.
 */
const factorCache = new Map<string, Dec | undefined>();
const ONE = new Dec(1);

export function conversionFactor(from: string, to: string): Dec | undefined {
  if (from === to) return ONE;
  const key = `${from}>${to}`;
  if (factorCache.has(key)) return factorCache.get(key);
  const factor = computeFactor(from, to);
  // Decimals are immutable, so one cached factor serves every caller.
  if (factorCache.size < 10_000) factorCache.set(key, factor);
  return factor;
}

function computeFactor(from: string, to: string): Dec | undefined {
  const a = UNITS[from];
  const b = UNITS[to];
  if (a && b) return a.measure === b.measure ? new Dec(a.toBase).div(b.toBase) : undefined;
  const measureFrom = unitMeasure(from);
  if (measureFrom === undefined || measureFrom !== unitMeasure(to)) return undefined;
  try {
    return new Dec(
      convert(1)
        .from(from as never)
        .to(to as never)
        .toPrecision(15),
    );
  } catch {
    return undefined;
  }
}

/** True when converting from → to is a terminating decimal factor (mm → m yes, m → in no). */
function isExactConversion(from: string, to: string): boolean {
  const a = UNITS[from];
  const b = UNITS[to];
  if (!a || !b) return from === to;
  // A non-terminating quotient fills every significant digit of the 60 the clone keeps.
  return new Dec(a.toBase).div(b.toBase).sd() < 50;
}

/** `quantity` (a decimal string in `from`) expressed in `to`, or undefined when incompatible. */
export function convertQuantity(quantity: string, from: string, to: string): string | undefined {
  if (from === to) return quantity;
  const factor = conversionFactor(from, to);
  return factor ? decimalToString(new Dec(quantity).times(factor)) : undefined;
}

/**
 * The unit two compatible quantities are added in: `preferred` when every conversion into it is
 * exact (m + mm → m), else the measure's base unit, which every unit we know converts into by a
 * plain multiplication (m + in → mm). Keeps merged quantities exact and the merge order-free.
 */
export function commonUnit(preferred: string, others: readonly string[]): string | undefined {
  if (others.every((other) => other === preferred)) return preferred;
  for (const other of others) if (conversionFactor(other, preferred) === undefined) return undefined;
  const allExact = others.every((other) => isExactConversion(other, preferred));
  if (allExact) return preferred;
  const measure = UNITS[preferred]?.measure;
  return measure ? BASE_UNIT[measure] : preferred;
}

/** Millimetres in `quantity` of a length unit; undefined for a non-length unit. */
export function toMillimetres(quantity: string, unit: string): string | undefined {
  return isLengthUnit(unit) ? convertQuantity(quantity, unit, 'mm') : undefined;
}
