// The durable job queue: a table with FOR UPDATE SKIP LOCKED claims, leases, attempts and backoff.
// Chosen over pg-boss because it enqueues with the publish transaction's own executor on PGlite's single
// connection, needs no second schema or multi-statement adapter, and behaves the same on PostgreSQL 15.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { jobs } from './tables.js';
import type { JobKind, JobPayloads } from './job-kinds.js';
import { rowsOf } from '../db/rows.js';

export type JobRow = typeof jobs.$inferSelect;

/** A claimed job of one kind, its payload typed (the worker hands each handler the jobs of its own kind). */
export type Job<K extends JobKind> = Omit<JobRow, 'kind' | 'payload'> & { kind: K; payload: JobPayloads[K] };

export interface EnqueueOptions {
  /** what the job is about, for lookups (a version id, a file id, a derivative's key) */
  subject: string;
  priority?: number;
  maxAttempts?: number;
  /** the request the job is done for (a publish's, or the job's that fans it out): the worker logs it as reqId.
   * Passed, not read from an AsyncLocalStorage: on Node 20 one enables promise hooks for every request. */
  requestId?: string;
}

/** Queues a job of `kind`; its payload must be that kind's (job-kinds.ts `JobPayloads`). */
export async function enqueue<K extends JobKind>(
  db: Executor,
  kind: K,
  payload: JobPayloads[K],
  opts: EnqueueOptions,
): Promise<string> {
  const [row] = await db
    .insert(jobs)
    .values({
      kind,
      subject: opts.subject,
      // a payload is a plain JSON object (each kind's type says which fields); the request id rides along
      payload: {
        ...(payload as unknown as Record<string, unknown>),
        ...(opts.requestId ? { requestId: opts.requestId } : {}),
      },
      priority: opts.priority ?? 0,
      maxAttempts: opts.maxAttempts ?? 3,
    })
    .returning({ id: jobs.id });
  return row.id;
}

/** The request a job was enqueued for (see enqueue), if any. */
export const requestIdOf = (job: { payload: object }): string | undefined => {
  const id = (job.payload as { requestId?: unknown }).requestId;
  return typeof id === 'string' ? id : undefined;
};

type Stamp = Date | string | null;
/** A jobs row as raw SQL returns it: snake_case columns, timestamps as Date or text depending on the driver. */
interface RawJobRow {
  id: JobRow['id'];
  kind: JobRow['kind'];
  subject: JobRow['subject'];
  payload: JobRow['payload'];
  state: JobRow['state'];
  priority: JobRow['priority'];
  attempts: JobRow['attempts'];
  max_attempts: JobRow['maxAttempts'];
  run_at: Stamp;
  lease_until: Stamp;
  progress: JobRow['progress'];
  error: JobRow['error'];
  result: JobRow['result'];
  created_at: Stamp;
  updated_at: Stamp;
}

function rowOf(r: RawJobRow): JobRow {
  const date = (v: Stamp | undefined) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v));
  return {
    id: r.id,
    kind: r.kind,
    subject: r.subject,
    payload: r.payload,
    state: r.state,
    priority: r.priority,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: date(r.run_at)!,
    leaseUntil: date(r.lease_until),
    progress: r.progress,
    error: r.error,
    result: r.result,
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
  };
}

/**
 * Claims the most urgent ready job: queued and due, or running with an expired lease (its worker died).
 * A job whose worker died on its last attempt is failed first, with the reason.
 */
export async function claimJob(db: Executor, leaseMs: number, kinds?: readonly string[]): Promise<JobRow | undefined> {
  await db.execute(sql`update jobs set state = 'failed', updated_at = now(), lease_until = null,
    error = coalesce(error, 'the worker stopped while processing this (crash, kill or time-out) ' || attempts || ' times')
    where state = 'running' and lease_until < now() and attempts >= max_attempts`);
  const kindFilter = kinds
    ? sql`and kind in (${sql.join(
        kinds.map((k) => sql`${k}`),
        sql`, `,
      )})`
    : sql``;
  const res = await db.execute(sql`update jobs set state = 'running', attempts = attempts + 1, updated_at = now(),
      lease_until = now() + (${leaseMs}::int * interval '1 millisecond')
    where id = (select id from jobs
      where ((state = 'queued' and run_at <= now()) or (state = 'running' and lease_until < now())) ${kindFilter}
      order by priority, run_at, created_at limit 1 for update skip locked)
    returning *`);
  const rows = rowsOf<RawJobRow>(res);
  return rows.length ? rowOf(rows[0]) : undefined;
}

/**
 * The claim a worker holds: the job still running under the attempt it claimed. A worker silent past its lease (a
 * stalled process, a cut network) may have lost the job to another; then the other's run records the outcome.
 */
const stillHeld = (job: Pick<JobRow, 'id' | 'attempts'>) =>
  and(eq(jobs.id, job.id), eq(jobs.state, 'running'), eq(jobs.attempts, job.attempts));

/** Records a job done; false when the job was no longer this claim's (see stillHeld). */
export async function completeJob(
  db: Executor,
  job: Pick<JobRow, 'id' | 'attempts'>,
  result: Record<string, unknown> = {},
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ state: 'done', progress: 1, result, leaseUntil: null, updatedAt: new Date() })
    .where(stillHeld(job))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/**
 * Fails a job; a retryable failure goes back to the queue with exponential backoff until attempts run out.
 * 'lost' when the job was no longer this claim's (see stillHeld): nothing is recorded.
 */
export async function failJob(
  db: Executor,
  job: JobRow,
  error: string,
  retryable: boolean,
  baseBackoffMs = 1000,
): Promise<'retry' | 'failed' | 'lost'> {
  const retry = retryable && job.attempts < job.maxAttempts;
  const rows = await db
    .update(jobs)
    .set(
      retry
        ? {
            state: 'queued',
            error,
            leaseUntil: null,
            runAt: new Date(Date.now() + baseBackoffMs * 2 ** (job.attempts - 1)),
            updatedAt: new Date(),
          }
        : { state: 'failed', error, leaseUntil: null, updatedAt: new Date() },
    )
    .where(stillHeld(job))
    .returning({ id: jobs.id });
  if (!rows.length) return 'lost';
  return retry ? 'retry' : 'failed';
}

/** Hands running jobs back to the queue (a worker shutting down): runnable at once, the attempt not counted. */
export async function releaseJobs(db: Executor, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await db
    .update(jobs)
    .set({
      state: 'queued',
      leaseUntil: null,
      runAt: new Date(),
      attempts: sql`greatest(${jobs.attempts} - 1, 0)`,
      updatedAt: new Date(),
    })
    .where(and(inArray(jobs.id, ids), eq(jobs.state, 'running')));
}

/**
 * Extends the leases of jobs this worker still runs, so a lease only has to outlast a worker's silence, not its
 * longest job: a short lease then hands a dead worker's job on quickly without taking a live worker's.
 */
export async function renewLeases(db: Executor, ids: string[], leaseMs: number): Promise<void> {
  if (!ids.length) return;
  await db
    .update(jobs)
    .set({ leaseUntil: sql`now() + (${leaseMs}::int * interval '1 millisecond')` })
    .where(and(inArray(jobs.id, ids), eq(jobs.state, 'running')));
}

export async function setJobProgress(db: Executor, id: string, progress: number): Promise<void> {
  await db.update(jobs).set({ progress, updatedAt: new Date() }).where(eq(jobs.id, id));
}

export async function findJob(db: Executor, id: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  return row;
}

/** The latest job about a subject, of one kind or only while it is queued or running when asked: what a 202 names. */
export async function latestJobOf(
  db: Executor,
  subject: string,
  filter: { kind?: JobKind; pending?: boolean } = {},
): Promise<Pick<JobRow, 'id' | 'state'> | undefined> {
  const [row] = await db
    .select({ id: jobs.id, state: jobs.state })
    .from(jobs)
    .where(
      and(
        eq(jobs.subject, subject),
        filter.kind ? eq(jobs.kind, filter.kind) : undefined,
        filter.pending ? inArray(jobs.state, ['queued', 'running']) : undefined,
      ),
    )
    .orderBy(desc(jobs.createdAt))
    .limit(1);
  return row;
}

/** The body of a 202 (schemas/job-pending): what is still being made and the job making it, null when none is known. */
export function pendingReplyBody<S extends string>(state: S, job: Pick<JobRow, 'id'> | undefined) {
  return { state, job: job ? `/api/jobs/${job.id}` : null };
}

/** Jobs waiting in the queue, and how long the longest-waiting due one has been due (metrics, at each scrape). */
export async function queueStats(db: Executor): Promise<{ depth: number; oldestAgeSeconds: number }> {
  const rows = rowsOf<{ depth: number | string; oldest: number | string | null }>(
    await db.execute(sql`select count(*)::int as depth,
      extract(epoch from now() - min(run_at) filter (where run_at <= now()))::float8 as oldest
      from jobs where state = 'queued'`),
  );
  return { depth: Number(rows[0].depth), oldestAgeSeconds: Math.max(0, Number(rows[0].oldest ?? 0)) };
}
