// Authors edit what they wrote within a window (config: discussionEditWindowMinutes); what it said before is kept,
// and the history lists it.
import { and, asc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { AppError, forbidden, msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { users } from '../accounts/tables.js';
import { isLead } from '../registry/designs.js';
import type { DiscussionPatch } from '../schema-types.js';
import { discussionEdits, discussionReplies, discussions } from './tables.js';
import { editableUntil, findVisibleDiscussion } from './discussions.js';

function checkEditable(authorId: string, createdAt: Date, caller: Caller, windowMinutes: number, locked: boolean) {
  if (authorId !== caller.id) throw forbidden(msg('discussions.authorsEdit'));
  if (Date.now() > editableUntil(createdAt, windowMinutes).getTime())
    throw forbidden(msg('discussions.editWindowClosed', { minutes: windowMinutes }));
  if (locked) throw new AppError('conflict', msg('discussions.lockedEdit'));
}

export async function editDiscussion(
  db: Db,
  id: string,
  caller: Caller,
  patch: DiscussionPatch,
  windowMinutes: number,
) {
  const { row } = await findVisibleDiscussion(db, id, caller);
  checkEditable(row.d.authorId, row.d.createdAt, caller, windowMinutes, row.d.locked);
  await db.transaction(async (tx) => {
    await tx
      .insert(discussionEdits)
      .values({ discussionId: id, editorId: caller.id, previousTitle: row.d.title, previousBody: row.d.body });
    await tx
      .update(discussions)
      .set({ title: patch.title ?? row.d.title, body: patch.body ?? row.d.body, updatedAt: new Date() })
      .where(eq(discussions.id, id));
  });
}

export async function editReply(
  db: Db,
  id: string,
  replyId: string,
  caller: Caller,
  body: string,
  windowMinutes: number,
) {
  const { row } = await findVisibleDiscussion(db, id, caller);
  const [r] = await db
    .select()
    .from(discussionReplies)
    .where(and(eq(discussionReplies.id, replyId), eq(discussionReplies.discussionId, id)));
  if (!r || r.hidden) throw notFound(msg('discussions.replyNotFound', { id: replyId }));
  checkEditable(r.authorId, r.createdAt, caller, windowMinutes, row.d.locked);
  await db.transaction(async (tx) => {
    await tx.insert(discussionEdits).values({ discussionId: id, replyId, editorId: caller.id, previousBody: r.body });
    await tx.update(discussionReplies).set({ body, updatedAt: new Date() }).where(eq(discussionReplies.id, replyId));
  });
}

/** Every edit of the discussion and of the replies the caller may see, oldest first. */
export async function discussionHistory(db: Executor, id: string, caller?: Caller) {
  const { design } = await findVisibleDiscussion(db, id, caller);
  const seesHidden = !!caller && (caller.isAdmin || (await isLead(db, design, caller)));
  const rows = await db
    .select({ e: discussionEdits, editor: users.handle, replyHidden: discussionReplies.hidden })
    .from(discussionEdits)
    .innerJoin(users, eq(users.id, discussionEdits.editorId))
    .leftJoin(discussionReplies, eq(discussionReplies.id, discussionEdits.replyId))
    .where(eq(discussionEdits.discussionId, id))
    .orderBy(asc(discussionEdits.createdAt), asc(discussionEdits.id));
  return {
    items: rows
      .filter((r) => seesHidden || !r.replyHidden)
      .map(({ e, editor }) => ({
        reply: e.replyId,
        editor: { handle: editor },
        previousTitle: e.previousTitle,
        previousBody: e.previousBody,
        editedAt: e.createdAt.toISOString(),
      })),
    nextCursor: null,
  };
}
