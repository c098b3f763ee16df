// Owners of designs mirrored from other instances: accounts named `name@instance` that own designs here but never
// sign in nor act (no password, no session, no token; local handles never contain `@`, so nothing collides).
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { users } from './tables.js';
import type { Caller } from './accounts.js';

/** Not an argon2 hash: no password ever verifies against it. */
const noPassword = '!remote';

/** The account standing for `name` at `instance` (made on first use); as a Caller only the mirror acts with it. */
export async function ensureRemoteOwner(db: Executor, name: string, instance: string): Promise<Caller> {
  const handle = `${name}@${instance}`;
  await db
    .insert(users)
    // the email column is unique and required: `acct:` is not an address anyone can register
    .values({ handle, email: `acct:${handle}`, passwordHash: noPassword, remoteInstance: instance })
    .onConflictDoNothing();
  const [u] = await db.select().from(users).where(eq(users.handle, handle)).limit(1);
  return { id: u.id, handle: u.handle, isAdmin: false, scope: 'write' };
}
