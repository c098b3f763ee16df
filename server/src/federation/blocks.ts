// Instances an admin blocked: their activities are refused (inbox 403), nothing is fetched from them, their
// followers are dropped and the mirror hides their designs.
import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { blockedInstances } from './tables.js';
import { dropFollowersOn } from './followers.js';
import { federationProblem } from '../errors.js';
import type { MirrorSink } from './remote-version.js';

/** An instance name as handles carry it: host, with the port where not default, lower case. */
export function normalizeHost(input: string): string {
  const text = input.trim().toLowerCase();
  let host: string;
  try {
    host = new URL(text.includes('://') ? text : `https://${text}`).host;
  } catch {
    host = '';
  }
  if (!host || /[/@]/.test(text.replace(/^[a-z]+:\/\//, '').replace(/\/$/, ''))) throw federationProblem.host(input);
  return host;
}

export async function isBlocked(db: Executor, host: string): Promise<boolean> {
  const rows = await db
    .select({ host: blockedInstances.host })
    .from(blockedInstances)
    .where(eq(blockedInstances.host, host.toLowerCase()))
    .limit(1);
  return rows.length > 0;
}

export async function listBlocks(db: Executor) {
  const rows = await db.select().from(blockedInstances).orderBy(asc(blockedInstances.host));
  return rows.map((r) => ({ host: r.host, createdAt: r.createdAt.toISOString() }));
}

/** Blocks an instance; true when it was not blocked before. */
export async function blockInstance(db: Executor, host: string): Promise<boolean> {
  const added = await db.insert(blockedInstances).values({ host }).onConflictDoNothing().returning();
  await dropFollowersOn(db, host);
  return added.length > 0;
}

/** Unblocks an instance; true when it was blocked. */
export async function unblockInstance(db: Executor, host: string): Promise<boolean> {
  const gone = await db
    .delete(blockedInstances)
    .where(sql`${blockedInstances.host} = ${host}`)
    .returning();
  return gone.length > 0;
}

/** Blocks or unblocks an instance and tells the mirror (which hides or shows its designs); true when it changed. */
export async function setInstanceBlocked(
  db: Executor,
  sink: MirrorSink | undefined,
  host: string,
  blocked: boolean,
): Promise<boolean> {
  const changed = blocked ? await blockInstance(db, host) : await unblockInstance(db, host);
  if (changed) await sink?.instanceBlocked(host, blocked);
  return changed;
}
