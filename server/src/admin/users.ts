// Admin user commands: grant and revoke the admin role, list accounts, set a password.
import { checkPasswordStrength } from '../accounts/password-policy.js';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sessions, users } from '../accounts/tables.js';
import { hashPassword } from '../accounts/secrets.js';
import { AppError, msg, notFound } from '../errors.js';
import { schemaById } from '../schemas.js';

async function setAdmin(db: Db, handle: string, isAdmin: boolean): Promise<void> {
  const rows = await db.update(users).set({ isAdmin }).where(eq(users.handle, handle)).returning({ id: users.id });
  if (!rows.length) throw notFound.user(handle);
}

export const grantAdmin = (db: Db, handle: string) => setAdmin(db, handle, true);
export const revokeAdmin = (db: Db, handle: string) => setAdmin(db, handle, false);

export async function listUsers(db: Db) {
  const rows = await db
    .select({ handle: users.handle, email: users.email, isAdmin: users.isAdmin, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.createdAt), asc(users.handle));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/**
 * Gives an account a new password (a forgotten one, a sample account's after its first start) and ends its
 * sessions, so whoever knew the old one is signed out; API tokens stay, as their owner made them on purpose.
 * The password obeys the same limits as at registration.
 */
export async function setPassword(db: Db, handle: string, password: string): Promise<void> {
  const { minLength, maxLength } = (
    schemaById('register').properties as Record<string, { minLength: number; maxLength: number }>
  ).password;
  if (password.length < minLength || password.length > maxLength) {
    throw new AppError(
      'validation',
      msg('admin.passwordLength', { min: minLength, max: maxLength, length: password.length }),
    );
  }
  checkPasswordStrength(password);
  // a deleted account keeps its row for what others rely on; nobody signs in to it again
  if (handle.startsWith('deleted-')) throw new AppError('conflict', msg('admin.deletedAccount', { handle }));
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.handle, handle))
      .returning({ id: users.id });
    if (!rows.length) throw notFound.user(handle);
    await tx.delete(sessions).where(eq(sessions.userId, rows[0].id));
  });
}
