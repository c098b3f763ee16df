// Who hears of a discussion: its design's leads and watchers of a new one, the people in a thread of a reply, the
// asker of an answer, the local people a text mentions. Called inside the transaction that makes the change.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import { users } from '../accounts/tables.js';
import { designMaintainers } from '../registry/tables.js';
import type { DesignRow } from '../registry/designs.js';
import { notify, watchersOf } from '../notifications/notify.js';
import type { NotificationSubject } from '../notifications/tables.js';
import { discussionReplies, type discussions } from './tables.js';
import { mentionsIn } from './discussion-markdown.js';

type DiscussionRow = typeof discussions.$inferSelect;
type ReplyRow = typeof discussionReplies.$inferSelect;

export const discussionPath = (design: DesignRow, id: string) =>
  `/${design.ownerHandle}/${design.slug}/discussions/${id}`;

export const discussionSubject = (design: DesignRow, d: DiscussionRow): NotificationSubject => ({
  type: 'discussion',
  id: d.id,
  design: `${design.ownerHandle}/${design.slug}`,
  title: d.title,
  url: discussionPath(design, d.id),
});

async function leadsOf(db: Executor, design: DesignRow): Promise<string[]> {
  const rows = await db
    .select({ userId: designMaintainers.userId })
    .from(designMaintainers)
    .where(eq(designMaintainers.designId, design.id));
  return [design.ownerId, ...rows.map((r) => r.userId)];
}

/** The local accounts a text mentions (`@handle`; a `handle@host` of another instance is told there, not here). */
async function mentioned(db: Executor, text: string): Promise<string[]> {
  const handles = mentionsIn(text).filter((h) => !h.includes('@'));
  if (!handles.length) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.handle, handles), isNull(users.remoteInstance)));
  return rows.map((r) => r.id);
}

/** Everyone mentioned hears of the mention; the ones also told of the change itself get one notification, not two. */
async function tellMentioned(
  db: Executor,
  text: string,
  subject: NotificationSubject,
  actor: Caller,
  alreadyTold: string[],
) {
  const told = new Set(alreadyTold);
  await notify(db, {
    userIds: (await mentioned(db, text)).filter((id) => !told.has(id)),
    kind: 'mention',
    subject,
    actorId: actor.id,
  });
}

export async function tellOfDiscussion(db: Executor, design: DesignRow, d: DiscussionRow, actor: Caller) {
  const subject = discussionSubject(design, d);
  const told = await notify(db, {
    userIds: [...(await leadsOf(db, design)), ...(await watchersOf(db, 'design', [design.id]))],
    kind: 'discussion',
    subject,
    actorId: actor.id,
  });
  await tellMentioned(db, d.body, subject, actor, told);
}

export async function tellOfReply(db: Executor, design: DesignRow, d: DiscussionRow, r: ReplyRow, actor: Caller) {
  const subject = { ...discussionSubject(design, d), url: `${discussionPath(design, d.id)}#reply-${r.id}` };
  const repliers = await db
    .selectDistinct({ userId: discussionReplies.authorId })
    .from(discussionReplies)
    .where(eq(discussionReplies.discussionId, d.id));
  const told = await notify(db, {
    userIds: [d.authorId, ...repliers.map((x) => x.userId), ...(await watchersOf(db, 'design', [design.id]))],
    kind: 'reply',
    subject,
    actorId: actor.id,
  });
  await tellMentioned(db, r.body, subject, actor, told);
}

export async function tellOfAnswer(db: Executor, design: DesignRow, d: DiscussionRow, replyId: string, actor: Caller) {
  await notify(db, {
    userIds: [d.authorId],
    kind: 'answer',
    subject: { ...discussionSubject(design, d), url: `${discussionPath(design, d.id)}#reply-${replyId}` },
    actorId: actor.id,
  });
}
