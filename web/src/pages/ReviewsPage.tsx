// Reviews `/reviews`: the caller's review queue with ages; `/reviews?build=ID` shows one report to review.
import type { BuildSummary, BuildReportList } from '../api-types';
import { BuildReview } from '../components/BuildReview';
import { EmptyState, ErrorNotice, Loading, SignInPrompt } from '../components/StateViews';
import { formatAge, formatDate, parseRef } from '../format';
import { t } from '../i18n';
import { usePageTitle } from '../page-title';
import { outcomeText } from '../components/BuildReview';
import { useLocation } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { PersonLink } from '../components/PersonLink';

export function ageSeconds(item: BuildSummary): number | null {
  if (typeof item.ageSeconds === 'number') return item.ageSeconds;
  const since = item.submittedAt ?? item.createdAt;
  return since ? Math.max(0, (Date.now() - new Date(since).getTime()) / 1000) : null;
}

export function ReviewsPage() {
  const session = useSession();
  const location = useLocation();
  const buildId = location.search.get('build');
  usePageTitle(buildId ? t('reviewsPage.reviewBuild') : t('reviewsPage.title'));
  const queue = useApi<BuildReportList>(session.token && !buildId ? '/api/reviews/queue' : null);

  if (buildId) {
    return (
      <section class="page narrow">
        <p class="breadcrumb">
          <a href="/reviews">{t('reviewsPage.title')}</a> / {t('reviewsPage.breadcrumbBuild')}
        </p>
        <h1>{t('reviewsPage.buildReport')}</h1>
        <BuildReview id={buildId} onDecided={() => undefined} />
      </section>
    );
  }
  if (!session.token)
    return (
      <section class="page narrow">
        <h1>{t('reviewsPage.title')}</h1>
        <SignInPrompt message="reviewsPage.signInPrompt" />
      </section>
    );

  const items = queue.status === 'ok' ? queue.data.items : [];
  return (
    <section class="page narrow">
      <h1>{t('reviewsPage.title')}</h1>
      <p class="lede">{t('reviewsPage.lede')}</p>
      {queue.status === 'loading' && <Loading label={t('reviewsPage.loading')} />}
      {queue.status === 'error' && <ErrorNotice error={queue.error} onRetry={queue.reload} />}
      {queue.status === 'missing' && <EmptyState title={t('reviewsPage.noQueue')} />}
      {queue.status === 'ok' && items.length === 0 && <EmptyState title={t('reviewsPage.empty')} />}
      {items.length > 0 && (
        <ul class="review-queue">
          {items.map((item) => {
            const ref = parseRef(
              typeof item.design === 'string'
                ? item.design
                : (item.design ??
                    (item.owner && item.slug ? { owner: item.owner, slug: item.slug, version: item.version } : null)),
            );
            const age = ageSeconds(item);
            const workshop =
              typeof item.workshop === 'string' ? item.workshop : (item.workshop?.name ?? item.workshop?.slug);
            // a report filed on another instance is marked with it
            const instance = typeof item.workshop === 'string' ? undefined : item.workshop?.instance;
            return (
              <li key={item.id} class="card review-item">
                <a href={`/reviews?build=${encodeURIComponent(item.id)}`} class="review-link">
                  {ref
                    ? `${ref.owner}/${ref.slug}@${ref.version ?? item.version ?? ''}`
                    : t('reviewsPage.build', { id: item.id })}
                </a>
                {instance && (
                  <span
                    class="badge badge-instance"
                    title={t('reviewsPage.reportedOn', { instance, handle: item.author?.handle ?? '' })}
                  >
                    {t('reviewsPage.fromInstance', { instance })}
                  </span>
                )}
                <span class="muted">
                  {workshop && `${t('reviewsPage.byWorkshop', { workshop })} · `}
                  {instance && item.author?.handle && (
                    <>
                      <PersonLink handle={item.author.handle} /> ·{' '}
                    </>
                  )}
                  {item.outcome && `${outcomeText(item.outcome)} · `}
                  {age !== null ? t('reviewsPage.waiting', { age: formatAge(age) }) : formatDate(item.submittedAt)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
