// Deleting an account: personal data goes (email, password, sessions, tokens, memberships), rows others rely on
// stay — designs and their versions at their addresses (forks point at them; the handle stays reserved), build
// reports, reviews, comments attributed to "deleted-<id>". Nothing another user made is removed or changed.
import { eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { AppError, msg } from '../errors.js';
import type { Caller } from './accounts.js';
import { apiTokens, sessions, users } from './tables.js';
import { verifyPassword } from './secrets.js';

export const deletedHandle = (userId: string) => `deleted-${userId.replace(/-/g, '').slice(0, 12)}`;

/**
 * What the domains above accounts do in the deletion's transaction (leave workshops, re-attribute designs): they
 * sit above accounts, so the caller hands them in. Returns the ids of the designs whose pages changed.
 */
export type AccountHandOver = (tx: Executor, userId: string, deletedHandle: string) => Promise<string[]>;

/** Deletes the caller's account after checking its password; returns the designs whose pages changed. */
export async function deleteAccount(
  db: Db,
  caller: Caller,
  password: string,
  handOver: AccountHandOver,
): Promise<string[]> {
  const [u] = await db.select().from(users).where(eq(users.id, caller.id)).limit(1);
  if (!u || !(await verifyPassword(u.passwordHash, password))) {
    throw new AppError('forbidden', msg('accounts.deleteWrongPassword'));
  }
  const handle = deletedHandle(u.id);
  return db.transaction(async (tx: Executor) => {
    await tx.delete(sessions).where(eq(sessions.userId, u.id));
    await tx.delete(apiTokens).where(eq(apiTokens.userId, u.id));
    // '!' is no argon2 hash: no password ever verifies against it
    await tx
      .update(users)
      .set({ handle, email: `${handle}@deleted.invalid`, passwordHash: '!', isAdmin: false })
      .where(eq(users.id, u.id));
    return handOver(tx, u.id, handle);
  });
}
