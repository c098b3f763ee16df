// API tokens for scripts: shown once at creation, stored as sha256, scoped read|write, expiring, revocable.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { AppError, msg, notFound } from '../errors.js';
import { apiTokens } from './tables.js';
import { newToken, tokenHash } from './secrets.js';
import type { Caller } from './accounts.js';
import type { TokenCreate } from '../schema-types.js';

export async function createApiToken(db: Db, caller: Caller, body: TokenCreate) {
  const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new AppError('validation', msg('accounts.expiresInPast'), {
      errors: [{ field: '/expiresAt', message: msg('fields.future') }],
    });
  }
  // a token cannot outlive the token that makes it (nor outrank it: a read token cannot make any, requireWriter)
  const limit = caller.tokenExpiresAt;
  if (limit && (!expiresAt || expiresAt > limit)) {
    throw new AppError('forbidden', msg('accounts.tokenOutlives', { limit: limit.toISOString() }), {
      errors: [{ field: '/expiresAt', message: msg('fields.noLaterThan', { limit: limit.toISOString() }) }],
    });
  }
  const token = newToken('andt');
  const [row] = await db
    .insert(apiTokens)
    .values({ tokenHash: tokenHash(token), userId: caller.id, name: body.name, scope: body.scope, expiresAt })
    .returning();
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    token,
  };
}

export async function listApiTokens(db: Db, caller: Caller) {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, caller.id))
    .orderBy(asc(apiTokens.createdAt));
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      scope: r.scope,
      createdAt: r.createdAt.toISOString(),
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      expiresAt: r.expiresAt?.toISOString() ?? null,
    })),
    nextCursor: null,
  };
}

export async function revokeApiToken(db: Db, caller: Caller, id: string): Promise<void> {
  const gone = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, caller.id)))
    .returning({ id: apiTokens.id });
  if (!gone.length) throw notFound(msg('notFound.token', { id }));
}
