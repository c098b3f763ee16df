// Discussions and replies that came from another instance (federation/remote-discussions.ts): recorded with their
// remote author (`handle@host`) and the Note's id there, once each (remote_note is unique: a second delivery adds
// nothing); the same people hear of them as of local ones. Also what the Notes sent from here say of a thread.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import { users } from '../accounts/tables.js';
import { findDesignById, type DesignRow } from '../registry/designs.js';
import { discussionEdits, discussionReplies, discussions } from './tables.js';
import { tellOfDiscussion, tellOfReply } from './discussion-notify.js';

/** What changed in a discussion here, committed: the hook federation listens to (like proposalChanged). */
export type DiscussionChange =
  | { kind: 'created' }
  | { kind: 'replied'; replyId: string }
  | { kind: 'updated' }
  | { kind: 'reply-updated'; replyId: string };
type DiscussionRow = typeof discussions.$inferSelect;
type ReplyRow = typeof discussionReplies.$inferSelect;

export type DiscussionChangedHook = (discussionId: string, change: DiscussionChange) => void;

export const titleLimit = 200;

export const bodyLimit = 20_000;

export interface RemoteDiscussionInput {
  design: DesignRow;
  versionId: string | null;
  author: Caller;
  title: string;
  body: string;
  note: string;
  kind?: 'question' | 'idea' | 'problem';
}

/** Records a discussion from elsewhere; its id, or undefined when that Note was recorded before. */
export async function recordRemoteDiscussion(db: Db, input: RemoteDiscussionInput): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    const [d] = await tx
      .insert(discussions)
      .values({
        designId: input.design.id,
        versionId: input.versionId,
        authorId: input.author.id,
        kind: input.kind ?? 'question',
        title: input.title.slice(0, titleLimit),
        body: input.body.slice(0, bodyLimit),
        remoteNote: input.note,
      })
      .onConflictDoNothing()
      .returning();
    if (!d) return undefined;
    await tellOfDiscussion(tx, input.design, d, input.author);
    return d.id;
  });
}

/** Records a reply from elsewhere; its id, or undefined when recorded before or the thread is locked. */
export async function recordRemoteReply(
  db: Db,
  d: DiscussionRow,
  author: Caller,
  body: string,
  note: string,
): Promise<string | undefined> {
  if (d.locked) return undefined;
  const design = await findDesignById(db, d.designId);
  return db.transaction(async (tx) => {
    const [r] = await tx
      .insert(discussionReplies)
      .values({ discussionId: d.id, authorId: author.id, body: body.slice(0, bodyLimit), remoteNote: note })
      .onConflictDoNothing()
      .returning();
    if (!r) return undefined;
    await tx.update(discussions).set({ activeAt: r.createdAt }).where(eq(discussions.id, d.id));
    await tellOfReply(tx, design, d, r, author);
    return r.id;
  });
}

export async function discussionById(db: Executor, id: string): Promise<DiscussionRow | undefined> {
  const [d] = await db.select().from(discussions).where(eq(discussions.id, id)).limit(1);
  return d;
}

export async function discussionByNote(db: Executor, note: string): Promise<DiscussionRow | undefined> {
  const [d] = await db.select().from(discussions).where(eq(discussions.remoteNote, note)).limit(1);
  return d;
}

export async function replyById(db: Executor, id: string): Promise<ReplyRow | undefined> {
  const [r] = await db.select().from(discussionReplies).where(eq(discussionReplies.id, id)).limit(1);
  return r;
}

export async function replyByNote(db: Executor, note: string): Promise<ReplyRow | undefined> {
  const [r] = await db.select().from(discussionReplies).where(eq(discussionReplies.remoteNote, note)).limit(1);
  return r;
}

/** The author's handle (`ana`, or `bob@b.example` for someone of another instance). */
export async function handleOf(db: Executor, userId: string): Promise<string> {
  const [u] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, userId));
  return u.handle;
}

/**
 * What the origin says of its thread now (title, body, state, lock, answer, shown), applied to the copy here. A copy
 * an admin here took down stays down whatever the origin says (`shown` false keeps it as it is).
 */
export async function applyRemoteDiscussion(
  db: Executor,
  id: string,
  change: {
    title: string;
    body: string;
    state: string;
    locked: boolean;
    answerReplyId: string | null;
    shown: boolean;
  },
): Promise<void> {
  const title = change.title.slice(0, titleLimit);
  const body = change.body.slice(0, bodyLimit);
  await db
    .update(discussions)
    .set({
      title,
      body,
      state: ['open', 'answered', 'closed'].includes(change.state) ? change.state : 'open',
      locked: change.locked,
      answerReplyId: change.answerReplyId,
      ...(change.shown ? { hidden: false } : {}),
      // "edited" is read from updatedAt: only a changed text moves it (an answer marked or a lock does not)
      updatedAt: sql`case when ${discussions.title} is distinct from ${title} or ${discussions.body} is distinct from ${body} then now() else ${discussions.updatedAt} end`,
      activeAt: new Date(),
    })
    .where(eq(discussions.id, id));
}

/**
 * Its author edited on their own instance a thread received from there: the text here follows, and what it said
 * before is kept as for an edit made here. False when nothing changed.
 */
export async function editRemoteDiscussion(db: Db, d: DiscussionRow, title: string, body: string): Promise<boolean> {
  const next = { title: title.slice(0, titleLimit), body: body.slice(0, bodyLimit) };
  if (next.title === d.title && next.body === d.body) return false;
  await db.transaction(async (tx) => {
    await tx
      .insert(discussionEdits)
      .values({ discussionId: d.id, editorId: d.authorId, previousTitle: d.title, previousBody: d.body });
    await tx
      .update(discussions)
      .set({ ...next, updatedAt: new Date() })
      .where(eq(discussions.id, d.id));
  });
  return true;
}

/** The same for a reply received from another instance. */
export async function editRemoteReply(db: Db, r: ReplyRow, body: string): Promise<boolean> {
  const next = body.slice(0, bodyLimit);
  if (next === r.body) return false;
  await db.transaction(async (tx) => {
    await tx
      .insert(discussionEdits)
      .values({ discussionId: r.discussionId, replyId: r.id, editorId: r.authorId, previousBody: r.body });
    await tx.update(discussionReplies).set({ body: next, updatedAt: new Date() }).where(eq(discussionReplies.id, r.id));
  });
  return true;
}

/** The origin took its thread down (a moderator's hide there): the copy here is hidden too. */
export async function hideRemoteDiscussion(db: Executor, note: string): Promise<void> {
  await db.update(discussions).set({ hidden: true }).where(eq(discussions.remoteNote, note));
}

/**
 * A thread or reply posted here on a mirrored design came back from the design's home, recorded there: the row here
 * is the same one, now known by the home's Note (its later changes apply to it). Once; an existing link stays.
 */
export async function linkToHome(db: Executor, what: 'discussion' | 'reply', id: string, note: string): Promise<void> {
  const table = what === 'discussion' ? discussions : discussionReplies;
  await db
    .update(table)
    .set({ remoteNote: note })
    .where(and(eq(table.id, id), isNull(table.remoteNote)));
}

/** A reply received from elsewhere changed there (edited, hidden, shown again): only one of that Note. */
export async function applyRemoteReply(
  db: Executor,
  note: string,
  change: { body?: string; hidden: boolean },
): Promise<void> {
  await db
    .update(discussionReplies)
    .set({
      ...(change.body ? { body: change.body.slice(0, bodyLimit), updatedAt: new Date() } : {}),
      hidden: change.hidden,
    })
    .where(and(eq(discussionReplies.remoteNote, note)));
}
