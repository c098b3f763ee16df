// A discussion's page `/{owner}/{slug}/discussions/{id}`: the way back to its design, then the thread.
import { useApi, dataOf } from '../use-api';
import { t } from '../i18n';
import { ErrorNotice, Loading, NotFound } from '../components/StateViews';
import { DiscussionThread } from '../components/DiscussionThread';
import type { Discussion } from '../components/DiscussionTypes';

type Props = { owner: string; slug: string; id: string };

export function DiscussionPage({ owner, slug, id }: Props) {
  const loaded = useApi<Discussion>(`/api/discussions/${encodeURIComponent(id)}`);
  const d = dataOf(loaded);
  const designHref = `/${encodeURIComponent(owner).replace(/%40/g, '@')}/${encodeURIComponent(slug)}`;
  return (
    <section class="page discussion-page">
      <p class="breadcrumb">
        <a href={`${designHref}#discussions`}>
          {owner}/{slug}
        </a>{' '}
        / {t('discussions.heading')}
      </p>
      {loaded.status === 'missing' && <NotFound what={t('discussions.thisDiscussion')} />}
      {loaded.status === 'error' && <ErrorNotice error={loaded.error} onRetry={loaded.reload} />}
      {!d && loaded.status === 'loading' && <Loading label={t('discussions.loading')} />}
      {d && <DiscussionThread discussion={d} onChange={loaded.reload} />}
    </section>
  );
}
