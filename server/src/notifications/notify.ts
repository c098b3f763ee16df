// Telling people: one row per person about something that happened to what they made, watch or take part in.
// Called by the domain where it happens, inside its transaction, so a notification exists exactly when its cause does.
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { notifications, watches, type NotificationSubject } from './tables.js';
import { announceWhenCommitted } from './announce.js';

export type NotificationKind =
  'reply' | 'answer' | 'mention' | 'discussion' | 'build-report' | 'review' | 'fork' | 'proposal' | 'version';

export type WatchSubject = 'design' | 'workshop';

/**
 * Notifies each of `userIds` once (duplicates folded), never the actor about their own doing. Returns who was told;
 * their event streams hear of it once the caller's transaction commits (announce.ts).
 */
export async function notify(
  db: Executor,
  input: { userIds: Iterable<string>; kind: NotificationKind; subject: NotificationSubject; actorId?: string | null },
): Promise<string[]> {
  const told = [...new Set(input.userIds)].filter((id) => id !== input.actorId);
  if (!told.length) return [];
  await db
    .insert(notifications)
    .values(
      told.map((userId) => ({ userId, kind: input.kind, subject: input.subject, actorId: input.actorId ?? null })),
    );
  announceWhenCommitted(db, told);
  return told;
}

/** Who watches a design or a workshop. */
export async function watchersOf(db: Executor, subjectType: WatchSubject, subjectIds: string[]): Promise<string[]> {
  if (!subjectIds.length) return [];
  const rows = await db
    .select({ userId: watches.userId })
    .from(watches)
    .where(and(eq(watches.subjectType, subjectType), inArray(watches.subjectId, subjectIds)));
  return rows.map((r) => r.userId);
}
