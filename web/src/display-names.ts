// Names of codes the API sends — BOM unit words, design categories, making processes, ISO 3166 countries, BCP 47 languages — in the reader's language:
// processes of the shared vocabulary from the catalogue (free text a maker typed stays as written), countries and
// languages from Intl.DisplayNames.
import { processKey } from '../../server/src/bom/process-keys.js';
import { unitKey } from '../../server/src/bom/unit-words.js';
import { formatNumber } from './format';
import { currentLocale, localeDirection, t } from './i18n';

/** The registry's usual design categories (suggested when publishing) and their catalogue keys; any other is free text. */
const categoryKeys: Record<string, string> = {
  agriculture: 'categories.agriculture',
  construction: 'categories.construction',
  energy: 'categories.energy',
  tools: 'categories.tools',
  'food-processing': 'categories.foodProcessing',
  water: 'categories.water',
  medical: 'categories.medical',
  electronics: 'categories.electronics',
  transport: 'categories.transport',
};

export const knownCategories = Object.keys(categoryKeys);

/** A design's category as the reader says it ("construcció"); one a maker typed as written. */
export function categoryName(category: string): string {
  return Object.hasOwn(categoryKeys, category) ? t(categoryKeys[category]) : category;
}

/** A making process as the reader says it ("soldadura"); one outside the vocabulary as written. */
export function processName(process: string): string {
  const key = processKey(process);
  return key ? t(key) : process;
}

/**
 * A BOM quantity with its unit as the reader says it ("12 peces"): unit words from the catalogue, plural by the
 * quantity; metric symbols and a maker's own units ("1,5 m", "2 roll") as written.
 */
export function quantityWithUnit(quantity: number | string, unit: string | null | undefined, maxDigits = 4): string {
  const number = formatNumber(quantity, maxDigits);
  const key = unit ? unitKey(unit) : undefined;
  if (key) return t(key, { quantity: number, count: Number(quantity) });
  return `${number} ${unit ?? ''}`.trim();
}

function displayName(type: 'region' | 'language', code: string): string {
  try {
    return new Intl.DisplayNames([currentLocale()], { type, fallback: 'code' }).of(code) ?? code;
  } catch {
    return code; // not a well-formed code: shown as sent
  }
}

/** A country's name from its ISO 3166 code ("Espanya" in Catalan); the code when it is not one. */
export function countryName(code: string): string {
  return displayName('region', code.toUpperCase());
}

/** A language's name from its BCP 47 tag ("alemany" in Catalan); the tag when it is not one. */
export function languageName(tag: string): string {
  return displayName('language', tag);
}

/** A workshop's place ("Pune، Maharashtra، الهند"): city, region and country named, joined by the script's comma. */
export function placeName(
  place: { city?: string | null; region?: string | null; country?: string | null } = {},
): string {
  const parts = [place.city, place.region, place.country && countryName(place.country)].filter((part): part is string =>
    Boolean(part),
  );
  // Intl.ListFormat would put an "and" before the country; Arabic separates with its own comma
  return parts.join(localeDirection(currentLocale()) === 'rtl' ? '، ' : ', ');
}
