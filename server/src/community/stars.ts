// Stars: a person marks a design they like. Starring twice or unstarring what was not starred changes nothing; the
// count explore sorts by (design_search.stars) moves in the same transaction as the star itself.
import { and, eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { addDesignStars } from '../search/refresh.js';
import { stars } from './tables.js';

export async function starDesign(db: Db, userId: string, designId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const added = await tx.insert(stars).values({ userId, designId }).onConflictDoNothing().returning();
    if (added.length) await addDesignStars(tx, designId, 1);
  });
}

export async function unstarDesign(db: Db, userId: string, designId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(stars)
      .where(and(eq(stars.userId, userId), eq(stars.designId, designId)))
      .returning();
    if (removed.length) await addDesignStars(tx, designId, -1);
  });
}

export async function hasStarred(db: Executor, userId: string, designId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: stars.userId })
    .from(stars)
    .where(and(eq(stars.userId, userId), eq(stars.designId, designId)))
    .limit(1);
  return !!row;
}
