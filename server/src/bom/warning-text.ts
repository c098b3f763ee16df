// A BOM warning or unreadable reason in a reader's language, from its code and values (locales/<tag>.json,
// `bomWarnings`). English is the sentence the kernel made; a warning stored before codes were recorded, or with a
// code this catalogue does not know, keeps its English sentence.
import { catalogue, defaultLocale } from '../locales/catalogues.js';
import { translator } from '../locales/translate.js';
import { bomWarningKey } from './warning-key.js';

export interface WordedBomWarning {
  code?: string;
  values?: Record<string, string | number>;
  message: string;
}

/** The sentence of one warning in `locale`. */
export function bomWarningText(warning: WordedBomWarning, locale: string): string {
  if (!warning.code || locale === defaultLocale) return warning.message;
  const key = bomWarningKey(warning.code).slice('bomWarnings.'.length);
  if (catalogue(defaultLocale).bomWarnings?.[key] === undefined) return warning.message;
  try {
    return translator('bomWarnings', locale)(key, warning.values);
  } catch {
    // values that do not fit the sentence (a row written by another version): its English still says it
    return warning.message;
  }
}

/** The warnings with `message` in `locale`; code, values and everything else unchanged. */
export function bomWarningsIn<W extends WordedBomWarning>(warnings: readonly W[], locale: string): W[] {
  return warnings.map((warning) => ({ ...warning, message: bomWarningText(warning, locale) }));
}
