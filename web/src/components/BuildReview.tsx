// One build report for review: facts, photos, line changes, history, and approve / request changes / reject.
import DOMPurify from 'dompurify';
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError, query, versionPath } from '../api';
import type { Bom, BuildReport } from '../api-types';
import { formatDate, formatMoney, formatNumber, parseRef } from '../format';
import { designUrl } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { BuildLines, linesByPosition } from './BuildLines';
import { NoteText } from './NoteText';
import { SafetyCheck } from './SafetyCheck';
import { PipelineBadge } from './PipelineBadge';
import { ErrorNotice, Loading, NotFound } from './StateViews';

type Decision = 'approve' | 'request-changes' | 'reject';

function handleOf(value: string | { handle: string } | undefined): string {
  return typeof value === 'string' ? value : (value?.handle ?? '');
}

/** Where a report of a mirrored design stands on its way to the design's home, which reviews it. */
function deliveryText(delivery: 'queued' | 'delivered' | 'failed', error: string | undefined): string {
  if (delivery === 'queued') return 'Waiting to reach it (sent when the network allows)';
  if (delivery === 'delivered') return 'Delivered: its leads review it there';
  return `Refused there${error ? `: ${error}` : ''}`;
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

  if (build.status === 'missing') return <NotFound what={`Build report ${id}`} />;
  if (build.status === 'error') return <ErrorNotice error={build.error} onRetry={build.reload} />;
  if (!report) return <Loading label="Loading build report…" />;
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
    ? 'Choose a decision to send your review.'
    : needsSafetyCheck
      ? 'Tick the safety check above to approve.'
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
        Build of{' '}
        {ref ? (
          <a href={designUrl(ref.owner, ref.slug, version)}>
            {ref.owner}/{ref.slug}@{version}
          </a>
        ) : (
          `report ${id}`
        )}
      </h2>
      <dl class="stats">
        <div class="stat">
          <dt>Workshop</dt>
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
          <dt>Outcome</dt>
          <dd>{report.outcome ?? '—'}</dd>
        </div>
        <div class="stat">
          <dt>State</dt>
          <dd data-testid="build-state">{report.state ?? '—'}</dd>
        </div>
        <div class="stat">
          <dt>Person-hours</dt>
          <dd>{formatNumber(report.hours ?? undefined, 2)}</dd>
        </div>
        <div class="stat">
          <dt>Units</dt>
          <dd>{report.unitsBuilt ?? '—'}</dd>
        </div>
        <div class="stat">
          <dt>Cost</dt>
          <dd>{report.cost ? formatMoney(report.cost.amount, report.cost.currency) : '—'}</dd>
        </div>
        {author && (
          <div class="stat">
            <dt>Reported by</dt>
            <dd>@{author}</dd>
          </div>
        )}
        {report.delivery && (
          <div class="stat">
            <dt>Sent to the design’s home</dt>
            <dd data-testid="build-delivery">{deliveryText(report.delivery, report.deliveryError)}</dd>
          </div>
        )}
      </dl>
      {report.photos && report.photos.length > 0 && (
        <ul class="photo-grid" aria-label="Photos">
          {report.photos.map((photo) => (
            <li key={photo.n}>
              {/* the whole photo at its own proportions: a crop cuts off what the maker framed, a caption or a scale */}
              <figure class="build-photo">
                {photo.state === 'done' && photo.variants?.thumb ? (
                  <a href={photo.variants.large ?? photo.variants.thumb} target="_blank" rel="noopener">
                    <img
                      src={photo.variants.thumb}
                      alt={`Build photo ${photo.n}`}
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
                  Photo {photo.n}
                  {photo.state === 'done' && photo.variants?.large && (
                    <>
                      {' · '}
                      <a href={photo.variants.large} target="_blank" rel="noopener">
                        full size
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
          <h3>Parts changed</h3>
          <BuildLines lines={report.lines} bom={bomLines} />
        </>
      )}
      {report.deviations && (
        <>
          <h3>Deviations</h3>
          <NoteText text={report.deviations} />
        </>
      )}
      {report.safetyNotes && (
        <>
          <h3>Safety notes</h3>
          <NoteText text={report.safetyNotes} class="safety-notes" />
        </>
      )}
      {report.notes && (
        <>
          <h3>Notes</h3>
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
          <h3>History</h3>
          <ul>
            {report.reviews.map((review, index) => (
              <li key={index}>
                <strong>{review.decision}</strong> by @{handleOf(review.reviewer)} {formatDate(review.createdAt)}
                {review.safetyChecked && ' (safety checked)'}
                {review.comment && <>: {review.comment}</>}
              </li>
            ))}
          </ul>
        </>
      )}
      {done && (
        <div class="notice notice-success" role="status">
          <p>Decision recorded: {done}.</p>
        </div>
      )}
      {canReview && !done && (
        <form class="form card" onSubmit={submit} aria-labelledby="decision-heading">
          <h3 id="decision-heading">Your review</h3>
          {error && <ErrorNotice error={error} />}
          <fieldset class="field">
            <legend class="field-label">Decision</legend>
            <div class="radio-row">
              {(
                [
                  ['approve', 'Approve'],
                  ['request-changes', 'Request changes'],
                  ['reject', 'Reject'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} class="check">
                  <input
                    type="radio"
                    name="decision"
                    value={value}
                    checked={decision === value}
                    onChange={() => setDecision(value)}
                  />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          <label class="field">
            <span class="field-label">Comment</span>
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
            Send review
          </button>
        </form>
      )}
    </article>
  );
}
