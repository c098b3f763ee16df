// The outbox (admins): what this instance has sent that has not reached its recipient yet — build reports offered
// to a design's home, reviews going back, versions announced to followers — with why the last attempt failed and
// when the next one is, and a button to try now (the network is back). A workshop's laptop shows its pending
// reports here.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { FederationOutbox, FederationOutboxItem, FederationOutboxRetried } from '../api-types';
import { EmptyState, ErrorNotice, Loading, SignInPrompt } from '../components/StateViews';
import { usePageTitle } from '../page-title';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { currentLocale, t } from '../i18n';
import { formatNumber } from '../format';
import { slots, withElements } from '../message-elements';

const pageSize = 50;

/** Attempts can be seconds apart: the time, not only the day. */
const formatWhen = (iso: string) =>
  new Date(iso).toLocaleString(currentLocale(), {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

/** A review's decision as people read it (one the web does not know: as sent). */
function decisionLabel(decision: string): string {
  const keys: Record<string, string> = {
    approve: 'outboxPage.decision.approve',
    'request-changes': 'outboxPage.decision.requestChanges',
    reject: 'outboxPage.decision.reject',
  };
  return keys[decision] ? t(keys[decision]) : decision;
}

/** A delivery's state as its badge reads. */
function stateLabel(state: FederationOutboxItem['state']): string {
  const keys: Record<FederationOutboxItem['state'], string> = {
    queued: 'outboxPage.state.queued',
    retrying: 'outboxPage.state.retrying',
    failed: 'outboxPage.state.failed',
  };
  return t(keys[state]);
}

function aboutLabel(item: FederationOutboxItem): string {
  const { about } = item;
  switch (about.kind) {
    case 'build-report':
      return t('outboxPage.about.buildReport');
    case 'review':
      return about.decision
        ? t('outboxPage.about.reviewDecided', { decision: decisionLabel(about.decision) })
        : t('outboxPage.about.review');
    case 'version':
      return t('outboxPage.about.version', { version: about.version ?? '', design: about.design ?? '' });
    case 'design':
      return t('outboxPage.about.design', { design: about.design ?? '' });
    default:
      return about.url ?? '';
  }
}

function AboutCell({ item }: { item: FederationOutboxItem }) {
  const report = item.about.buildReport;
  return (
    <td>
      <span class="chip">{item.activity.type}</span> {aboutLabel(item)}
      {report && (
        <>
          {' '}
          <a href={`/reviews?build=${encodeURIComponent(report)}`} class="mono">
            {report.slice(0, 8)}
          </a>
        </>
      )}
    </td>
  );
}

const stateBadge: Record<FederationOutboxItem['state'], string> = {
  queued: 'badge badge-queued',
  retrying: 'badge badge-running',
  failed: 'badge badge-failed',
};

export function OutboxPage() {
  usePageTitle(t('outboxPage.title'));
  const session = useSession();
  const [cursor, setCursor] = useState<string | null>(null);
  const outbox = useApi<FederationOutbox>(
    session.token ? `/api/federation/outbox?limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}` : null,
  );
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  if (!session.token)
    return (
      <section class="page">
        <h1>{t('outboxPage.title')}</h1>
        <SignInPrompt message="outboxPage.signInPrompt" />
      </section>
    );

  async function retry(body: { id?: string; instance?: string }) {
    setBusy(true);
    setError(null);
    try {
      const { retried } = await api.post<FederationOutboxRetried>('/api/federation/outbox/retry', body);
      setMessage(t('outboxPage.retried', { count: retried }));
      outbox.reload();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }

  const items = outbox.status === 'ok' || outbox.status === 'loading' ? (outbox.data?.items ?? []) : [];
  return (
    <section class="page">
      <h1>{t('outboxPage.title')}</h1>
      <p class="lede">{t('outboxPage.lede')}</p>
      <div class="outbox-actions">
        <button type="button" class="button" disabled={busy || items.length === 0} onClick={() => void retry({})}>
          {t('outboxPage.retryAll')}
        </button>
        <button type="button" class="button button-quiet" onClick={() => outbox.reload()}>
          {t('outboxPage.refresh')}
        </button>
      </div>
      {message && (
        <p class="notice notice-success" role="status">
          {message}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      {outbox.status === 'loading' && !outbox.data && <Loading />}
      {outbox.status === 'error' &&
        (outbox.error.status === 403 ? (
          <EmptyState title={t('outboxPage.adminsOnly')} />
        ) : (
          <ErrorNotice error={outbox.error} onRetry={outbox.reload} />
        ))}
      {outbox.status === 'missing' && <EmptyState title={t('outboxPage.noFederation')} />}
      {outbox.status === 'ok' && items.length === 0 && (
        <EmptyState title={t('outboxPage.emptyTitle')}>
          <p>{t('outboxPage.emptyBody')}</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <div class="table-scroll">
          <table class="table outbox-table">
            <caption class="visually-hidden">{t('outboxPage.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('outboxPage.column.what')}</th>
                <th scope="col">{t('outboxPage.column.to')}</th>
                <th scope="col">{t('outboxPage.column.state')}</th>
                <th scope="col">{t('outboxPage.column.attempts')}</th>
                <th scope="col">{t('outboxPage.column.lastError')}</th>
                <th scope="col">{t('outboxPage.column.nextAttempt')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('outboxPage.column.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} data-state={item.state}>
                  <AboutCell item={item} />
                  <td class="mono">{item.target.instance}</td>
                  <td>
                    <span class={stateBadge[item.state]}>{stateLabel(item.state)}</span>
                  </td>
                  <td>{formatNumber(item.attempts)}</td>
                  <td class="outbox-error">{item.lastError ?? '—'}</td>
                  <td>{item.nextAttemptAt ? formatWhen(item.nextAttemptAt) : t('outboxPage.givenUp')}</td>
                  <td>
                    <button
                      type="button"
                      class="button button-small"
                      disabled={busy}
                      onClick={() => void retry({ id: item.id })}
                    >
                      {withElements(t('outboxPage.retryNow', slots('what')), {
                        what: <span class="visually-hidden">{aboutLabel(item)}</span>,
                      })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {outbox.status === 'ok' && (cursor || outbox.data.nextCursor) && (
        <div class="outbox-actions">
          {cursor && (
            <button type="button" class="button button-quiet" onClick={() => setCursor(null)}>
              {t('outboxPage.firstPage')}
            </button>
          )}
          {outbox.data.nextCursor && (
            <button type="button" class="button button-quiet" onClick={() => setCursor(outbox.data.nextCursor)}>
              {t('outboxPage.nextPage')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
