// The language menu on every page: the interface's languages by their own names. A signed-in person's choice is
// kept on their account (PATCH /api/me) and follows them to other browsers; the account's setting is applied once
// per page load, when /api/me first answers.
import { useEffect } from 'preact/hooks';
import { api } from '../api';
import { currentLocale, localeName, setLocale, supportedLocales, t } from '../i18n';

let accountLocaleApplied = false;

export function LanguageMenu({ accountLocale, signedIn }: { accountLocale?: string | null; signedIn: boolean }) {
  useEffect(() => {
    if (accountLocaleApplied || accountLocale === undefined) return;
    accountLocaleApplied = true;
    if (accountLocale && accountLocale !== currentLocale()) void setLocale(accountLocale);
  }, [accountLocale]);

  const choose = async (tag: string) => {
    if (signedIn) {
      try {
        await api.patch('/api/me', { locale: tag });
      } catch {
        /* the choice still holds in this browser */
      }
    }
    await setLocale(tag);
  };

  return (
    <label class="language-menu">
      <span class="visually-hidden">{t('shell.language')}</span>
      <select
        value={currentLocale()}
        onChange={(event) => void choose((event.currentTarget as HTMLSelectElement).value)}
      >
        {supportedLocales.map((tag) => (
          <option key={tag} value={tag} lang={tag}>
            {localeName(tag)}
          </option>
        ))}
      </select>
    </label>
  );
}
