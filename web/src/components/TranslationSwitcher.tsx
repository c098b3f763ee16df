// The language the instructions are read in: the reader's (the interface's locale matched against the original's
// language and the translations'), else the original; and the switcher that changes it. A choice made here holds on
// this design's pages, across its versions, until the interface changes language (then that language's best match
// is read: someone switching the app to Spanish wants the Spanish instructions).
import { matchLocale } from '../../../server/src/locales/tags.js';
import { currentLocale, localeName, t } from '../i18n';
import { SelectField } from './SelectField';

const chosen = new Map<string, { locale: string; lang: string }>();

/** The language to show first: the one chosen for `design` in this locale, else the reader's, else the original. */
export function initialLanguage(design: string, original: string, translations: readonly string[]): string {
  const locale = currentLocale();
  const available = [original, ...translations];
  const remembered = chosen.get(design);
  if (remembered && remembered.locale === locale && available.includes(remembered.lang)) return remembered.lang;
  return matchLocale(locale, available) ?? original;
}

export function rememberLanguage(design: string, lang: string): void {
  chosen.set(design, { locale: currentLocale(), lang });
}

type Props = {
  original: string;
  translations: readonly string[];
  value: string;
  onChange: (lang: string) => void;
};

/** Each language by its own name ("Català"), the original's marked as such in the reader's language. */
export function TranslationSwitcher({ original, translations, value, onChange }: Props) {
  return (
    <SelectField class="translation-switcher" label={t('translations.readIn')} value={value} onChange={onChange}>
      <option value={original}>{t('translations.original', { language: localeName(original) })}</option>
      {translations.map((lang) => (
        <option key={lang} value={lang} lang={lang}>
          {localeName(lang)}
        </option>
      ))}
    </SelectField>
  );
}
