// One discussion in a list: its title linking to the thread, state, kind, pinned/locked, author, date and replies;
// with `showDesign` (a search across designs) also the design it is on.
import { formatDate } from '../format';
import { t } from '../i18n';
import { designUrl } from '../router';
import { deliveryText, discussionUrl, kindKey, stateKey, type Discussion } from './DiscussionTypes';

type Item = Pick<
  Discussion,
  | 'id'
  | 'design'
  | 'title'
  | 'state'
  | 'kind'
  | 'pinned'
  | 'locked'
  | 'author'
  | 'createdAt'
  | 'replyCount'
  | 'version'
  | 'delivery'
>;

export function DiscussionItem({ d, showDesign = false }: { d: Item; showDesign?: boolean }) {
  const { owner, slug } = d.design;
  return (
    <li class="discussion-item">
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
        {showDesign && (
          <>
            <a href={designUrl(owner, slug)}>
              {owner}/{slug}
            </a>{' '}
            ·{' '}
          </>
        )}
        {t('discussions.itemMeta', {
          author: d.author.handle,
          date: formatDate(d.createdAt),
          replies: d.replyCount,
        })}
        {d.version && <> · {t('discussions.aboutVersionShort', { version: d.version })}</>}
      </p>
    </li>
  );
}
