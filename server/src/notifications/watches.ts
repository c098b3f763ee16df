// Watching a design or a workshop: a person's standing wish to hear of what happens to it (watchersOf in notify.ts
// reads it). Starting or stopping twice changes nothing.
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { watches } from './tables.js';
import type { WatchSubject } from './notify.js';

export async function startWatching(
  db: Executor,
  userId: string,
  subjectType: WatchSubject,
  subjectId: string,
): Promise<void> {
  await db.insert(watches).values({ userId, subjectType, subjectId }).onConflictDoNothing();
}

export async function stopWatching(
  db: Executor,
  userId: string,
  subjectType: WatchSubject,
  subjectId: string,
): Promise<void> {
  await db
    .delete(watches)
    .where(and(eq(watches.userId, userId), eq(watches.subjectType, subjectType), eq(watches.subjectId, subjectId)));
}

export async function isWatching(
  db: Executor,
  userId: string,
  subjectType: WatchSubject,
  subjectId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ userId: watches.userId })
    .from(watches)
    .where(and(eq(watches.userId, userId), eq(watches.subjectType, subjectType), eq(watches.subjectId, subjectId)))
    .limit(1);
  return !!row;
}
