// Event tickets: a browser's EventSource cannot send an Authorization header, so a signed-in client trades its
// bearer token for a short-lived ticket that /api/events accepts as a query parameter, and nothing else does.
// The ticket is an HMAC keyed by the credential's stored hash: every process sharing the database checks it
// without a table of its own, and revoking the session or token (sign-out) voids its tickets at once.
import { and, eq, gt, isNull, like, or } from 'drizzle-orm';
import { createHmac } from 'node:crypto';
import type { Db } from '../db/client.js';
import { AppError, invalidToken, msg } from '../errors.js';
import type { Caller } from './accounts.js';
import { sameHash } from './secrets.js';
import { apiTokens, sessions, users } from './tables.js';

/** Long enough to open (or reopen) a stream; the URL may end up in a proxy's log, so not longer. */
export const eventTicketSeconds = 60;

const ticketPattern =
  /^evt_(s[0-9a-f]{16}|t[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;
const purpose = 'andecha-event-ticket';

const macOf = (credentialHash: string, credential: string, expires: number) =>
  createHmac('sha256', credentialHash).update(`${purpose}:${credential}:${expires}`).digest('base64url');

/** A ticket for the caller's own credential (the session or API token this request is signed with). */
export async function issueEventTicket(db: Db, caller: Caller): Promise<{ ticket: string; expiresAt: string }> {
  let credential: string;
  let credentialHash: string;
  if (caller.sessionHash) {
    credential = `s${caller.sessionHash.slice(0, 16)}`;
    credentialHash = caller.sessionHash;
  } else {
    if (!caller.tokenId) throw new AppError('unauthenticated', msg('accounts.ticketNeedsToken'));
    const [row] = await db
      .select({ h: apiTokens.tokenHash })
      .from(apiTokens)
      .where(eq(apiTokens.id, caller.tokenId))
      .limit(1);
    if (!row) throw invalidToken();
    credential = `t${caller.tokenId}`;
    credentialHash = row.h;
  }
  let expires = Date.now() + eventTicketSeconds * 1000;
  // a ticket never outlives the token it was made with
  if (caller.tokenExpiresAt) expires = Math.min(expires, caller.tokenExpiresAt.getTime());
  return {
    ticket: `evt_${credential}.${expires}.${macOf(credentialHash, credential, expires)}`,
    expiresAt: new Date(expires).toISOString(),
  };
}

/** The caller a ticket stands for (read scope: it only opens an event stream), or undefined if it is not valid now. */
export async function resolveEventTicket(db: Db, ticket: string): Promise<Caller | undefined> {
  const m = ticketPattern.exec(ticket);
  if (!m) return undefined;
  const [, credential, expiresText, mac] = m;
  const expires = Number(expiresText);
  const now = new Date();
  if (expires <= now.getTime() || expires > now.getTime() + eventTicketSeconds * 1000) return undefined;
  const who = { id: users.id, handle: users.handle, isAdmin: users.isAdmin };
  const rows =
    credential[0] === 's'
      ? await db
          .select({ ...who, h: sessions.tokenHash })
          .from(sessions)
          .innerJoin(users, eq(users.id, sessions.userId))
          .where(and(like(sessions.tokenHash, `${credential.slice(1)}%`), gt(sessions.expiresAt, now)))
      : await db
          .select({ ...who, h: apiTokens.tokenHash })
          .from(apiTokens)
          .innerJoin(users, eq(users.id, apiTokens.userId))
          .where(
            and(eq(apiTokens.id, credential.slice(1)), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))),
          );
  const row = rows.find((r) => sameHash(macOf(r.h, credential, expires), mac));
  return row ? { id: row.id, handle: row.handle, isAdmin: row.isAdmin, scope: 'read' } : undefined;
}
