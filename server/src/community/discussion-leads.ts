// What a design's leads do to its discussions: mark a reply as the answer, close and reopen, lock, pin, mark a
// problem fixed by a version, hide a reply. Each checks the lead (403 for anyone else) and changes one thing.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { AppError, msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { resolveVersion } from '../registry/versions.js';
import { discussionReplies, discussions } from './tables.js';
import { findVisibleDiscussion, requireDiscussionLead } from './discussions.js';
import { tellOfAnswer } from './discussion-notify.js';

export type LeadAction = 'close' | 'reopen' | 'lock' | 'unlock' | 'pin' | 'unpin';
export const leadActions: readonly LeadAction[] = ['close', 'reopen', 'lock', 'unlock', 'pin', 'unpin'];

async function asLead(db: Db, id: string, caller: Caller) {
  const found = await findVisibleDiscussion(db, id, caller);
  await requireDiscussionLead(db, found.design, caller);
  return found;
}

async function replyOf(db: Db, discussionId: string, replyId: string) {
  const [r] = await db
    .select()
    .from(discussionReplies)
    .where(and(eq(discussionReplies.id, replyId), eq(discussionReplies.discussionId, discussionId)));
  if (!r) throw notFound(msg('discussions.replyNotFound', { id: replyId }));
  return r;
}

export async function markAnswer(db: Db, id: string, caller: Caller, replyId: string): Promise<void> {
  const { row, design } = await asLead(db, id, caller);
  const reply = await replyOf(db, id, replyId);
  if (reply.hidden) throw new AppError('conflict', msg('discussions.hiddenAnswer'));
  await db.transaction(async (tx) => {
    await tx
      .update(discussions)
      .set({ answerReplyId: reply.id, state: 'answered', activeAt: new Date() })
      .where(eq(discussions.id, id));
    await tellOfAnswer(tx, design, row.d, reply.id, caller);
  });
}

export async function actOnDiscussion(db: Db, id: string, caller: Caller, action: LeadAction): Promise<void> {
  const { row } = await asLead(db, id, caller);
  const change =
    action === 'close'
      ? { state: 'closed' }
      : action === 'reopen'
        ? // reopened: answered again if it has an answer; a problem marked fixed is no longer
          { state: row.d.answerReplyId ? 'answered' : 'open', fixedByVersionId: null }
        : action === 'lock' || action === 'unlock'
          ? { locked: action === 'lock' }
          : { pinned: action === 'pin' };
  await db
    .update(discussions)
    .set({ ...change, ...(action === 'close' || action === 'reopen' ? { activeAt: new Date() } : {}) })
    .where(eq(discussions.id, id));
}

/** A problem fixed by a version of its design: closed, and named by that version's page. */
export async function markFixed(db: Db, id: string, caller: Caller, version: string): Promise<void> {
  const { row, design } = await asLead(db, id, caller);
  if (row.d.kind !== 'problem')
    throw new AppError('conflict', msg('discussions.onlyProblemsFixed', { kind: row.d.kind }));
  const v = await resolveVersion(db, design, version);
  await db
    .update(discussions)
    .set({ state: 'closed', fixedByVersionId: v.id, activeAt: new Date() })
    .where(eq(discussions.id, id));
}

/** Hides or shows a reply again: a lead of the design (or an admin, as moderation) does. */
export async function setReplyHiddenByLead(
  db: Db,
  id: string,
  replyId: string,
  caller: Caller,
  hidden: boolean,
): Promise<void> {
  const { design } = await findVisibleDiscussion(db, id, caller);
  if (!caller.isAdmin) await requireDiscussionLead(db, design, caller);
  await replyOf(db, id, replyId);
  await db.update(discussionReplies).set({ hidden }).where(eq(discussionReplies.id, replyId));
}
