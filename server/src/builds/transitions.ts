// The life of a build report as a state machine, and its history: every transition with who, when and why.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { AppError, selector, composed, msg, renderMessage } from '../errors.js';
import { users } from '../accounts/tables.js';
import { buildReports, buildTransitions } from './tables.js';

export type ReportState = 'submitted' | 'changes-requested' | 'approved' | 'rejected';
export type Action = 'submit' | 'resubmit' | 'approve' | 'request-changes' | 'reject';

/** From which states each action may start, and where it leads. Approved and rejected are final. */
export const transitions: Record<Exclude<Action, 'submit'>, { from: readonly ReportState[]; to: ReportState }> = {
  resubmit: { from: ['changes-requested'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  'request-changes': { from: ['submitted'], to: 'changes-requested' },
  reject: { from: ['submitted'], to: 'rejected' },
};

/** States in which the author may still edit: until a review decides. */
export const editableStates: readonly ReportState[] = ['submitted', 'changes-requested'];

export interface TransitionInput {
  actorId: string;
  comment?: string;
  remarks?: Record<string, unknown>[];
  safetyChecked?: boolean;
}

/**
 * Moves a report along `action` if its state still allows it — checked in the UPDATE itself, so two reviewers
 * deciding at once cannot both win — and records the transition. 409 when the state does not allow it.
 */
export async function applyTransition(
  tx: Executor,
  reportId: string,
  action: Exclude<Action, 'submit'>,
  input: TransitionInput,
  extra: Partial<typeof buildReports.$inferInsert> = {},
) {
  const rule = transitions[action];
  const now = new Date();
  const [before] = await tx
    .select({ state: buildReports.state })
    .from(buildReports)
    .where(eq(buildReports.id, reportId))
    .limit(1);
  const [row] = await tx
    .update(buildReports)
    .set({ ...extra, state: rule.to, updatedAt: now, ...(rule.to === 'submitted' ? { submittedAt: now } : {}) })
    .where(and(eq(buildReports.id, reportId), inArray(buildReports.state, [...rule.from])))
    .returning();
  if (!row) {
    throw new AppError(
      'conflict',
      composed(before ? 'builds.transition' : 'builds.transitionGone', {
        state: msg('states.report', { state: selector(before?.state ?? '') }),
        action: msg('states.reportAction', { action: selector(action) }),
        // "submitted or waiting for changes", the states and the "or" in the caller's language
        from: (locale) =>
          new Intl.ListFormat(locale, { type: 'disjunction' }).format(
            rule.from.map((state) => renderMessage(msg('states.report', { state: selector(state) }), locale)),
          ),
      }),
      { extra: { state: before?.state } },
    );
  }
  await tx.insert(buildTransitions).values({
    reportId,
    actorId: input.actorId,
    action,
    fromState: before.state,
    toState: rule.to,
    comment: input.comment ?? '',
    remarks: input.remarks ?? [],
    safetyChecked: input.safetyChecked ?? null,
    at: now,
  });
  return row;
}

export async function recordSubmission(tx: Executor, reportId: string, actorId: string): Promise<void> {
  await tx
    .insert(buildTransitions)
    .values({ reportId, actorId, action: 'submit', fromState: null, toState: 'submitted' });
}

export async function historyOf(db: Executor, reportId: string) {
  const rows = await db
    .select({ t: buildTransitions, handle: users.handle })
    .from(buildTransitions)
    .innerJoin(users, eq(users.id, buildTransitions.actorId))
    .where(eq(buildTransitions.reportId, reportId))
    .orderBy(asc(buildTransitions.at), asc(buildTransitions.id));
  return rows.map(({ t, handle }) => ({
    action: t.action,
    from: t.fromState,
    to: t.toState,
    by: handle,
    at: t.at.toISOString(),
    comment: t.comment,
    ...(t.remarks.length ? { remarks: t.remarks } : {}),
    ...(t.safetyChecked !== null ? { safetyChecked: t.safetyChecked } : {}),
  }));
}
