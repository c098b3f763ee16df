// Messages of one catalogue section (the build packet's, the problems') in a locale, ICU message syntax through
// i18next-icu as on the web; a message missing in a locale falls back to English.
import i18next, { type i18n } from 'i18next';
import { createRequire } from 'node:module';
import type ICUModule from 'i18next-icu';

// i18next-icu's ES build takes intl-messageformat's default export, which Node's own loader gives as the module
// object ("IntlMessageFormat is not a constructor"): its CommonJS build formats right under Node, vitest and tsx
const ICU = (createRequire(import.meta.url)('i18next-icu') as { default: typeof ICUModule }).default;
import { catalogue, defaultLocale, supportedLocales, type Catalogue } from './catalogues.js';

export type Translate = (key: string, values?: Record<string, unknown>) => string;

const instances = new Map<string, i18n>();

function instanceFor(section: keyof Omit<Catalogue, 'meta'>): i18n {
  let instance = instances.get(section);
  if (!instance) {
    instance = i18next.createInstance();
    void instance.use(ICU).init({
      initAsync: false, // resources are given: init synchronously
      fallbackLng: defaultLocale,
      supportedLngs: supportedLocales(),
      resources: Object.fromEntries(
        supportedLocales().map((tag) => [tag, { translation: catalogue(tag)[section] ?? {} }]),
      ),
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    instances.set(section, instance);
  }
  return instance;
}

/** `t(key, values)` for a catalogue section in a supported locale. */
export function translator(section: 'packet' | 'problems' | 'bomWarnings' | 'email', locale: string): Translate {
  const fixed = instanceFor(section).getFixedT(locale);
  return (key, values) => fixed(key, values ?? {}) as string;
}
