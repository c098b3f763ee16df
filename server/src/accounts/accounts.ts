// Users and sessions: register, log in, resolve a bearer token to a caller.
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { AppError, msg } from '../errors.js';
import { users, sessions, apiTokens } from './tables.js';
import { designs } from '../registry/tables.js';
import { hashPassword, verifyPassword, decoyPasswordHash, newToken, tokenHash, sameHash } from './secrets.js';
import { reservedHandles } from './reserved-handles.js';
import { checkPasswordStrength } from './password-policy.js';
import type { Register, Login, MePatch } from '../schema-types.js';
import { matchLocale, supportedLocales } from '../locales/catalogues.js';

const sessionDays = 30;

export interface Caller {
  id: string;
  handle: string;
  isAdmin: boolean;
  /** write unless authenticated with a read-scoped API token */
  scope: 'read' | 'write';
  /** signed in with a session: its stored hash (sign-out revokes it) */
  sessionHash?: string;
  /** signed in with an API token: when it expires (null: never); a token it makes may not live longer */
  tokenExpiresAt?: Date | null;
  /** signed in with an API token: its id (an event ticket names it) */
  tokenId?: string;
  /** the request the caller acts through, when there is one: jobs enqueued for it log its id */
  requestId?: string;
}

/** `sample`: an account made by the sample loader, never the instance's admin. */
export async function registerUser(
  db: Db,
  body: Register,
  opts: { sample?: boolean } = {},
): Promise<{ token: string; user: { handle: string; isAdmin: boolean } }> {
  // deleted-… names accounts that were deleted: nobody registers as one
  if (reservedHandles.has(body.handle) || body.handle.startsWith('deleted-')) {
    throw new AppError('validation', msg('accounts.handleReserved', { handle: body.handle }), {
      errors: [{ field: '/handle', message: msg('fields.reserved') }],
    });
  }
  checkPasswordStrength(body.password);
  const passwordHash = await hashPassword(body.password);
  return db.transaction(async (tx) => {
    // serialise first-user detection so two simultaneous first registrations cannot both become admin
    await tx.execute(sql`select pg_advisory_xact_lock(7201)`);
    // the first person to register is the admin; sample accounts do not count
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(eq(users.isAdmin, true));
    const taken = await tx
      .select({ handle: users.handle, email: users.email })
      .from(users)
      .where(or(eq(users.handle, body.handle), eq(sql`lower(${users.email})`, body.email.toLowerCase())));
    // a handle that owns designs (an account since deleted) stays reserved: their addresses name the same bytes for ever
    const [published] = await tx
      .select({ id: designs.id })
      .from(designs)
      .where(eq(designs.ownerHandle, body.handle))
      .limit(1);
    if (published && !taken.some((t) => t.handle === body.handle)) {
      throw new AppError('taken', msg('accounts.handleKept', { handle: body.handle }), {
        errors: [{ field: '/handle', message: msg('fields.handleKept') }],
      });
    }
    if (taken.length) {
      const field = taken.some((t) => t.handle === body.handle) ? 'handle' : 'email';
      throw new AppError('taken', msg('accounts.registered', { field }), {
        errors: [{ field: `/${field}`, message: msg('fields.taken') }],
      });
    }
    const [user] = await tx
      .insert(users)
      .values({ handle: body.handle, email: body.email, passwordHash, isAdmin: n === 0 && !opts.sample })
      .returning();
    const token = await createSession(tx as unknown as Db, user.id);
    return { token, user: { handle: user.handle, isAdmin: user.isAdmin } };
  });
}

async function createSession(db: Db, userId: string): Promise<string> {
  const token = newToken('ands');
  await db
    .insert(sessions)
    .values({ tokenHash: tokenHash(token), userId, expiresAt: new Date(Date.now() + sessionDays * 86400_000) });
  return token;
}

export async function logIn(db: Db, body: Login): Promise<{ token: string }> {
  const [user] = await db
    .select()
    .from(users)
    .where(or(eq(users.handle, body.login), eq(sql`lower(${users.email})`, body.login.toLowerCase())))
    .limit(1);
  // the same message and the same argon2 cost whether the account exists or not: no enumeration
  // a remote owner of mirrored designs has no password here: the same answer as a wrong one
  const local = user && !user.remoteInstance ? user : undefined;
  const ok = await verifyPassword(local?.passwordHash ?? (await decoyPasswordHash()), body.password);
  if (!local || !ok) throw new AppError('unauthenticated', msg('accounts.wrongLogin'));
  return { token: await createSession(db, user.id) };
}

/**
 * Resolves a bearer token (session or API token) to the caller, or undefined. An account standing for someone of
 * another instance never acts here, whatever credential names it (none is ever issued to one).
 */
export async function resolveToken(db: Db, token: string): Promise<Caller | undefined> {
  const h = tokenHash(token);
  const now = new Date();
  if (token.startsWith('ands_')) {
    const [row] = await db
      .select({ id: users.id, handle: users.handle, isAdmin: users.isAdmin, th: sessions.tokenHash })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, h), gt(sessions.expiresAt, now), isNull(users.remoteInstance)))
      .limit(1);
    if (!row || !sameHash(row.th, h)) return undefined;
    return { id: row.id, handle: row.handle, isAdmin: row.isAdmin, scope: 'write', sessionHash: row.th };
  }
  if (token.startsWith('andt_')) {
    const [row] = await db
      .select({
        id: users.id,
        handle: users.handle,
        isAdmin: users.isAdmin,
        th: apiTokens.tokenHash,
        scope: apiTokens.scope,
        tokenId: apiTokens.id,
        expiresAt: apiTokens.expiresAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(
        and(
          eq(apiTokens.tokenHash, h),
          or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
          isNull(users.remoteInstance),
        ),
      )
      .limit(1);
    if (!row || !sameHash(row.th, h)) return undefined;
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
    return {
      id: row.id,
      handle: row.handle,
      isAdmin: row.isAdmin,
      scope: row.scope === 'read' ? 'read' : 'write',
      tokenExpiresAt: row.expiresAt,
      tokenId: row.tokenId,
    };
  }
  return undefined;
}

export async function getUserByHandle(db: Db, handle: string) {
  const [u] = await db.select().from(users).where(eq(users.handle, handle)).limit(1);
  return u;
}

export async function describeMe(db: Db, caller: Caller) {
  const [u] = await db.select().from(users).where(eq(users.id, caller.id));
  return {
    handle: u.handle,
    email: u.email,
    isAdmin: u.isAdmin,
    createdAt: u.createdAt.toISOString(),
    locale: u.locale,
  };
}

/** PATCH /api/me: the settings given change, the others stay. A locale must be one with a catalogue. */
export async function updateSettings(db: Db, caller: Caller, patch: MePatch): Promise<void> {
  const changes: Partial<typeof users.$inferInsert> = {};
  if (patch.locale !== undefined) {
    const locale = patch.locale === null ? null : matchLocale(patch.locale);
    if (locale === undefined)
      throw new AppError(
        'validation',
        msg('accounts.noLocale', { locale: String(patch.locale), supported: supportedLocales().join(', ') }),
        {
          errors: [{ field: '/locale', message: msg('fields.notALocale'), value: patch.locale }],
          extra: { supported: supportedLocales() },
        },
      );
    changes.locale = locale;
  }
  if (Object.keys(changes).length) await db.update(users).set(changes).where(eq(users.id, caller.id));
}
