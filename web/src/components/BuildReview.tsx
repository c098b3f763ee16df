// One build report for review: facts, photos, line changes, history, and approve / request changes / reject.
import DOMPurify from 'dompurify';
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError, query, versionPath } from '../api';
import type { Bom, BuildReport } from '../api-types';
import { formatDate, formatMoney, formatNumber, parseRef } from '../format';
import { t } from '../i18n';
import { designUrl } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { BuildLines, linesByPosition } from './BuildLines';
import { NoteText } from './NoteText';
import { SafetyCheck } from './SafetyCheck';
import { PipelineBadge } from './PipelineBadge';
import { ErrorNotice, Loading, NotFound } from './StateViews';
import { PersonLink } from './PersonLink';
import { slots, withElements } from '../message-elements';

type Decision = 'approve' | 'request-changes' | 'reject';
const decisions: Decision[] = ['approve', 'request-changes', 'reject'];

/** A decision as the review form offers it. */
function decisionLabel(decision: Decision): string {
  const keys: Record<Decision, string> = {
    approve: 'buildReview.approve',
    'request-changes': 'buildReview.requestChanges',
    reject: 'buildReview.reject',
  };
  return t(keys[decision]);
}

function handleOf(value: string | { handle: string } | undefined): string {
  return typeof value === 'string' ? value : (value?.handle ?? '');
}

/** Where a report of a mirrored design stands on its way to the design's home, which reviews it. */
function deliveryText(delivery: 'queued' | 'delivered' | 'failed', error: string | undefined): string {
  if (delivery === 'queued') return t('buildReview.delivery.queued');
  if (delivery === 'delivered') return t('buildReview.delivery.delivered');
  return error ? t('buildReview.delivery.refusedBecause', { error }) : t('buildReview.delivery.refused');
}

/** A report's state in words; a state this page does not know is shown as the server says it. */
export function stateText(state: string): string {
  const keys: Record<string, string> = {
    submitted: 'buildReview.states.submitted',
    approved: 'buildReview.states.approved',
    rejected: 'buildReview.states.rejected',
    'changes-requested': 'buildReview.states.changesRequested',
  };
  return keys[state] ? t(keys[state]) : state;
}

/** A build's outcome in words (success, partial, failed). */
export function outcomeText(outcome: string): string {
  const keys: Record<string, string> = {
    success: 'buildReview.outcomes.success',
    partial: 'buildReview.outcomes.partial',
    failed: 'buildReview.outcomes.failed',
  };
  return keys[outcome] ? t(keys[outcome]) : outcome;
}

/** A reviewer's decision in words, as the history lists it. */
function decisionText(decision: string): string {
  const keys: Record<string, string> = {
    approve: 'buildReview.decisions.approve',
    'request-changes': 'buildReview.decisions.requestChanges',
    reject: 'buildReview.decisions.reject',
  };
  return keys[decision] ? t(keys[decision]) : decision;
}

/** The notice once a decision is sent. */
function recordedText(decision: string): string {
  const keys: Record<string, string> = {
    approve: 'buildReview.recorded.approve',
    'request-changes': 'buildReview.recorded.requestChanges',
    reject: 'buildReview.recorded.reject',
  };
  return t(keys[decision] ?? 'buildReview.recorded.other', { decision });
}

export function BuildReview({ id, onDecided }: { id: string; onDecided: () => void }) {
  const session = useSession();
  const build = useApi<BuildReport>(`/api/builds/${encodeURIComponent(id)}`);
  // no decision until the reviewer picks one: a default would let a hurried click approve
  const [decision, setDecision] = useState<Decision | null>(null);
  const [comment, setComment] = useState('');
  const [safetyChecked, setSafetyChecked] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const report = build.status === 'ok' ? build.data : undefined;
  const ref = report
    ? parseRef(
        typeof report.design === 'string'
          ? report.design
          : (report.design ??
              (report.owner && report.slug
                ? { owner: report.owner, slug: report.slug, version: report.version }
                : null)),
      )
    : null;
  const version = ref?.version ?? report?.version;
  // the report names BOM lines by position only; their names come from the version's BOM
  const bom = useApi<Bom>(
    ref && version && report?.lines?.length
      ? versionPath(ref.owner, ref.slug, version, `/bom${query({ format: 'json' })}`)
      : null,
  );
  const bomData = bom.status === 'ok' ? bom.data : undefined;
  const bomLines = useMemo(() => linesByPosition(bomData?.lines ?? []), [bomData]);

  if (build.status === 'missing') return <NotFound what={t('buildReview.notFound', { id })} />;
  if (build.status === 'error') return <ErrorNotice error={build.error} onRetry={build.reload} />;
  if (!report) return <Loading label={t('buildReview.loading')} />;
  const workshop = typeof report.workshop === 'string' ? report.workshop : report.workshop?.slug;
  // a workshop of another instance has no page here: its name and home are shown instead
  const workshopInstance = typeof report.workshop === 'string' ? undefined : report.workshop?.instance;
  const workshopName = typeof report.workshop === 'string' ? report.workshop : (report.workshop?.name ?? workshop);
  const author = handleOf(report.author);
  // a report of a mirrored design is reviewed at the design's home, and its state comes back from there
  const canReview =
    session.token &&
    author !== session.handle &&
    !report.delivery &&
    (report.state === 'submitted' || report.state === undefined);

  const needsSafetyCheck = report.safetyCritical === true && decision === 'approve' && !safetyChecked;
  const sendHint = !decision
    ? t('buildReview.chooseDecision')
    : needsSafetyCheck
      ? t('buildReview.tickSafetyCheck')
      : null;

  async function submit(event: Event) {
    event.preventDefault();
    if (!decision || needsSafetyCheck) return;
    setError(null);
    try {
      const body: Record<string, unknown> = { decision, comment };
      if (safetyChecked) body.safetyChecked = true;
      await api.post(`/api/builds/${encodeURIComponent(id)}/reviews`, body);
      setDone(decision);
      build.reload();
      onDecided();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <article class="build-review">
      <h2>
        {ref ? (
          <>
            {t('buildReview.buildOf')}{' '}
            <a href={designUrl(ref.owner, ref.slug, version)}>
              {ref.owner}/{ref.slug}@{version}
            </a>
          </>
        ) : (
          t('buildReview.buildOfReport', { id })
        )}
      </h2>
      <dl class="stats">
        <div class="stat">
          <dt>{t('buildReview.stats.workshop')}</dt>
          <dd>
            {workshopInstance ? (
              <>
                {workshopName} <span class="badge badge-instance">{workshopInstance}</span>
              </>
            ) : workshop ? (
              <a href={`/workshops/${encodeURIComponent(workshop)}`}>{workshopName}</a>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div class="stat">
          <dt>{t('buildReview.stats.outcome')}</dt>
          <dd>{report.outcome ? outcomeText(report.outcome) : '—'}</dd>
        </div>
        <div class="stat">
          <dt>{t('buildReview.stats.state')}</dt>
          <dd data-testid="build-state">{report.state ? stateText(report.state) : '—'}</dd>
        </div>
        <div class="stat">
          <dt>{t('buildReview.stats.hours')}</dt>
          <dd>{formatNumber(report.hours ?? undefined, 2)}</dd>
        </div>
        <div class="stat">
          <dt>{t('buildReview.stats.units')}</dt>
          <dd>{report.unitsBuilt ?? '—'}</dd>
        </div>
        <div class="stat">
          <dt>{t('buildReview.stats.cost')}</dt>
          <dd>{report.cost ? formatMoney(report.cost.amount, report.cost.currency) : '—'}</dd>
        </div>
        {author && (
          <div class="stat">
            <dt>{t('buildReview.stats.reportedBy')}</dt>
            <dd>
              <PersonLink handle={author} />
            </dd>
          </div>
        )}
        {report.delivery && (
          <div class="stat">
            <dt>{t('buildReview.stats.delivery')}</dt>
            <dd data-testid="build-delivery">{deliveryText(report.delivery, report.deliveryError)}</dd>
          </div>
        )}
      </dl>
      {report.photos && report.photos.length > 0 && (
        <ul class="photo-grid" aria-label={t('buildReview.photos')}>
          {report.photos.map((photo) => (
            <li key={photo.n}>
              {/* the whole photo at its own proportions: a crop cuts off what the maker framed, a caption or a scale */}
              <figure class="build-photo">
                {photo.state === 'done' && photo.variants?.thumb ? (
                  <a href={photo.variants.large ?? photo.variants.thumb} target="_blank" rel="noopener">
                    <img
                      src={photo.variants.thumb}
                      alt={t('buildReview.photoAlt', { n: photo.n })}
                      loading="lazy"
                      width={photo.width ?? undefined}
                      height={photo.height ?? undefined}
                    />
                  </a>
                ) : (
                  <div class="thumb thumb-placeholder">
                    <PipelineBadge state={photo.state} />
                  </div>
                )}
                <figcaption>
                  {t('buildReview.photoCaption', { n: photo.n })}
                  {photo.state === 'done' && photo.variants?.large && (
                    <>
                      {' · '}
                      <a href={photo.variants.large} target="_blank" rel="noopener">
                        {t('buildReview.fullSize')}
                      </a>
                    </>
                  )}
                </figcaption>
              </figure>
            </li>
          ))}
        </ul>
      )}
      {report.lines && report.lines.length > 0 && (
        <>
          <h3>{t('buildReview.partsChanged')}</h3>
          <BuildLines lines={report.lines} bom={bomLines} />
        </>
      )}
      {report.deviations && (
        <>
          <h3>{t('buildReview.deviations')}</h3>
          <NoteText text={report.deviations} />
        </>
      )}
      {report.safetyNotes && (
        <>
          <h3>{t('buildReview.safetyNotes')}</h3>
          <NoteText text={report.safetyNotes} class="safety-notes" />
        </>
      )}
      {report.notes && (
        <>
          <h3>{t('buildReview.notes')}</h3>
          {/* Markdown, as the report form says: the server's rendering, sanitised there and again here like all HTML shown */}
          {report.notesHtml ? (
            <div class="build-notes" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(report.notesHtml) }} />
          ) : (
            <p class="prewrap">{report.notes}</p>
          )}
        </>
      )}
      {report.reviews && report.reviews.length > 0 && (
        <>
          <h3>{t('buildReview.history')}</h3>
          <ul>
            {report.reviews.map((review, index) => (
              <li key={index}>
                <strong>{decisionText(review.decision)}</strong>{' '}
                {withElements(t('buildReview.byOn', { date: formatDate(review.createdAt), ...slots('handle') }), {
                  handle: <PersonLink handle={handleOf(review.reviewer)} />,
                })}
                {review.safetyChecked && ` ${t('buildReview.safetyChecked')}`}
                {review.comment && t('buildReview.comment', { comment: review.comment })}
                {review.remarks && review.remarks.length > 0 && (
                  <ul class="review-remarks">
                    {review.remarks.map((remark, n) => (
                      <li key={n}>
                        {t('buildReview.remark', {
                          where: remark.line
                            ? t('buildReview.remarkLine', { line: remark.line })
                            : (remark.field ?? t('buildReview.remarkAny')),
                          message: remark.message,
                        })}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {done && (
        <div class="notice notice-success" role="status">
          <p>{recordedText(done)}</p>
        </div>
      )}
      {canReview && !done && (
        <form class="form card" onSubmit={submit} aria-labelledby="decision-heading">
          <h3 id="decision-heading">{t('buildReview.yourReview')}</h3>
          {error && <ErrorNotice error={error} />}
          <fieldset class="field">
            <legend class="field-label">{t('buildReview.decision')}</legend>
            <div class="radio-row">
              {decisions.map((value) => (
                <label key={value} class="check">
                  <input
                    type="radio"
                    name="decision"
                    value={value}
                    checked={decision === value}
                    onChange={() => setDecision(value)}
                  />
                  {decisionLabel(value)}
                </label>
              ))}
            </div>
          </fieldset>
          <label class="field">
            <span class="field-label">{t('buildReview.commentLabel')}</span>
            <textarea
              name="comment"
              rows={3}
              required={decision !== null && decision !== 'approve'}
              value={comment}
              onInput={(event) => setComment(event.currentTarget.value)}
            />
          </label>
          <SafetyCheck
            design={ref ? { ...ref, version } : null}
            critical={report.safetyCritical === true}
            required={report.safetyCritical === true && decision === 'approve'}
            checked={safetyChecked}
            onChange={setSafetyChecked}
          />
          {sendHint && (
            <p id="send-hint" class="field-hint send-hint" role="status">
              {sendHint}
            </p>
          )}
          <button
            class="button"
            type="submit"
            disabled={sendHint !== null}
            aria-describedby={sendHint ? 'send-hint' : undefined}
          >
            {t('buildReview.send')}
          </button>
        </form>
      )}
    </article>
  );
}
