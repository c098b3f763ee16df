// "My feed" `/feed`: upstream updates of your forks, new forks of and proposals to your designs, build reports on them.
import type { FeedItem, Feed } from '../api-types';
import { EmptyState, ErrorNotice, Loading, SignInPrompt } from '../components/StateViews';
import { formatDate, parseRef } from '../format';
import { usePageTitle } from '../page-title';
import { designUrl } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { query } from '../api';

function DesignLink({ name }: { name: string }) {
  const ref = parseRef(name);
  return ref ? <a href={designUrl(ref.owner, ref.slug, ref.version)}>{name}</a> : <span>{name}</span>;
}

const typeLabels: Record<FeedItem['type'], string> = {
  'upstream-update': 'Upstream update',
  fork: 'New fork',
  proposal: 'Proposal',
  'build-report': 'Build report',
};

function FeedEntry({ item }: { item: FeedItem }) {
  switch (item.type) {
    case 'upstream-update': {
      const mine = parseRef(item.design);
      return (
        <p>
          <DesignLink name={item.latest} /> is out, newer than the base of your fork <DesignLink name={item.design} /> (
          {item.base.split('@')[1]}).{' '}
          {mine && (
            <a href={`${designUrl(mine.owner, mine.slug)}/compare${query({ from: item.base, to: item.latest })}`}>
              See what changed
            </a>
          )}
        </p>
      );
    }
    case 'fork':
      return (
        <p>
          @{item.by} forked <DesignLink name={item.from} /> as <DesignLink name={item.fork} />.
        </p>
      );
    case 'proposal': {
      const target = parseRef(item.design);
      return (
        <p>
          @{item.by} proposed <DesignLink name={item.from} /> to <DesignLink name={item.design} />{' '}
          <span class={`badge badge-proposal-${item.state}`}>{item.state}</span>{' '}
          {target && (
            <a href={`${designUrl(target.owner, target.slug)}#proposals`}>
              {item.state === 'open' ? 'Review it' : 'See proposals'}
            </a>
          )}
        </p>
      );
    }
    case 'build-report': {
      const id = item.report.split('/').pop() ?? '';
      return (
        <p>
          A workshop reported a build of <DesignLink name={`${item.design}@${item.version}`} />:{' '}
          <span class={`badge badge-outcome-${item.outcome}`}>{item.outcome}</span>{' '}
          <a href={`/reviews?build=${encodeURIComponent(id)}`}>Open the report</a>
        </p>
      );
    }
    default:
      return null;
  }
}

export function FeedPage() {
  usePageTitle('My feed');
  const session = useSession();
  const feed = useApi<Feed>(session.token ? '/api/me/feed' : null);
  const items = feed.status === 'ok' ? feed.data.items : [];
  return (
    <section class="page narrow">
      <h1>My feed</h1>
      <p class="lede">
        What happened around your designs and forks: upstream releases, new forks, proposals and builds.
      </p>
      {!session.token && <SignInPrompt action="see your feed" />}
      {feed.status === 'loading' && <Loading label="Loading your feed…" />}
      {feed.status === 'error' && <ErrorNotice error={feed.error} onRetry={feed.reload} />}
      {feed.status === 'missing' && <EmptyState title="This server has no feed yet." />}
      {feed.status === 'ok' && items.length === 0 && (
        <EmptyState title="Nothing yet.">
          <p>
            When someone forks or builds one of your designs, or upstream publishes a version newer than your fork, it
            shows here. <a href="/publish">Publish a design</a> or <a href="/">fork one</a>.
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <ol class="feed-list">
          {items.map((item, index) => (
            <li key={index} class={`card feed-item feed-${item.type}`}>
              <p class="feed-meta">
                <span class="feed-type">{typeLabels[item.type] ?? item.type}</span>{' '}
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
