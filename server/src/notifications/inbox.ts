// A person's notifications as they read them: newest first with keyset paging, how many are unread, marking read.
// Every query is scoped to the reader's own id: nobody reads or marks anyone else's.
import { and, count, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { invalid } from '../errors.js';
import { users } from '../accounts/tables.js';
import { notifications } from './tables.js';

export const maxNotificationPage = 100;

export interface NotificationPageQuery {
  limit?: number;
  cursor?: string;
  unread?: boolean;
}

/** A cursor is the last item's time and id (opaque to clients; a tampered one is a 400). */
function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    /* refused below */
  }
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
    const at = new Date(v[0]);
    if (!Number.isNaN(at.getTime()) && /^[0-9a-f-]{36}$/.test(v[1])) return [at, v[1]];
  }
  throw invalid.cursor();
}

export async function unreadCount(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.read, false)));
  return Number(row?.n ?? 0);
}

export async function listNotifications(db: Executor, userId: string, q: NotificationPageQuery) {
  const limit = Math.min(q.limit ?? 20, maxNotificationPage);
  const where: SQL[] = [eq(notifications.userId, userId)];
  if (q.unread) where.push(eq(notifications.read, false));
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    where.push(or(lt(notifications.createdAt, at), and(eq(notifications.createdAt, at), lt(notifications.id, id)))!);
  }
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      subject: notifications.subject,
      read: notifications.read,
      createdAt: notifications.createdAt,
      actorHandle: users.handle,
    })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorId))
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      subject: r.subject,
      actor: r.actorHandle ? { handle: r.actorHandle } : null,
      read: r.read,
      createdAt: r.createdAt.toISOString(),
    })),
    unread: await unreadCount(db, userId),
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/** Marks the reader's own notifications read: those of `ids` (others' ids are ignored, not refused), or all. */
export async function markRead(db: Executor, userId: string, which: { ids?: string[]; all?: boolean }) {
  const mine = eq(notifications.userId, userId);
  if (which.all)
    await db
      .update(notifications)
      .set({ read: true })
      .where(and(mine, eq(notifications.read, false)));
  else if (which.ids?.length)
    await db
      .update(notifications)
      .set({ read: true })
      .where(and(mine, inArray(notifications.id, which.ids)));
  return { unread: await unreadCount(db, userId) };
}
