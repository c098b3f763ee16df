// Discussions whose title, body or answer match the words (`GET /api/discussions/search`), best first: on a design's
// page its own, on the explore page every design's (under a "Discussions" heading, shown only when some match).
import { query } from '../api';
import { t } from '../i18n';
import { useApi, dataOf } from '../use-api';
import { ErrorNotice, Loading } from './StateViews';
import { DiscussionItem } from './DiscussionItem';
import type { DiscussionSearch } from './DiscussionTypes';

type Props = { q: string; design?: { owner: string; slug: string } };

export function DiscussionMatches({ q, design }: Props) {
  const found = useApi<DiscussionSearch>(`/api/discussions/search${query({ q, ...design })}`);
  const items = dataOf(found)?.items;
  if (!design) {
    // across designs: a group of its own under the designs found, or nothing at all
    if (!items?.length) return null;
    return (
      <section class="section discussion-matches" aria-labelledby="discussion-matches-heading">
        <h2 id="discussion-matches-heading">{t('discussions.heading')}</h2>
        <ul class="discussion-list">
          {items.map((d) => (
            <DiscussionItem key={d.id} d={d} showDesign />
          ))}
        </ul>
      </section>
    );
  }
  if (found.status === 'error') return <ErrorNotice error={found.error} onRetry={found.reload} />;
  if (!items) return <Loading label={t('discussions.loading')} />;
  if (items.length === 0)
    return (
      <p class="muted small" role="status">
        {t('discussions.noMatch', { q })}
      </p>
    );
  return (
    <ul class="discussion-list" aria-label={t('discussions.matching', { q })}>
      {items.map((d) => (
        <DiscussionItem key={d.id} d={d} />
      ))}
    </ul>
  );
}
