// "My feed" `/feed`: upstream updates of your forks, new forks of and proposals to your designs, build reports on them.
import type { FeedItem, Feed } from '../api-types';
import { EmptyState, ErrorNotice, Loading, SignInPrompt } from '../components/StateViews';
import { formatDate, parseRef } from '../format';
import { usePageTitle } from '../page-title';
import { designUrl } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { query } from '../api';
import { t } from '../i18n';
import { slots, withElements } from '../message-elements';
import { PersonLink } from '../components/PersonLink';

function DesignLink({ name }: { name: string }) {
  const ref = parseRef(name);
  return ref ? <a href={designUrl(ref.owner, ref.slug, ref.version)}>{name}</a> : <span>{name}</span>;
}

/** What a feed entry is, as its heading reads. */
function typeLabel(type: FeedItem['type']): string {
  const keys: Record<FeedItem['type'], string> = {
    'upstream-update': 'feedPage.type.upstreamUpdate',
    fork: 'feedPage.type.fork',
    proposal: 'feedPage.type.proposal',
    'build-report': 'feedPage.type.buildReport',
  };
  return keys[type] ? t(keys[type]) : type;
}

/** A proposal's state, or a build's outcome, as its badge reads (one the web does not know: as sent). */
function badgeLabel(value: string): string {
  const keys: Record<string, string> = {
    open: 'feedPage.badge.open',
    accepted: 'feedPage.badge.accepted',
    declined: 'feedPage.badge.declined',
    success: 'feedPage.badge.success',
    partial: 'feedPage.badge.partial',
    failed: 'feedPage.badge.failed',
  };
  return keys[value] ? t(keys[value]) : value;
}

function FeedEntry({ item }: { item: FeedItem }) {
  switch (item.type) {
    case 'upstream-update': {
      const mine = parseRef(item.design);
      return (
        <p>
          {withElements(t('feedPage.upstreamUpdate', { base: item.base.split('@')[1], ...slots('latest', 'fork') }), {
            latest: <DesignLink name={item.latest} />,
            fork: <DesignLink name={item.design} />,
          })}{' '}
          {mine && (
            <a href={`${designUrl(mine.owner, mine.slug)}/compare${query({ from: item.base, to: item.latest })}`}>
              {t('feedPage.seeChanges')}
            </a>
          )}
        </p>
      );
    }
    case 'fork':
      return (
        <p>
          {withElements(t('feedPage.fork', slots('by', 'from', 'fork')), {
            by: <PersonLink handle={item.by} />,
            from: <DesignLink name={item.from} />,
            fork: <DesignLink name={item.fork} />,
          })}
        </p>
      );
    case 'proposal': {
      const target = parseRef(item.design);
      return (
        <p>
          {withElements(t('feedPage.proposal', slots('by', 'from', 'design')), {
            by: <PersonLink handle={item.by} />,
            from: <DesignLink name={item.from} />,
            design: <DesignLink name={item.design} />,
          })}{' '}
          <span class={`badge badge-proposal-${item.state}`}>{badgeLabel(item.state)}</span>{' '}
          {target && (
            <a href={`${designUrl(target.owner, target.slug)}#proposals`}>
              {item.state === 'open' ? t('feedPage.reviewIt') : t('feedPage.seeProposals')}
            </a>
          )}
        </p>
      );
    }
    case 'build-report': {
      const id = item.report.split('/').pop() ?? '';
      return (
        <p>
          {withElements(t('feedPage.buildReport', slots('design')), {
            design: <DesignLink name={`${item.design}@${item.version}`} />,
          })}{' '}
          <span class={`badge badge-outcome-${item.outcome}`}>{badgeLabel(item.outcome)}</span>{' '}
          <a href={`/reviews?build=${encodeURIComponent(id)}`}>{t('feedPage.openReport')}</a>
        </p>
      );
    }
    default:
      return null;
  }
}

export function FeedPage() {
  usePageTitle(t('feedPage.title'));
  const session = useSession();
  const feed = useApi<Feed>(session.token ? '/api/me/feed' : null);
  const items = feed.status === 'ok' ? feed.data.items : [];
  return (
    <section class="page narrow">
      <h1>{t('feedPage.title')}</h1>
      <p class="lede">{t('feedPage.lede')}</p>
      {!session.token && <SignInPrompt message="feedPage.signInPrompt" />}
      {feed.status === 'loading' && <Loading label={t('feedPage.loading')} />}
      {feed.status === 'error' && <ErrorNotice error={feed.error} onRetry={feed.reload} />}
      {feed.status === 'missing' && <EmptyState title={t('feedPage.noFeed')} />}
      {feed.status === 'ok' && items.length === 0 && (
        <EmptyState title={t('feedPage.emptyTitle')}>
          <p>
            {t('feedPage.emptyBody')}{' '}
            {withElements(t('feedPage.emptyNext', slots('publish', 'fork')), {
              publish: <a href="/publish">{t('feedPage.publishDesign')}</a>,
              fork: <a href="/">{t('feedPage.forkOne')}</a>,
            })}
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <ol class="feed-list">
          {items.map((item, index) => (
            <li key={index} class={`card feed-item feed-${item.type}`}>
              <p class="feed-meta">
                <span class="feed-type">{typeLabel(item.type)}</span>{' '}
                <time dateTime={item.at}>{formatDate(item.at)}</time>
              </p>
              <FeedEntry item={item} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
