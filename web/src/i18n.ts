// The interface's language: messages from locales/<tag>.json (their `web` section, ICU message syntax through
// i18next-icu), chosen from the account's setting, else the browser's languages, else English. Each locale is a
// chunk of its own, fetched when chosen; changing language re-renders the app (main.tsx keys it by locale).
import i18next from 'i18next';
import ICU from 'i18next-icu';
import { localeDirection, localeName, matchLocale } from '../../server/src/locales/tags.js';

export const defaultLocale = 'en';
const storageKey = 'andecha.locale';

// every locales/*.json is a language; only its `web` and `bomWarnings` sections reach the browser (web/vite.config.ts)
type WebSections = { web: Record<string, unknown>; bomWarnings: Record<string, unknown> };
const loaders = import.meta.glob<WebSections>('../../locales/*.json', { import: 'default' });
const catalogueOf = new Map(
  Object.entries(loaders).map(([path, load]) => [/([^/]+)\.json$/.exec(path)![1], load] as const),
);

/** The languages the interface speaks, as BCP 47 tags, English first. */
export const supportedLocales: string[] = [
  defaultLocale,
  ...[...catalogueOf.keys()].filter((tag) => tag !== defaultLocale).sort(),
];

export { localeDirection, localeName };

/** The supported locale that best serves a list of preferred tags (exact, then by language), or undefined. */
export function bestLocale(preferred: readonly string[]): string | undefined {
  for (const wanted of preferred) {
    const found = matchLocale(wanted, supportedLocales);
    if (found) return found;
  }
  return undefined;
}

function storedLocale(): string | null {
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

/** The locale to start in: the one chosen before (the account's, kept here), else the browser's, else English. */
export function initialLocale(): string {
  const stored = storedLocale();
  return bestLocale([...(stored ? [stored] : []), ...(navigator.languages ?? [navigator.language])]) ?? defaultLocale;
}

const listeners = new Set<(tag: string) => void>();
let loadedEnglish = false;

async function load(tag: string): Promise<void> {
  if (i18next.hasResourceBundle(tag, 'translation')) return;
  const fetchCatalogue = catalogueOf.get(tag);
  if (!fetchCatalogue) throw new Error(`no catalogue for ${tag}`);
  const { web, bomWarnings } = await fetchCatalogue();
  // the BOM's warnings keep their section's name as a prefix: bomWarnings.quantityEmpty
  i18next.addResourceBundle(tag, 'translation', { ...web, bomWarnings }, true, true);
}

/** Starts i18next in a locale (English loaded too: a message missing in a catalogue falls back to it). */
export async function startI18n(tag = initialLocale()): Promise<void> {
  await i18next.use(ICU).init({
    lng: tag,
    fallbackLng: defaultLocale,
    supportedLngs: supportedLocales,
    resources: {},
    interpolation: { escapeValue: false }, // Preact escapes what it renders
    returnNull: false,
  });
  // both at once: English is every other language's fallback
  await Promise.all([load(defaultLocale), load(bestLocale([tag]) ?? defaultLocale)]);
  loadedEnglish = true;
  await setLocale(tag, { remember: false });
}

/**
 * Switches the interface to `tag`: loads its catalogue, sets `<html lang dir>`, remembers the choice in this browser
 * (the account keeps it too, saved by the caller) and re-renders through the listeners.
 */
export async function setLocale(tag: string, { remember = true } = {}): Promise<void> {
  const chosen = bestLocale([tag]) ?? defaultLocale;
  await load(chosen);
  await i18next.changeLanguage(chosen);
  document.documentElement.lang = chosen;
  document.documentElement.dir = localeDirection(chosen);
  if (remember) {
    try {
      window.localStorage.setItem(storageKey, chosen);
    } catch {
      /* private mode: the choice lasts this page only */
    }
  }
  listeners.forEach((listener) => listener(chosen));
}

/** The interface's locale now. */
export function currentLocale(): string {
  return loadedEnglish ? i18next.language : defaultLocale;
}

/** Calls `listener` with the new tag whenever the language changes; returns the unsubscribe. */
export function onLocaleChange(listener: (tag: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether the catalogues have a message at `key` (in the current locale or English). */
export function hasMessage(key: string): boolean {
  return i18next.exists(key);
}

/**
 * A message of the current locale: `key` names it in the catalogue's `web` section (dotted path), `values` fill its
 * ICU arguments (`{count, plural, one {# design} other {# designs}}`, `{name}`).
 */
export function t(key: string, values?: Record<string, unknown>): string {
  return i18next.t(key, values ?? {}) as string;
}
