// Fork dialog of the design page: POST …/forks {version, slug, title} and go to the new design.
import { useState } from 'preact/hooks';
import { apiClient, replyOf } from '../api-client';
import { designUrl, navigate } from '../router';
import { ErrorNotice } from './StateViews';
import { useFormSubmit } from '../use-form-submit';
import { t } from '../i18n';

type Props = { owner: string; slug: string; version: string; title: string; onCancel: () => void };

export function ForkForm({ owner, slug, version, title, onCancel }: Props) {
  const [newSlug, setNewSlug] = useState(slug);
  const [newTitle, setNewTitle] = useState(title);

  const { busy, error, submit } = useFormSubmit(
    async () => {
      const fork = await replyOf(
        apiClient.POST('/api/designs/{owner}/{slug}/forks', {
          params: { path: { owner, slug } },
          body: { version, slug: newSlug, title: newTitle },
        }),
      );
      navigate(designUrl(fork.owner, fork.slug));
    },
    { keepBusy: true },
  );

  return (
    <form class="form card panel" onSubmit={submit} aria-labelledby="fork-heading">
      <h2 id="fork-heading">{t('forkForm.heading', { version })}</h2>
      <p class="muted">{t('forkForm.intro')}</p>
      {error && <ErrorNotice error={error} />}
      <label class="field">
        <span class="field-label">{t('forkForm.newSlug')}</span>
        <input
          name="fork-slug"
          required
          pattern="[a-z0-9][a-z0-9\-]*"
          value={newSlug}
          onInput={(event) => setNewSlug(event.currentTarget.value.toLowerCase())}
        />
      </label>
      <label class="field">
        <span class="field-label">{t('forkForm.title')}</span>
        <input name="fork-title" value={newTitle} onInput={(event) => setNewTitle(event.currentTarget.value)} />
      </label>
      <div class="actions">
        <button class="button" type="submit" disabled={busy}>
          {busy ? t('forkForm.forking') : t('forkForm.create')}
        </button>
        <button class="button button-quiet" type="button" onClick={onCancel}>
          {t('forkForm.cancel')}
        </button>
      </div>
    </form>
  );
}
