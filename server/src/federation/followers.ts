// Who follows this instance's designs: remote actors (other instances, fediverse accounts) and their inboxes.
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { designFollowers } from './tables.js';
import { findDesign } from '../registry/designs.js';

export interface Follower {
  actorUri: string;
  inbox: string;
  sharedInbox: string | null;
  instance: string;
}

export async function addFollower(db: Executor, designId: string, f: Follower): Promise<void> {
  await db
    .insert(designFollowers)
    .values({ designId, ...f })
    .onConflictDoUpdate({
      target: [designFollowers.designId, designFollowers.actorUri],
      set: { inbox: f.inbox, sharedInbox: f.sharedInbox, instance: f.instance },
    });
}

/** True when it was a follower. */
export async function removeFollower(db: Executor, owner: string, slug: string, actorUri: string): Promise<boolean> {
  const d = await findDesign(db, owner, slug).catch(() => undefined);
  if (!d) return false;
  const gone = await db
    .delete(designFollowers)
    .where(and(eq(designFollowers.designId, d.id), eq(designFollowers.actorUri, actorUri)))
    .returning({ actorUri: designFollowers.actorUri });
  return gone.length > 0;
}

export async function followersOf(db: Executor, designId: string): Promise<Follower[]> {
  return db
    .select({
      actorUri: designFollowers.actorUri,
      inbox: designFollowers.inbox,
      sharedInbox: designFollowers.sharedInbox,
      instance: designFollowers.instance,
    })
    .from(designFollowers)
    .where(eq(designFollowers.designId, designId))
    .orderBy(designFollowers.createdAt);
}

/** Forgets every follower on a blocked instance: nothing more is sent there. */
export async function dropFollowersOn(db: Executor, host: string): Promise<void> {
  await db.delete(designFollowers).where(sql`lower(${designFollowers.instance}) = lower(${host})`);
}
