// Asking on a design: a question, an idea or a problem, about this version or the design as a whole.
import { useState } from 'preact/hooks';
import { api, designPath } from '../api';
import { navigate } from '../router';
import { useFormSubmit } from '../use-form-submit';
import { ErrorNotice } from './StateViews';
import { t } from '../i18n';
import { DiscussionBodyField } from './DiscussionBodyField';
import { discussionUrl, kindKey, type Discussion, type DiscussionKind } from './DiscussionTypes';

const kinds: DiscussionKind[] = ['question', 'idea', 'problem'];

type Props = { owner: string; slug: string; version: string; onCancel: () => void };

export function DiscussionAskForm({ owner, slug, version, onCancel }: Props) {
  const [kind, setKind] = useState<DiscussionKind>('question');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [aboutVersion, setAboutVersion] = useState(true);
  const { busy, error, submit } = useFormSubmit(
    async () => {
      const made = await api.post<Discussion>(designPath(owner, slug, '/discussions'), {
        kind,
        title: title.trim(),
        body: body.trim(),
        ...(aboutVersion ? { version } : {}),
      });
      navigate(discussionUrl(owner, slug, made.id));
    },
    { keepBusy: true },
  );
  return (
    <form class="form discussion-ask" onSubmit={submit} aria-label={t('discussions.askLabel')}>
      {error && <ErrorNotice error={error} />}
      <fieldset class="field">
        <legend class="field-label">{t('discussions.kindLabel')}</legend>
        <div class="discussion-kinds">
          {kinds.map((k) => (
            <label key={k} class="radio">
              <input type="radio" name="discussion-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />{' '}
              {t(kindKey[k])}
            </label>
          ))}
        </div>
      </fieldset>
      <label class="field">
        <span class="field-label">{t('discussions.titleLabel')}</span>
        <input
          name="discussion-title"
          required
          maxLength={200}
          dir="auto"
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
      </label>
      <DiscussionBodyField
        label={t('discussions.bodyLabel')}
        name="discussion-body"
        rows={5}
        value={body}
        onInput={setBody}
      />
      <label class="checkbox">
        <input type="checkbox" checked={aboutVersion} onChange={(e) => setAboutVersion(e.currentTarget.checked)} />{' '}
        {t('discussions.aboutVersion', { version })}
      </label>
      <div class="actions">
        <button class="button" type="submit" disabled={busy || !title.trim() || !body.trim()}>
          {busy ? t('discussions.posting') : t('discussions.ask')}
        </button>
        <button class="button button-quiet" type="button" onClick={onCancel}>
          {t('discussions.cancel')}
        </button>
      </div>
    </form>
  );
}
