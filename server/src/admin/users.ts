// Admin user commands: grant and revoke the admin role, list accounts.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../accounts/tables.js';
import { notFound } from '../errors.js';

async function setAdmin(db: Db, handle: string, isAdmin: boolean): Promise<void> {
  const rows = await db.update(users).set({ isAdmin }).where(eq(users.handle, handle)).returning({ id: users.id });
  if (!rows.length) throw notFound(`User ${handle}`);
}

export const grantAdmin = (db: Db, handle: string) => setAdmin(db, handle, true);
export const revokeAdmin = (db: Db, handle: string) => setAdmin(db, handle, false);

export async function listUsers(db: Db) {
  const rows = await db.select({ handle: users.handle, email: users.email, isAdmin: users.isAdmin, createdAt: users.createdAt })
    .from(users).orderBy(asc(users.createdAt), asc(users.handle));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
