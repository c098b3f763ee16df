// The banner over a stale translation: the original instructions changed since it was made (in which version, and
// which version it still follows), what changed in them side by side on demand, and the way back to the original.
import { useState } from 'preact/hooks';
import type { TranslationDocument } from '../api-types';
import { t } from '../i18n';
import { languageName } from '../display-names';
import { TranslationChanges } from './TranslationChanges';

type Props = { translation: TranslationDocument; original: string; onReadOriginal: () => void };

export function TranslationStale({ translation, original, onReadOriginal }: Props) {
  const [open, setOpen] = useState(false);
  const changes = translation.sourceChanges;
  const language = languageName(original);
  const follows = translation.follows ?? changes?.from;
  const changedIn = translation.changedIn ?? changes?.to;
  return (
    <>
      <div class="notice notice-warning translation-stale">
        <p>
          {follows && changedIn
            ? t('translations.stale', { language, changedIn, follows })
            : t('translations.staleSince', { language })}
        </p>
        <p class="translation-stale-actions">
          {changes && (
            <button
              type="button"
              class="button button-quiet button-small"
              aria-expanded={open}
              onClick={() => setOpen(!open)}
            >
              {open ? t('translations.hideChanges') : t('translations.showChanges')}
            </button>
          )}
          <button type="button" class="button-link" onClick={onReadOriginal}>
            {t('translations.readOriginal', { language })}
          </button>
        </p>
      </div>
      {open && changes && <TranslationChanges changes={changes} lang={original} language={language} />}
    </>
  );
}
