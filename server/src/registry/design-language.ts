// Words a published version carries for everyone who reads it (the default changelog of an accepted proposal, the
// default message of a translation proposal): written in the design's own language (the manifest's `language`), not in
// the language of whoever clicked, and in English when the instance has no catalogue for that language.
import { defaultLocale, matchLocale } from '../locales/catalogues.js';
import { displayNames } from '../locales/display-names.js';
import { translator, type Translate } from '../locales/translate.js';
import { sourceLangOf } from './translations.js';

export interface DesignLanguage {
  /** the supported locale the design is written in */
  locale: string;
  /** a message of the server catalogue in that locale */
  t: Translate;
  /** a language's name in that locale ("castellano"), the tag itself when Intl has none */
  languageName(tag: string): string;
}

/** The design's language as a locale of ours, from its manifest. */
export function designLanguage(manifest: Record<string, unknown>): DesignLanguage {
  const locale = matchLocale(sourceLangOf(manifest)) ?? defaultLocale;
  return { locale, t: translator('problems', locale), languageName: displayNames(locale, 'language') };
}
