// Fork dialog of the design page: POST …/forks {version, slug, title} and go to the new design.
import { useState } from 'preact/hooks';
import { apiClient, replyOf } from '../api-client';
import { designUrl, navigate } from '../router';
import { ErrorNotice } from './StateViews';
import { useFormSubmit } from '../use-form-submit';

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
      <h2 id="fork-heading">Fork version {version}</h2>
      <p class="muted">Your fork starts as a copy of this version under your name; its lineage links back here.</p>
      {error && <ErrorNotice error={error} />}
      <label class="field">
        <span class="field-label">New slug</span>
        <input
          name="fork-slug"
          required
          pattern="[a-z0-9][a-z0-9\-]*"
          value={newSlug}
          onInput={(event) => setNewSlug(event.currentTarget.value.toLowerCase())}
        />
      </label>
      <label class="field">
        <span class="field-label">Title</span>
        <input name="fork-title" value={newTitle} onInput={(event) => setNewTitle(event.currentTarget.value)} />
      </label>
      <div class="actions">
        <button class="button" type="submit" disabled={busy}>
          {busy ? 'Forking…' : 'Create fork'}
        </button>
        <button class="button button-quiet" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
