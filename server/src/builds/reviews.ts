// Reviews of build reports by the design's leads: approve, request changes, reject; and each lead's queue.
import { and, eq, ne, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { AppError, selector, composed, forbidden, msg } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { designs, designMaintainers } from '../registry/tables.js';
import { findVisibleDesign, isLead } from '../registry/designs.js';
import { designChanged, type DesignChangedHook } from '../registry/design-changed.js';
import type { ReviewCreate } from '../schema-types.js';
import { buildReports } from './tables.js';
import { reportContext, reportSummary, reportsWithContext, type ReportRow } from './reports.js';
import { applyTransition } from './transitions.js';
import { notifyReview } from './report-notifications.js';

/**
 * A lead's decision. Order of refusals: not a lead (403), own report (403), state (409), safety check missing (422)
 * — so nobody learns a report's state from a review they may not make.
 */
export async function reviewReport(
  db: Db,
  r: ReportRow,
  caller: Caller,
  body: ReviewCreate,
  /** the design's designChanged hooks: an approval moves search ranking, facets and lineage counts */
  changed: readonly DesignChangedHook[] = [],
): Promise<ReportRow> {
  const c = await reportContext(db, r);
  const design = await findVisibleDesign(db, c.owner, c.slug, caller);
  if (!(await isLead(db, design, caller)))
    throw forbidden(msg('forbidden.leadsReview', { design: `${c.owner}/${c.slug}` }));
  if (r.authorId === caller.id) throw forbidden(msg('forbidden.ownReview'));
  if (r.state !== 'submitted')
    throw new AppError(
      'conflict',
      composed('builds.onlySubmittedReviewed', { state: msg('states.report', { state: selector(r.state) }) }),
      {
        extra: { state: r.state },
      },
    );
  if (body.decision === 'approve' && c.manifest.safetyCritical === true && body.safetyChecked !== true) {
    throw new AppError('unprocessable', msg('builds.safetyCritical', { ref: `${c.owner}/${c.slug}@${c.version}` }), {
      errors: [{ field: '/safetyChecked', message: msg('fields.safetyChecked') }],
    });
  }
  return db.transaction(async (tx) => {
    const reviewed = await applyTransition(tx, r.id, body.decision, {
      actorId: caller.id,
      comment: body.comment ?? '',
      remarks: (body.remarks ?? []) as Record<string, unknown>[],
      ...(body.safetyChecked !== undefined ? { safetyChecked: body.safetyChecked } : {}),
    });
    await designChanged(tx, changed, reviewed.designId);
    await notifyReview(tx, design, c.version, reviewed, caller.id);
    return reviewed;
  });
}

/**
 * Reports awaiting the caller's review: submitted, of designs the caller owns or maintains, not the caller's own;
 * oldest (re)submission first, with its age. Reads the registry's maintainers to find the caller's designs in the
 * same query rather than asking design by design.
 */
export async function reviewQueue(db: Executor, caller: Caller, limit = 200) {
  const leads = or(
    eq(designs.ownerId, caller.id),
    sql`exists (select 1 from ${designMaintainers} where ${designMaintainers.designId} = ${designs.id} and ${designMaintainers.userId} = ${caller.id})`,
  );
  const rows = await reportsWithContext(
    db,
    and(
      eq(buildReports.state, 'submitted'),
      eq(buildReports.hidden, false),
      ne(buildReports.authorId, caller.id),
      leads,
    ),
    'oldest-submitted',
    limit,
  );
  return { items: rows.map(({ r, context }) => reportSummary(r, context)), nextCursor: null };
}
