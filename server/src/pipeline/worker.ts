// The job worker: claims jobs from the queue, runs their handler, records the outcome. Wakes at once when
// this process enqueues (notify), and polls for jobs enqueued by other processes.
import type { Db } from '../db/client.js';
import { claimJob, completeJob, failJob, releaseJobs, renewLeases, setJobProgress, type JobRow } from './queue.js';
import type { JobOutcome } from '../metrics/jobs.js';
import { PermanentJobError, type JobKind } from './job-kinds.js';

export interface JobContext {
  progress(p: number): Promise<void>;
}

export type JobHandler = (job: JobRow, ctx: JobContext) => Promise<Record<string, unknown> | void>;

export interface WorkerOptions {
  concurrency: number;
  /**
   * Kinds run by loops of their own (`concurrency` of them), which the other loops never claim: background work
   * then never holds a loop a preview is waiting for. Without it every loop claims every kind.
   */
  background?: { kinds: readonly string[]; concurrency: number };
  leaseMs: number;
  pollMs: number;
  baseBackoffMs: number;
  onFailed?: (job: JobRow, error: string) => Promise<void>;
  /** a job was claimed and is about to run (the job log: which process holds it) */
  onClaimed?: (job: JobRow) => void;
  /** after each job's outcome is recorded (done, failed, or back in the queue for a retry) */
  onSettled?: (job: JobRow) => void;
  /** each run's recorded outcome and how long it ran (metrics, the job log); not for jobs handed back at shutdown */
  onOutcome?: (job: JobRow, outcome: JobOutcome, seconds: number, error?: string) => void;
  log?: (msg: string) => void;
}

export class JobWorker {
  private running = false;
  private readonly waiters = new Set<() => void>();
  private loops: Promise<void>[] = [];
  private active = 0;
  /** of which in the loops that claim the foreground kinds (previews) */
  private activeForeground = 0;
  /** jobs this process is running, and those handed back to the queue at shutdown (their outcome is not recorded) */
  private readonly inFlight = new Set<string>();
  private readonly released = new Set<string>();
  private leaseRenewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly handlers: Partial<Record<JobKind, JobHandler>>,
    private readonly opts: WorkerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    // the kinds are read here, not at construction: a layer above registers its own kinds before the start
    const background = new Set(this.opts.background?.kinds ?? []);
    const kinds = Object.keys(this.handlers);
    const foreground = kinds.filter((k) => !background.has(k));
    const backgroundKinds = kinds.filter((k) => background.has(k));
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop(foreground, true));
    if (backgroundKinds.length)
      for (let i = 0; i < (this.opts.background?.concurrency ?? 0); i++)
        this.loops.push(this.loop(backgroundKinds, false));
    // a third of the lease: two renewals may fail (a slow database) before another worker may take the job
    this.leaseRenewal = setInterval(() => this.renewLeases(), Math.max(50, Math.floor(this.opts.leaseMs / 3)));
    this.leaseRenewal.unref();
  }

  private renewLeases(): void {
    const ids = [...this.inFlight].filter((id) => !this.released.has(id));
    renewLeases(this.db, ids, this.opts.leaseMs).catch((e: Error) =>
      this.opts.log?.(`could not renew job leases: ${e.message}`),
    );
  }

  /** Something was enqueued: stop sleeping. */
  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  get busy(): number {
    return this.active;
  }

  /** Jobs of the foreground kinds running now (background work on its own threads not counted). */
  get busyForeground(): number {
    return this.activeForeground;
  }

  /**
   * Stops claiming and waits for in-flight jobs. With `graceMs` (a shutdown), jobs still running after it go back
   * to the queue at once, for another worker, instead of waiting for their lease; if we are killed first, the
   * lease brings them back.
   */
  async stop(graceMs?: number): Promise<void> {
    this.running = false;
    this.notify();
    const finished = Promise.all(this.loops);
    if (graceMs === undefined) await finished;
    else {
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        finished.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (late && this.inFlight.size) {
        const ids = [...this.inFlight];
        for (const id of ids) this.released.add(id);
        await releaseJobs(this.db, ids).catch((e: Error) =>
          this.opts.log?.(`could not hand jobs back to the queue: ${e.message}`),
        );
      }
    }
    this.loops = [];
    clearInterval(this.leaseRenewal);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  /** Claims and runs jobs of `kinds` one at a time until stopped. */
  private async loop(kinds: readonly string[], foreground: boolean): Promise<void> {
    while (this.running) {
      let job: JobRow | undefined;
      try {
        job = await claimJob(this.db, this.opts.leaseMs, kinds);
      } catch (err) {
        this.opts.log?.(`queue unavailable: ${(err as Error).message}`);
        await this.sleep(this.opts.pollMs * 4);
        continue;
      }
      if (!job) {
        await this.sleep(this.opts.pollMs);
        continue;
      }
      this.active++;
      if (foreground) this.activeForeground++;
      this.opts.onClaimed?.(job);
      try {
        await this.run(job);
      } finally {
        this.active--;
        if (foreground) this.activeForeground--;
        this.opts.onSettled?.(job);
      }
      // more may be waiting: let sibling loops claim too
      this.notify();
    }
  }

  private async run(job: JobRow): Promise<void> {
    this.inFlight.add(job.id);
    try {
      await this.runHandler(job);
    } finally {
      this.inFlight.delete(job.id);
      this.released.delete(job.id);
    }
  }

  private lost(job: JobRow): void {
    this.opts.log?.(
      `job ${job.kind} ${job.id} attempt ${job.attempts}: its lease passed before it finished and another run took it; that run records the outcome`,
    );
  }

  private async runHandler(job: JobRow): Promise<void> {
    const handler = this.handlers[job.kind as JobKind]!;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await handler(job, { progress: (p) => setJobProgress(this.db, job.id, p) });
      if (this.released.has(job.id)) return;
      if (await completeJob(this.db, job, result ?? {})) this.opts.onOutcome?.(job, 'done', seconds());
      else this.lost(job);
    } catch (err) {
      // handed back at shutdown: the failure is the shutdown's (thread pool ended), not the job's
      if (this.released.has(job.id)) return;
      const permanent = err instanceof PermanentJobError;
      const message = (err as Error | null)?.message ?? String(err);
      if (!permanent) this.opts.log?.(`job ${job.kind} ${job.id} attempt ${job.attempts} failed: ${message}`);
      try {
        const outcome = await failJob(this.db, job, message, !permanent, this.opts.baseBackoffMs);
        if (outcome === 'lost') return this.lost(job);
        this.opts.onOutcome?.(job, outcome, seconds(), message);
        if (outcome === 'failed') await this.opts.onFailed?.(job, message);
      } catch (e) {
        this.opts.log?.(`could not record the failure of job ${job.id}: ${(e as Error).message}`);
      }
    }
  }
}
