// The email digest: each person due one (daily or weekly, their choice or the instance's) gets one email of their
// unread notifications not yet in a digest, which are then marked digested. Sent first and marked after, each
// message with an id made of the notifications it carries: a run that dies between the two sends it again with the
// same Message-ID (a mail system may fold the pair); a send that fails marks nothing, so the next run tries again.
// Several processes run the schedule on one database: a run first claims the person (one conditional UPDATE of
// their row, which PostgreSQL serialises), so one run per period sends, and no two runs send to one person at once.
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { users } from '../accounts/tables.js';
import { notifications } from './tables.js';
import { composeDigest, type DigestItem } from './digest-email.js';
import { sendFailure, type Mailer } from './mailer.js';

/** What a person chose (users.digest); null follows the instance. */
export type DigestChoice = 'daily' | 'weekly' | 'never';
export const digestChoices: readonly DigestChoice[] = ['daily', 'weekly', 'never'];

/** Notifications one email lists; more wait in the app, counted in a line of their own. */
export const maxDigestItems = 50;

export interface DigestRunOptions {
  /** the instance's cadence (off: nothing is sent) */
  cadence: 'off' | 'daily' | 'weekly';
  publicUrl: string;
  /** people emailed at most in this run */
  batch: number;
  /** everyone with something unread, whenever their last digest was (`admin digest --now`) */
  ignoreCadence?: boolean;
}

export interface DigestRunReport {
  sent: number;
  /** addresses the SMTP server refused: their notifications are marked, as no retry would reach them */
  refused: number;
  /** the SMTP server failed (down, unreachable, refusing us): the run stopped, nothing of the rest was marked */
  serverError?: string;
}

interface DueRecipient {
  id: string;
  handle: string;
  email: string;
  locale: string | null;
  cadence: 'daily' | 'weekly';
  /** their period's claim when the list was made, as the database writes it (to the microsecond): a failed send
   * puts it back */
  claimedAt: string | null;
}

/** A claimed run longer than this is taken for dead: its person may be claimed again (and sent the same email). */
export const digestSendLeaseMinutes = 15;

/** A person's period, less an hour so runs an hour apart do not drift it by a day. */
const periodOf = (cadence: SQL) =>
  sql`case ${cadence} when 'daily' then interval '23 hours' else interval '167 hours' end`;

/**
 * People due a digest: local accounts whose cadence is daily or weekly, with unread undigested notifications, whose
 * last digest is older than their period (less an hour, so runs an hour apart do not drift it by a day).
 */
export async function dueRecipients(db: Executor, opts: DigestRunOptions): Promise<DueRecipient[]> {
  const res = await db.execute(sql`
    select u.id, u.handle, u.email, u.locale, coalesce(u.digest, ${opts.cadence}) as cadence,
      u.digest_claimed_at::text as "claimedAt"
    from users u
    where u.remote_instance is null
      and coalesce(u.digest, ${opts.cadence}) in ('daily', 'weekly')
      and exists (select 1 from notifications n where n.user_id = u.id and n.read = false and n.digested_at is null)
      and (${opts.ignoreCadence ?? false}::boolean or not exists (
        select 1 from notifications d where d.user_id = u.id
          and d.digested_at > now() - ${periodOf(sql`coalesce(u.digest, ${opts.cadence})`)}))
    order by u.id
    limit ${opts.batch}`);
  return rowsOf<DueRecipient>(res);
}

/** Their unread notifications not yet in a digest, newest first (at most maxDigestItems), and how many more. */
async function pendingOf(
  db: Executor,
  userId: string,
): Promise<{ items: (DigestItem & { id: string })[]; more: number }> {
  const actors = sql`(select handle from users a where a.id = ${notifications.actorId})`;
  const undigested = and(
    eq(notifications.userId, userId),
    eq(notifications.read, false),
    isNull(notifications.digestedAt),
  );
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      subject: notifications.subject,
      actorHandle: sql<string | null>`${actors}`,
      total: sql<number>`count(*) over ()`,
    })
    .from(notifications)
    .where(undigested)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(maxDigestItems);
  return { items: rows, more: rows.length ? Number(rows[0].total) - rows.length : 0 };
}

/** A message id that is the same whenever the same notifications are sent to the same person. */
function digestMessageId(userId: string, ids: readonly string[], host: string): string {
  const key = createHash('sha256')
    .update(userId + ':' + [...ids].sort().join(','))
    .digest('hex')
    .slice(0, 32);
  return `<digest.${key}@${host}>`;
}

async function markDigested(db: Executor, ids: string[]): Promise<void> {
  await db
    .update(notifications)
    .set({ digestedAt: sql`now()` })
    .where(and(inArray(notifications.id, ids), isNull(notifications.digestedAt)));
}

/**
 * Claims a person's digest for this run: nobody else is sending them one (the lease), and their period's claim is
 * older than the period (`--now`: still the one this run saw, so two runs never both take it). The row is locked
 * by the UPDATE: a second run waiting on it sees the first one's claim and takes nothing.
 */
async function claim(db: Executor, to: DueRecipient, opts: DigestRunOptions): Promise<boolean> {
  const res = await db.execute(sql`
    update users u set digest_claimed_at = now(),
      digest_sending_until = now() + make_interval(mins => ${digestSendLeaseMinutes})
    where u.id = ${to.id}
      and (u.digest_sending_until is null or u.digest_sending_until < now())
      and ${
        opts.ignoreCadence
          ? sql`u.digest_claimed_at is not distinct from ${to.claimedAt}::timestamptz`
          : sql`(u.digest_claimed_at is null or u.digest_claimed_at <= now() - ${periodOf(sql`${to.cadence}::text`)})`
      }
    returning u.id`);
  return rowsOf(res).length === 1;
}

/** The run is done with the person: the period stays claimed, or goes back to what it was when the send failed. */
async function release(db: Executor, to: DueRecipient, sent: boolean): Promise<void> {
  await db
    .update(users)
    .set(
      sent
        ? { digestSendingUntil: null }
        : { digestSendingUntil: null, digestClaimedAt: sql`${to.claimedAt}::timestamptz` },
    )
    .where(eq(users.id, to.id));
}

/** One digest run: emails each due person (at most `batch`) this run claims, marking what each email carried. */
export async function sendDigests(db: Executor, mailer: Mailer, opts: DigestRunOptions): Promise<DigestRunReport> {
  const report: DigestRunReport = { sent: 0, refused: 0 };
  if (opts.cadence === 'off') return report;
  const host = new URL(opts.publicUrl).hostname;
  for (const to of await dueRecipients(db, opts)) {
    if (!(await claim(db, to, opts))) continue; // another run has them, or had them this period
    const { items, more } = await pendingOf(db, to.id);
    if (!items.length) {
      await release(db, to, false); // read or digested since the list was made: their period is not spent
      continue;
    }
    const ids = items.map((n) => n.id);
    const email = composeDigest(to, items, more, opts.publicUrl);
    try {
      await mailer.send({ to: to.email, ...email, messageId: digestMessageId(to.id, ids, host) });
      report.sent++;
    } catch (err) {
      if (sendFailure(err) === 'server') {
        report.serverError = (err as Error)?.message ?? String(err);
        await release(db, to, false);
        return report;
      }
      report.refused++;
    }
    await markDigested(db, ids);
    await release(db, to, true);
  }
  return report;
}

/** A person's digest choice (null: the instance's cadence). */
export async function digestChoiceOf(db: Executor, userId: string): Promise<DigestChoice | null> {
  const [row] = await db.select({ digest: users.digest }).from(users).where(eq(users.id, userId));
  return (row?.digest as DigestChoice | null | undefined) ?? null;
}

export async function setDigestChoice(db: Executor, userId: string, choice: DigestChoice | null): Promise<void> {
  await db.update(users).set({ digest: choice }).where(eq(users.id, userId));
}
