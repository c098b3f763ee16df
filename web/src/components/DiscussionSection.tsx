// A design's discussions on its page: the open problems of the version before this one, the list (pinned first,
// filtered by kind and state), and the form to ask.
import { useState } from 'preact/hooks';
import { designPath, query } from '../api';
import { useApi, dataOf } from '../use-api';
import { useSession } from '../session';
import { formatDate } from '../format';
import { t } from '../i18n';
import { ErrorNotice, Loading, SignInPrompt } from './StateViews';
import { DiscussionAskForm } from './DiscussionAskForm';
import {
  deliveryText,
  discussionUrl,
  kindKey,
  stateKey,
  type DiscussionList,
  type DiscussionKind,
  type DiscussionState,
  type OpenProblem,
} from './DiscussionTypes';

type Props = { owner: string; slug: string; version: string; openProblems?: OpenProblem[] };

export function DiscussionSection({ owner, slug, version, openProblems }: Props) {
  const session = useSession();
  const [kind, setKind] = useState<DiscussionKind | ''>('');
  const [state, setState] = useState<DiscussionState | ''>('');
  const [asking, setAsking] = useState(false);
  const list = useApi<DiscussionList>(designPath(owner, slug, `/discussions${query({ kind, state, limit: 50 })}`));
  const items = dataOf(list)?.items;
  return (
    <section class="section discussions" id="discussions" aria-labelledby="discussions-heading">
      <div class="section-head">
        <h2 id="discussions-heading">{t('discussions.heading')}</h2>
        {session.token && !asking && (
          <button class="button button-small" type="button" onClick={() => setAsking(true)}>
            {t('discussions.askButton')}
          </button>
        )}
      </div>
      {openProblems && openProblems.length > 0 && (
        <div class="notice notice-warning" data-testid="open-problems">
          <p class="notice-title">{t('discussions.openProblemsBefore', { count: openProblems.length })}</p>
          <ul>
            {openProblems.map((p) => (
              <li key={p.id}>
                <a href={discussionUrl(owner, slug, p.id)} dir="auto">
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {asking && <DiscussionAskForm owner={owner} slug={slug} version={version} onCancel={() => setAsking(false)} />}
      {!session.token && <SignInPrompt message="discussions.signInToAsk" />}
      <div class="discussion-filters">
        <label class="field field-inline">
          <span class="field-label">{t('discussions.kindFilter')}</span>
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as DiscussionKind | '')}>
            <option value="">{t('discussions.any')}</option>
            {(Object.keys(kindKey) as DiscussionKind[]).map((k) => (
              <option key={k} value={k}>
                {t(kindKey[k])}
              </option>
            ))}
          </select>
        </label>
        <label class="field field-inline">
          <span class="field-label">{t('discussions.stateFilter')}</span>
          <select value={state} onChange={(e) => setState(e.currentTarget.value as DiscussionState | '')}>
            <option value="">{t('discussions.any')}</option>
            {(Object.keys(stateKey) as DiscussionState[]).map((s) => (
              <option key={s} value={s}>
                {t(stateKey[s])}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.status === 'error' && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {!items && list.status === 'loading' && <Loading label={t('discussions.loading')} />}
      {items &&
        (items.length === 0 ? (
          <p class="muted small">{t('discussions.none')}</p>
        ) : (
          <ul class="discussion-list">
            {items.map((d) => (
              <li key={d.id} class="discussion-item">
                <a href={discussionUrl(owner, slug, d.id)} dir="auto" class="discussion-title">
                  {d.title}
                </a>{' '}
                <span class={`chip discussion-state state-${d.state}`}>{t(stateKey[d.state])}</span>{' '}
                <span class="chip">{t(kindKey[d.kind])}</span>
                {d.pinned && <span class="chip">{t('discussions.pinned')}</span>}
                {d.locked && <span class="chip">{t('discussions.locked')}</span>}
                {d.delivery && (
                  <span class="chip discussion-delivery" data-delivery={d.delivery}>
                    {deliveryText(d)}
                  </span>
                )}
                <p class="small muted">
                  {t('discussions.itemMeta', {
                    author: d.author.handle,
                    date: formatDate(d.createdAt),
                    replies: d.replyCount,
                  })}
                  {d.version && <> · {t('discussions.aboutVersionShort', { version: d.version })}</>}
                </p>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
