// What this instance has to send and has not sent yet: the deliveries in the federation queue, each with its state
// (queued, retrying after failed attempts, failed when its retries ran out), what it is about, where it goes and why
// its last attempt failed. An admin may make them due now (all, one, or those to one instance), for when the
// network is back before the next attempt.
import type { Database } from '../db/client.js';
import type { FederationOutbox, FederationOutboxItem } from '../schema-types.js';

interface Row {
  id: string;
  message: {
    activityId?: string;
    activityType?: string;
    inbox?: string;
    attempt?: number;
    started?: string;
    activity?: Record<string, unknown>;
  };
  deliver_at: Date | string;
  created_at: Date | string;
  attempted_at: Date | string | null;
  last_error: string | null;
  failed_at: Date | string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const idOf = (x: unknown): string | undefined =>
  typeof x === 'string' ? x : typeof (x as { id?: unknown })?.id === 'string' ? (x as { id: string }).id : undefined;

const reportPath = /^\/ap\/builds\/([0-9a-f-]{36})(?:\/reviews\/\d+)?$/;
const versionPath = /^\/ap\/designs\/([^/]+)\/([^/]+)\/versions\/([^/]+)$/;
const designActorPath = /^\/ap\/actors\/([^/~]+)~([^/]+)$/;

function pathOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).pathname : undefined;
  } catch {
    return undefined;
  }
}

/** What a queued activity is about, read from the activity as Fedify queued it. */
export function aboutOf(type: string, activity: Record<string, unknown> | undefined): FederationOutboxItem['about'] {
  const object = activity?.object;
  const url = idOf(object) ?? null;
  const path = pathOf(url ?? undefined);
  const report = path ? reportPath.exec(path) : null;
  if (report && type === 'Create') {
    const decision = (object as { name?: unknown })?.name;
    return { kind: 'review', url, buildReport: report[1], ...(typeof decision === 'string' ? { decision } : {}) };
  }
  // a review's Note names the report it answers
  const replyTo = pathOf(idOf((object as { inReplyTo?: unknown })?.inReplyTo));
  const answered = replyTo ? reportPath.exec(replyTo) : null;
  if (answered) {
    const decision = (object as { name?: unknown })?.name;
    return { kind: 'review', url, buildReport: answered[1], ...(typeof decision === 'string' ? { decision } : {}) };
  }
  if (report) return { kind: 'build-report', url, buildReport: report[1] };
  const version = path ? versionPath.exec(path) : null;
  if (version)
    return {
      kind: 'version',
      url,
      design: `${decodeURIComponent(version[1])}/${decodeURIComponent(version[2])}`,
      version: decodeURIComponent(version[3]),
    };
  const design = path ? designActorPath.exec(path) : null;
  if (design)
    return { kind: 'design', url, design: `${decodeURIComponent(design[1])}/${decodeURIComponent(design[2])}` };
  return { kind: 'other', url };
}

function itemOf(r: Row): FederationOutboxItem {
  const m = r.message;
  const attempts = m.attempt ?? 0;
  // Fedify names the type by its full IRI (https://www.w3.org/ns/activitystreams#Offer): its last part is the name
  const type =
    typeof m.activity?.type === 'string' ? m.activity.type : (m.activityType ?? 'Activity').replace(/^.*[#/]/, '');
  const inbox = m.inbox ?? '';
  let instance = '';
  try {
    instance = new URL(inbox).host;
  } catch {
    // a message without a usable inbox: listed all the same
  }
  return {
    id: String(r.id),
    state: r.failed_at ? 'failed' : attempts > 0 ? 'retrying' : 'queued',
    activity: { id: m.activityId ?? null, type },
    about: aboutOf(type, m.activity),
    target: { instance, inbox },
    // a failed row records its last attempt; a waiting one has made `attempt` so far
    attempts: r.failed_at ? attempts + 1 : attempts,
    lastError: r.last_error,
    lastAttemptAt: r.attempted_at ? iso(r.attempted_at) : null,
    nextAttemptAt: r.failed_at ? null : iso(r.deliver_at),
    queuedAt: iso(m.started ?? r.created_at),
    failedAt: r.failed_at ? iso(r.failed_at) : null,
  };
}

export interface OutboxQuery {
  cursor?: string;
  limit: number;
  state?: FederationOutboxItem['state'];
  instance?: string;
}

/** The deliveries waiting or failed, oldest first, a page at a time (the cursor is the last row's id). */
export async function listOutbox(database: Database, q: OutboxQuery): Promise<FederationOutbox> {
  const params: unknown[] = [q.cursor ? Number(q.cursor) : 0, q.limit + 1];
  const where = [`message->>'type' = 'outbox'`, 'id > $1'];
  if (q.state === 'failed') where.push('failed_at is not null');
  else if (q.state === 'queued') where.push(`failed_at is null and coalesce((message->>'attempt')::int, 0) = 0`);
  else if (q.state === 'retrying') where.push(`failed_at is null and coalesce((message->>'attempt')::int, 0) > 0`);
  if (q.instance) {
    params.push(q.instance.toLowerCase());
    where.push(`lower(split_part(split_part(message->>'inbox', '://', 2), '/', 1)) = $${params.length}`);
  }
  const { rows } = await database.raw<Row>(
    `select id::text as id, message, deliver_at, created_at, attempted_at, last_error, failed_at
     from federation_queue where ${where.join(' and ')} order by id limit $2`,
    params,
  );
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(itemOf),
    nextCursor: rows.length > q.limit ? page[page.length - 1].id : null,
  };
}

export interface RetryTarget {
  /** one delivery (its outbox id) */
  id?: string;
  /** every delivery to this instance (host[:port]) */
  instance?: string;
}

/**
 * Makes waiting and failed deliveries due now (all of them, one, or those to one instance); a failed one starts a
 * new retry window from now. Returns how many are due now, those being sent at this moment included.
 */
export async function retryOutbox(database: Database, target: RetryTarget = {}): Promise<number> {
  const params: unknown[] = [];
  const where = [`message->>'type' = 'outbox'`];
  if (target.id !== undefined) {
    params.push(Number(target.id));
    where.push(`id = $${params.length}`);
  }
  if (target.instance) {
    params.push(target.instance.toLowerCase());
    where.push(`lower(split_part(split_part(message->>'inbox', '://', 2), '/', 1)) = $${params.length}`);
  }
  const { rows } = await database.raw<{ id: string }>(
    `update federation_queue
     set deliver_at = least(deliver_at, now()), failed_at = null,
         message = case when failed_at is null then message
                   else jsonb_set(message, '{started}', to_jsonb(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) end
     where ${where.join(' and ')} and (locked_until is null or locked_until < now())
     returning id::text as id`,
    params,
  );
  const { rows: sending } = await database.raw<{ n: number }>(
    `select count(*)::int as n from federation_queue where ${where.join(' and ')} and locked_until >= now()`,
    params,
  );
  return rows.length + Number(sending[0].n);
}

/** Deliveries to `host` that back off after failures: the host answered again, so they need not wait. */
export async function retryBackingOff(database: Database, host: string): Promise<number> {
  const { rows } = await database.raw<{ id: string }>(
    `update federation_queue set deliver_at = now()
     where message->>'type' = 'outbox' and failed_at is null and deliver_at > now()
       and coalesce((message->>'attempt')::int, 0) > 0
       and lower(split_part(split_part(message->>'inbox', '://', 2), '/', 1)) = $1
     returning id::text as id`,
    [host.toLowerCase()],
  );
  return rows.length;
}
