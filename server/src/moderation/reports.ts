// Abuse reports: anyone signed in reports a design, a build report or a comment; admins work the queue and hide,
// restore or dismiss. Hiding uses each domain's own switch (designs.hidden, build and comment `hidden`).
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { AppError, forbidden, msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { users } from '../accounts/tables.js';
import { getUserByHandle } from '../accounts/accounts.js';
import {
  findVisibleDesign,
  hideDesign,
  parseDesignRef,
  restoreDesign,
  type DesignChangedHook,
} from '../registry/designs.js';
import { designChanged } from '../registry/design-changed.js';
import { findReport, reportContext, setReportHidden } from '../builds/reports.js';
import { buildReports } from '../builds/tables.js';
import { commentVisibleTo, setCommentHidden } from '../registry/proposals.js';
import type { AbuseReportCreate, AbuseReportResolve } from '../schema-types.js';
import { abuseReports } from './tables.js';

type ReportRow = typeof abuseReports.$inferSelect;

/**
 * A subject of a domain above this one (a discussion, a reply): how to check the reporter can see it (else its 404)
 * and how an admin hides or restores it. The HTTP layer hands these in.
 */
export interface ReportableSubject {
  check(db: Db, caller: Caller, id: string): Promise<void>;
  setHidden(db: Db, id: string, hidden: boolean): Promise<void>;
}
export type ReportableSubjects = Readonly<Record<string, ReportableSubject>>;
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/**
 * The subject must exist for the reporter: what they cannot see (a hidden design, report or comment) answers the same
 * 404 as what is not there, so a report is no way to learn that something hidden exists. A design is named
 * owner/slug, a build report or comment by its id.
 */
async function checkSubject(
  db: Db,
  caller: Caller,
  subject: string,
  id: string,
  more: ReportableSubjects,
): Promise<void> {
  if (subject === 'design') {
    const { owner, slug } = parseDesignRef(id, false);
    await findVisibleDesign(db, owner, slug, caller);
    return;
  }
  if (subject === 'profile') {
    if (!(await getUserByHandle(db, id))) throw notFound.user(id);
    return;
  }
  if (!isUuid(id))
    throw new AppError('validation', msg('moderation.notAnId', { subject, id: id.slice(0, 60) }), {
      errors: [{ field: '/id', value: id, message: msg('fields.notAUuid') }],
    });
  if (more[subject]) await more[subject].check(db, caller, id);
  else if (subject === 'build') {
    const r = await findReport(db, id);
    if (r.hidden && !(caller.isAdmin || caller.id === r.authorId)) throw notFound.buildReport(id);
    const c = await reportContext(db, r);
    await findVisibleDesign(db, c.owner, c.slug, caller).catch(() => {
      throw notFound.buildReport(id);
    });
  } else if (!(await commentVisibleTo(db, id, caller))) throw notFound.comment(id);
}

export async function fileAbuseReport(db: Db, caller: Caller, body: AbuseReportCreate, more: ReportableSubjects = {}) {
  await checkSubject(db, caller, body.subject, body.id, more);
  const [row] = await db
    .insert(abuseReports)
    .values({ subject: body.subject, subjectId: body.id, reason: body.reason, reporterId: caller.id })
    .returning();
  return describeAbuseReport(row, caller.handle);
}

function describeAbuseReport(r: ReportRow, reporter: string | null, resolvedBy?: string | null) {
  return {
    id: r.id,
    subject: r.subject,
    subjectId: r.subjectId,
    reason: r.reason,
    reporter,
    state: r.state,
    action: r.action,
    resolvedBy: resolvedBy ?? null,
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

export function requireAdmin(caller: Caller): void {
  if (!caller.isAdmin) throw forbidden(msg('forbidden.moderationAdmins'));
}

/** The queue: open reports oldest first (or resolved ones, newest first). */
export async function abuseQueue(db: Executor, state: 'open' | 'resolved' = 'open', limit = 200) {
  const rows = await db
    .select({ r: abuseReports, reporter: users.handle })
    .from(abuseReports)
    .leftJoin(users, eq(users.id, abuseReports.reporterId))
    .where(eq(abuseReports.state, state))
    .orderBy(state === 'open' ? asc(abuseReports.createdAt) : desc(abuseReports.resolvedAt), asc(abuseReports.id))
    .limit(limit);
  return { items: rows.map(({ r, reporter }) => describeAbuseReport(r, reporter)), nextCursor: null };
}

/**
 * Acts on the subject and closes every open report about it. A build hidden or restored changes its design's field
 * counts (search facets, ranking), so the design's `designChanged` hooks run.
 */
export async function resolveAbuseReport(
  db: Db,
  caller: Caller,
  id: string,
  body: AbuseReportResolve,
  changed: readonly DesignChangedHook[] = [],
  more: ReportableSubjects = {},
) {
  const [r] = await db.select().from(abuseReports).where(eq(abuseReports.id, id)).limit(1);
  if (!r) throw notFound(msg('notFound.abuseReport', { id }));
  if (body.action !== 'dismiss') {
    const hidden = body.action === 'hide';
    if (more[r.subject]) await more[r.subject].setHidden(db, r.subjectId, hidden);
    else if (r.subject === 'design') await (hidden ? hideDesign : restoreDesign)(db, r.subjectId);
    else if (r.subject === 'build') {
      await db.transaction(async (tx) => {
        await setReportHidden(tx, r.subjectId, hidden);
        const [b] = await tx
          .select({ designId: buildReports.designId })
          .from(buildReports)
          .where(eq(buildReports.id, r.subjectId));
        await designChanged(tx, changed, b.designId);
      });
    } else if (r.subject === 'profile') {
      // nothing to switch elsewhere: the reports' latest hide or restore is the profile's state (profileHidden)
    } else await setCommentHidden(db, r.subjectId, hidden);
  }
  const now = new Date();
  await db
    .update(abuseReports)
    .set({ state: 'resolved', action: body.action, resolvedBy: caller.id, resolvedAt: now })
    .where(
      and(eq(abuseReports.subject, r.subject), eq(abuseReports.subjectId, r.subjectId), eq(abuseReports.state, 'open')),
    );
  // a report resolved before is resolved again (restore after hide): it records the latest action
  if (r.state === 'resolved')
    await db
      .update(abuseReports)
      .set({ action: body.action, resolvedBy: caller.id, resolvedAt: now })
      .where(eq(abuseReports.id, r.id));
  const [after] = await db.select().from(abuseReports).where(eq(abuseReports.id, id));
  const [reporter] = after.reporterId
    ? await db.select({ handle: users.handle }).from(users).where(eq(users.id, after.reporterId))
    : [];
  return describeAbuseReport(after, reporter?.handle ?? null, caller.handle);
}

/**
 * Whether an admin hid a profile: the latest hide or restore among the resolved reports about it decides (a report
 * dismissed later leaves it as it was).
 */
export async function profileHidden(db: Executor, handle: string): Promise<boolean> {
  return takenDownHere(db, 'profile', handle);
}

/**
 * Whether an admin of this instance took a subject down (its latest resolved hide or restore is a hide): what another
 * instance says of it does not show it again.
 */
export async function takenDownHere(db: Executor, subject: string, subjectId: string): Promise<boolean> {
  const [last] = await db
    .select({ action: abuseReports.action })
    .from(abuseReports)
    .where(
      and(
        eq(abuseReports.subject, subject),
        eq(abuseReports.subjectId, subjectId),
        eq(abuseReports.state, 'resolved'),
        inArray(abuseReports.action, ['hide', 'restore']),
      ),
    )
    .orderBy(desc(abuseReports.resolvedAt))
    .limit(1);
  return last?.action === 'hide';
}
