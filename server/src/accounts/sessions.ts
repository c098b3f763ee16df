// Sessions a person can see and end: sign-out revokes the one in use, the list shows every signed-in browser or
// CLI, and any of them can be revoked. A session is named by the start of its stored hash, never by its token.
import { and, asc, eq, gt, like } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { AppError, msg, notFound } from '../errors.js';
import type { Caller } from './accounts.js';
import { sessions } from './tables.js';

const sessionId = (hash: string) => hash.slice(0, 16);

function requireSession(caller: Caller): string {
  if (!caller.sessionHash) throw new AppError('bad-request', msg('accounts.notASession'));
  return caller.sessionHash;
}

/** Ends the session the request is signed with. */
export async function logOut(db: Db, caller: Caller): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, requireSession(caller)));
}

export async function listSessions(db: Db, caller: Caller) {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, caller.id), gt(sessions.expiresAt, new Date())))
    .orderBy(asc(sessions.createdAt));
  return {
    items: rows.map((s) => ({
      id: sessionId(s.tokenHash),
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.tokenHash === caller.sessionHash,
    })),
  };
}

export async function revokeSession(db: Db, caller: Caller, id: string): Promise<void> {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, caller.id), like(sessions.tokenHash, `${id}%`)))
    .returning({ h: sessions.tokenHash });
  if (!gone.length) throw notFound(msg('notFound.session', { id }));
}
