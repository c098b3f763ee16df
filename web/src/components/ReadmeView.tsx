// The version's README, or its translation in the reader's language when the version has one (issue 30): the
// original fetched raw from the files endpoint, a translation from …/translations/{lang}; either rendered from
// Markdown and sanitised, in a container that carries the text's language and direction. A switcher changes the
// language; a stale translation comes under a banner saying what changed in the original since.
import { useEffect, useState } from 'preact/hooks';
import { api, authHeaders, encodeFilePath, versionPath } from '../api';
import type { TranslationDocument, VersionDocument, VersionTranslation } from '../api-types';
import { localeDirection, t } from '../i18n';
import { ErrorNotice, Loading } from './StateViews';
import { TranslationStale } from './TranslationStale';
import { TranslationSwitcher, initialLanguage, rememberLanguage } from './TranslationSwitcher';

export function readmePathOf(doc: VersionDocument): string | null {
  const named = typeof doc.manifest?.readme === 'string' ? doc.manifest.readme : null;
  if (named && doc.files.some((file) => file.path === named)) return named;
  const root = doc.files.find((file) => /^readme\.(md|markdown)$/i.test(file.path));
  return root?.path ?? named;
}

type Props = {
  owner: string;
  slug: string;
  version: string;
  path: string;
  /** the version document's translations of the README */
  translations?: readonly VersionTranslation[];
  /** the README's own language (the manifest's `language`); en when it names none */
  language?: string;
};

type Shown = { lang: string; html: string; translation?: TranslationDocument };

export function ReadmeView({ owner, slug, version, path, translations = [], language }: Props) {
  const original = language || translations[0]?.source.lang || 'en';
  const languages = translations.map((translation) => translation.lang).filter((lang) => lang !== original);
  const design = `${owner}/${slug}`;
  const [picked, setPicked] = useState(() => initialLanguage(design, original, languages));
  // another version may lack the language picked on this one
  const lang =
    picked === original || languages.includes(picked) ? picked : initialLanguage(design, original, languages);
  const [shown, setShown] = useState<Shown | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const choose = (next: string) => {
    rememberLanguage(design, next);
    setPicked(next);
  };

  useEffect(() => {
    const controller = new AbortController();
    setShown(null);
    setFailed(false);
    const filesBase = versionPath(owner, slug, version, '/files');
    const text: Promise<{ markdown: string; translation?: TranslationDocument }> =
      lang === original
        ? fetch(`${filesBase}/${encodeFilePath(path)}`, { headers: authHeaders(), signal: controller.signal }).then(
            async (response) => {
              if (!response.ok) throw new Error(String(response.status));
              return { markdown: await response.text() };
            },
          )
        : api
            .get<TranslationDocument>(
              versionPath(owner, slug, version, `/translations/${encodeURIComponent(lang)}`),
              controller.signal,
            )
            .then((translation) => ({ markdown: translation.markdown, translation }));
    Promise.all([text, import('../markdown')])
      .then(([{ markdown, translation }, { renderMarkdown }]) => {
        // a translation's links and images point where the README's do: translators keep them as they are
        const base = translation?.source.path || path;
        if (!controller.signal.aborted)
          setShown({ lang, html: renderMarkdown(markdown, filesBase, base), translation });
      })
      .catch(() => !controller.signal.aborted && setFailed(true));
    return () => controller.abort();
  }, [owner, slug, version, path, lang, original, attempt]);

  // a README that cannot be read leaves no empty section behind, unless a translation may still be chosen
  if (failed && lang === original && languages.length === 0) return null;
  return (
    <section class="section readme" aria-labelledby="readme-heading">
      <div class="section-head">
        <h2 id="readme-heading">{t('readmeView.heading')}</h2>
        {languages.length > 0 && (
          <TranslationSwitcher original={original} translations={languages} value={lang} onChange={choose} />
        )}
      </div>
      {failed ? (
        <ErrorNotice error={t('translations.failed')} onRetry={() => setAttempt((n) => n + 1)} />
      ) : shown === null ? (
        <Loading label={lang === original ? t('readmeView.loading') : t('translations.loading')} />
      ) : (
        <>
          {shown.translation?.stale && (
            <TranslationStale
              translation={shown.translation}
              original={original}
              onReadOriginal={() => choose(original)}
            />
          )}
          <div
            class="markdown"
            lang={shown.lang}
            dir={localeDirection(shown.lang)}
            dangerouslySetInnerHTML={{ __html: shown.html }}
          />
        </>
      )}
    </section>
  );
}
