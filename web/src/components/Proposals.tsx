// Proposals between a fork and its upstream: a fork's leads propose a version upstream; upstream's leads list them
// and accept one as a new version (with the number they choose) or decline it with a reason. A translation proposal
// (TranslateForm.tsx) is listed with its language and version, and accepted as the next patch version.
import { useState } from 'preact/hooks';
import { api, designPath, query } from '../api';
import type { Design, Proposal, VersionDocument, ProposalList } from '../api-types';
import { formatDate, parseRef } from '../format';
import { designUrl } from '../router';
import { useApi } from '../use-api';
import { ErrorNotice, Loading } from './StateViews';
import { useFormSubmit } from '../use-form-submit';
import { ProposalConversation, proposalAnchor } from './ProposalConversation';
import { languageName } from '../display-names';
import { t } from '../i18n';
import { slots, withElements } from '../message-elements';
import { PersonLink } from './PersonLink';

/** The next minor version after `latest` (1.1.0 → 1.2.0): the usual number for accepted changes. */
export function nextMinor(latest: string | null | undefined): string {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(latest ?? '');
  return match ? `${match[1]}.${Number(match[2]) + 1}.0` : '1.0.0';
}

/** The next patch version after `latest` (1.1.0 → 1.1.1): what an accepted translation becomes. */
export function nextPatch(latest: string | null | undefined): string {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(latest ?? '');
  return match ? `${match[1]}.${match[2]}.${Number(match[3]) + 1}` : '1.0.0';
}

type ProposeProps = { fork: Design; version: string; onCancel: () => void };

/** On a fork: propose this version to the design it was forked from. */
export function ProposeUpstreamForm({ fork, version, onCancel }: ProposeProps) {
  const upstream = parseRef(fork.upstream?.design ?? fork.forkedFrom);
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState<Proposal | null>(null);
  const { busy, error, submit } = useFormSubmit(async () => {
    setSent(
      await api.post<Proposal>(designPath(upstream!.owner, upstream!.slug, '/proposals'), {
        from: `${fork.owner}/${fork.slug}@${version}`,
        message: message.trim(),
      }),
    );
  });
  if (!upstream) return null;
  const upstreamName = `${upstream.owner}/${upstream.slug}`;

  if (sent) {
    return (
      <div class="notice notice-success" role="status">
        <p>
          {withElements(
            t('proposals.sent', {
              proposal: `${fork.owner}/${fork.slug}@${version}`,
              upstream: upstreamName,
              ...slots('link'),
            }),
            {
              link: (
                <a href={`${designUrl(upstream.owner, upstream.slug)}#${proposalAnchor(sent.id)}`}>
                  {t('proposals.followProposal')}
                </a>
              ),
            },
          )}
        </p>
      </div>
    );
  }
  return (
    <form class="form card panel" onSubmit={submit} aria-labelledby="propose-heading">
      <h2 id="propose-heading">{t('proposals.proposeHeading', { version })}</h2>
      <p class="muted">
        {withElements(t('proposals.proposeIntro', slots('upstream')), {
          upstream: <a href={designUrl(upstream.owner, upstream.slug)}>{upstreamName}</a>,
        })}
      </p>
      {error && <ErrorNotice error={error} />}
      <label class="field">
        <span class="field-label">{t('proposals.messageLabel')}</span>
        <textarea
          name="proposal-message"
          required
          rows={4}
          maxLength={20000}
          value={message}
          onInput={(event) => setMessage(event.currentTarget.value)}
        />
      </label>
      <div class="actions">
        <button class="button" type="submit" disabled={busy || !message.trim()}>
          {busy ? t('proposals.sending') : t('proposals.send')}
        </button>
        <button class="button button-quiet" type="button" onClick={onCancel}>
          {t('proposals.cancel')}
        </button>
      </div>
    </form>
  );
}

type DecideProps = { design: Design; proposal: Proposal; onDecided: (accepted?: string) => void };

function DecideProposal({ design, proposal, onDecided }: DecideProps) {
  const [mode, setMode] = useState<'accept' | 'decline' | null>(null);
  const [version, setVersion] = useState(
    proposal.kind === 'translation' ? nextPatch(design.latestVersion) : nextMinor(design.latestVersion),
  );
  // a translation's changelog is written by the server ("Spanish translation of the instructions, proposed by @bob")
  const [changelog, setChangelog] = useState(proposal.kind === 'translation' ? '' : proposal.message);
  const [reason, setReason] = useState('');
  const base = designPath(design.owner, design.slug, `/proposals/${encodeURIComponent(proposal.id)}`);

  const { busy, error, submit } = useFormSubmit(
    async () => {
      if (mode === 'accept') {
        const reply = await api.post<{ version: VersionDocument }>(`${base}/accept`, {
          version: version.trim(),
          ...(changelog.trim() ? { changelog: changelog.trim() } : {}),
        });
        onDecided(reply.version?.version ?? version.trim());
      } else {
        await api.post(`${base}/decline`, { reason: reason.trim() });
        onDecided();
      }
    },
    { keepBusy: true },
  );

  if (!mode) {
    return (
      <div class="actions">
        <button type="button" class="button button-small" onClick={() => setMode('accept')}>
          {t('proposals.accept')}
        </button>
        <button type="button" class="button button-quiet button-small" onClick={() => setMode('decline')}>
          {t('proposals.decline')}
        </button>
      </div>
    );
  }
  return (
    <form
      class="form proposal-decide"
      onSubmit={submit}
      aria-label={mode === 'accept' ? t('proposals.acceptLabel') : t('proposals.declineLabel')}
    >
      {error && <ErrorNotice error={error} />}
      {mode === 'accept' ? (
        <>
          <label class="field">
            <span class="field-label">{t('proposals.publishAs')}</span>
            <input
              name="accept-version"
              required
              pattern="\d+\.\d+\.\d+.*"
              value={version}
              onInput={(event) => setVersion(event.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span class="field-label">{t('proposals.changelog')}</span>
            <textarea
              name="accept-changelog"
              rows={2}
              value={changelog}
              onInput={(event) => setChangelog(event.currentTarget.value)}
            />
          </label>
        </>
      ) : (
        <label class="field">
          <span class="field-label">{t('proposals.declineReason')}</span>
          <textarea
            name="decline-reason"
            required
            rows={2}
            value={reason}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
        </label>
      )}
      <div class="actions">
        <button class="button button-small" type="submit" disabled={busy}>
          {mode === 'accept'
            ? t('proposals.publish', { version: `${design.slug}@${version}` })
            : t('proposals.declineProposal')}
        </button>
        <button class="button button-quiet button-small" type="button" onClick={() => setMode(null)}>
          {t('proposals.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A proposal made here to a design mirrored from another instance: whether its home has it (its leads decide there). */
function DeliveryNote({ proposal, home }: { proposal: Proposal; home: string | undefined }) {
  // the home's name when known, else "its home instance" (a message of its own: the phrase declines in some languages)
  const named = home !== undefined;
  if (proposal.delivery === 'failed')
    return (
      <p class="small proposal-delivery" data-delivery="failed">
        {named
          ? t('proposals.refused', { home, error: proposal.deliveryError ?? '' })
          : t('proposals.refusedByHome', { error: proposal.deliveryError ?? '' })}
      </p>
    );
  if (proposal.state !== 'open') return null;
  let note: string;
  if (proposal.delivery === 'delivered')
    note = named ? t('proposals.delivered', { home }) : t('proposals.deliveredToHome');
  else note = named ? t('proposals.waiting', { home }) : t('proposals.waitingForHome');
  return (
    <p class="small muted proposal-delivery" data-delivery={proposal.delivery}>
      {note}
    </p>
  );
}

/** A translation proposal's text, fetched when opened: what a lead reads before accepting it. */
function TranslationText({ design, proposal }: { design: Design; proposal: Proposal }) {
  const [text, setText] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const load = (open: boolean) => {
    if (!open || text !== null) return;
    api
      .get<string>(designPath(design.owner, design.slug, `/proposals/${encodeURIComponent(proposal.id)}/translation`))
      .then(setText, () => setFailed(true));
  };
  return (
    <details class="proposal-translation" onToggle={(event) => load(event.currentTarget.open)}>
      <summary>{t('translate.readProposed')}</summary>
      {failed ? (
        <p class="muted">{t('translate.originalFailed')}</p>
      ) : text === null ? (
        <Loading label={t('translate.loadingProposed')} />
      ) : (
        <pre class="translate-source" dir="auto" lang={proposal.translation?.lang} tabIndex={0}>
          {text}
        </pre>
      )}
    </details>
  );
}

/** A proposal's state as its badge reads. */
function proposalState(state: string): string {
  const keys: Record<string, string> = {
    open: 'proposals.state.open',
    accepted: 'proposals.state.accepted',
    declined: 'proposals.state.declined',
  };
  return keys[state] ? t(keys[state]) : state;
}

type ListProps = { design: Design; isLead: boolean; onAccepted: (version: string) => void };

/** Proposals made to this design; leads decide the open ones. Hidden when there are none and you do not lead it. */
export function ProposalList({ design, isLead, onAccepted }: ListProps) {
  const proposals = useApi<ProposalList>(designPath(design.owner, design.slug, `/proposals${query({})}`));
  const [notice, setNotice] = useState<string | null>(null);
  if (proposals.status === 'missing' || proposals.status === 'idle') return null;
  const items = proposals.status === 'ok' ? proposals.data.items : [];
  // nothing proposed yet: no section (the feed tells leads when a proposal arrives)
  if (proposals.status === 'ok' && items.length === 0 && !notice) return null;
  return (
    <section class="section" aria-labelledby="proposals-heading" id="proposals">
      <h2 id="proposals-heading">{t('proposals.heading')}</h2>
      {notice && (
        <div class="notice notice-success" role="status">
          <p>{notice}</p>
        </div>
      )}
      {proposals.status === 'loading' && items.length === 0 && <Loading label={t('proposals.loading')} />}
      {proposals.status === 'error' && <ErrorNotice error={proposals.error} onRetry={proposals.reload} />}
      {items.length > 0 && (
        <ul class="proposal-list">
          {items.map((proposal) => {
            const from = parseRef(proposal.from);
            return (
              <li key={proposal.id} id={proposalAnchor(proposal.id)} class="proposal" data-state={proposal.state}>
                <p class="proposal-head">
                  {proposal.translation ? (
                    <span data-kind="translation">
                      {t('translate.proposalHead', {
                        lang: languageName(proposal.translation.lang),
                        version: proposal.translation.version,
                      })}
                    </span>
                  ) : from ? (
                    <a href={designUrl(from.owner, from.slug, from.version)}>{proposal.from}</a>
                  ) : (
                    <span>{proposal.from ?? t('proposals.aFork')}</span>
                  )}{' '}
                  <span class={`badge badge-proposal-${proposal.state}`}>{proposalState(proposal.state)}</span>{' '}
                  <span class="muted">
                    {withElements(t('proposals.byline', { date: formatDate(proposal.createdAt), ...slots('author') }), {
                      author: proposal.author ? <PersonLink handle={proposal.author} /> : '',
                    })}
                  </span>
                </p>
                <p class="prewrap">{proposal.message}</p>
                {proposal.delivery && <DeliveryNote proposal={proposal} home={design.origin?.instance} />}
                {proposal.translation && proposal.state === 'open' && (
                  <>
                    <p class="small muted">
                      {t('translate.becomes', {
                        path: proposal.translation.path,
                        version: nextPatch(design.latestVersion),
                      })}
                    </p>
                    <TranslationText design={design} proposal={proposal} />
                  </>
                )}
                {from && !proposal.translation && proposal.state === 'open' && (
                  <p class="small">
                    <a
                      href={`${designUrl(design.owner, design.slug)}/compare${query({ from: design.latestVersion ?? undefined, to: proposal.from ?? undefined })}`}
                    >
                      {design.latestVersion
                        ? t('proposals.compareWith', { version: design.latestVersion })
                        : t('proposals.compareWithLatest')}
                    </a>
                  </p>
                )}
                {proposal.state === 'accepted' && proposal.acceptedVersion && (
                  <p class="small">{t('proposals.publishedAs', { version: proposal.acceptedVersion })}</p>
                )}
                {proposal.state === 'declined' && proposal.reason && (
                  <p class="small">{t('proposals.declinedBecause', { reason: proposal.reason })}</p>
                )}
                <ProposalConversation design={design} proposalId={proposal.id} />
                {isLead && proposal.state === 'open' && (
                  <DecideProposal
                    design={design}
                    proposal={proposal}
                    onDecided={(accepted) => {
                      setNotice(accepted ? t('proposals.accepted', { version: accepted }) : t('proposals.declined'));
                      proposals.reload();
                      if (accepted) onAccepted(accepted);
                    }}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
