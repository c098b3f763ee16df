// Translate a version's instructions: the original README beside a textarea, a language (the interface's languages
// or any BCP 47 tag) and a note to the leads; sent as a translation proposal, which the design's leads accept into
// a new patch version. The server writes the front matter naming the README translated.
import { useEffect, useState } from 'preact/hooks';
import { api, authHeaders, encodeFilePath, versionPath } from '../api';
import type { Proposal } from '../api-types';
import { currentLocale, localeName, supportedLocales, t } from '../i18n';
import { languageName } from '../display-names';
import { designUrl } from '../router';
import { useFormSubmit } from '../use-form-submit';
import { proposalAnchor } from './ProposalConversation';
import { ErrorNotice, Loading } from './StateViews';

type Props = {
  owner: string;
  slug: string;
  version: string;
  /** the README's path in the version */
  path: string;
  /** the language the README is written in (the manifest's `language`, English by default) */
  sourceLang: string;
  onCancel: () => void;
};

const other = 'other';

export function TranslateForm({ owner, slug, version, path, sourceLang, onCancel }: Props) {
  const [original, setOriginal] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const choices = supportedLocales.filter((tag) => tag.toLowerCase() !== sourceLang.toLowerCase());
  const [choice, setChoice] = useState(choices.includes(currentLocale()) ? currentLocale() : (choices[0] ?? other));
  const [otherTag, setOtherTag] = useState('');
  const [markdown, setMarkdown] = useState('');
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState<Proposal | null>(null);
  const lang = choice === other ? otherTag.trim() : choice;

  useEffect(() => {
    let cancelled = false;
    fetch(`${versionPath(owner, slug, version, '/files')}/${encodeFilePath(path)}`, { headers: authHeaders() })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const text = await response.text();
        if (!cancelled) setOriginal(text);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [owner, slug, version, path]);

  const { busy, error, submit } = useFormSubmit(async () => {
    setSent(
      await api.post<Proposal>(versionPath(owner, slug, version, '/translations'), {
        lang,
        markdown,
        ...(message.trim() ? { message: message.trim() } : {}),
      }),
    );
  });

  if (sent) {
    return (
      <div class="notice notice-success translate-sent" role="status">
        <p>{t('translate.sent', { lang: languageName(sent.translation?.lang ?? lang), version })}</p>
        <p>
          <a href={`${designUrl(owner, slug)}#${proposalAnchor(sent.id)}`}>{t('translate.followProposal')}</a>
        </p>
      </div>
    );
  }
  return (
    <form class="form card panel translate-form" onSubmit={submit} aria-labelledby="translate-heading">
      <h2 id="translate-heading">{t('translate.heading', { version })}</h2>
      <p class="muted">{t('translate.intro')}</p>
      {error && <ErrorNotice error={error} />}
      <div class="translate-language">
        <label class="field">
          <span class="field-label">{t('translate.language')}</span>
          <select name="translate-lang" value={choice} onChange={(event) => setChoice(event.currentTarget.value)}>
            {choices.map((tag) => (
              <option key={tag} value={tag}>
                {localeName(tag)} ({tag})
              </option>
            ))}
            <option value={other}>{t('translate.otherLanguage')}</option>
          </select>
        </label>
        {choice === other && (
          <label class="field">
            <span class="field-label">{t('translate.languageTag')}</span>
            <input
              name="translate-tag"
              required
              maxLength={35}
              placeholder={t('translate.languageTagHint')}
              value={otherTag}
              onInput={(event) => setOtherTag(event.currentTarget.value)}
            />
          </label>
        )}
      </div>
      <div class="translate-sides">
        <section class="translate-original" aria-labelledby="translate-original-heading">
          <h3 id="translate-original-heading">{t('translate.original', { path })}</h3>
          {failed ? (
            <p class="muted">{t('translate.originalFailed')}</p>
          ) : original === null ? (
            <Loading label={t('translate.loadingOriginal')} />
          ) : (
            <pre class="translate-source" dir="auto" tabIndex={0}>
              {original}
            </pre>
          )}
        </section>
        <label class="field translate-target">
          <span class="field-label">{t('translate.translation')}</span>
          <textarea
            name="translate-markdown"
            required
            dir="auto"
            rows={18}
            maxLength={200000}
            lang={lang || undefined}
            value={markdown}
            onInput={(event) => setMarkdown(event.currentTarget.value)}
          />
          {original !== null && !markdown && (
            <button type="button" class="button button-quiet button-small" onClick={() => setMarkdown(original)}>
              {t('translate.copyOriginal')}
            </button>
          )}
        </label>
      </div>
      <label class="field">
        <span class="field-label">{t('translate.message')}</span>
        <textarea
          name="translate-message"
          rows={2}
          maxLength={20000}
          value={message}
          onInput={(event) => setMessage(event.currentTarget.value)}
        />
      </label>
      <div class="actions">
        <button class="button" type="submit" disabled={busy || !lang || !markdown.trim()}>
          {busy ? t('translate.sending') : t('translate.send')}
        </button>
        <button class="button button-quiet" type="button" onClick={onCancel}>
          {t('translate.cancel')}
        </button>
      </div>
    </form>
  );
}
