// The job worker: claims jobs from the queue, runs their handler, records the outcome. Wakes at once when
// this process enqueues (notify), and polls for jobs enqueued by other processes.
import type { Db } from '../db/client.js';
import { claimJob, completeJob, failJob, setJobProgress, type JobRow } from './queue.js';
import { PermanentJobError, type JobKind } from './job-kinds.js';

export interface JobContext {
  progress(p: number): Promise<void>;
}

export type JobHandler = (job: JobRow, ctx: JobContext) => Promise<Record<string, unknown> | void>;

export interface WorkerOptions {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  baseBackoffMs: number;
  onFailed?: (job: JobRow, error: string) => Promise<void>;
  log?: (msg: string) => void;
}

export class JobWorker {
  private running = false;
  private readonly waiters = new Set<() => void>();
  private loops: Promise<void>[] = [];
  private active = 0;

  constructor(private readonly db: Db, private readonly handlers: Partial<Record<JobKind, JobHandler>>, private readonly opts: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop());
  }

  /** Something was enqueued: stop sleeping. */
  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  get busy(): number {
    return this.active;
  }

  /** Stops claiming; waits for in-flight jobs (their leases bring them back if we are killed first). */
  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await Promise.all(this.loops);
    this.loops = [];
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.waiters.delete(done); resolve(); };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private async loop(): Promise<void> {
    const kinds = Object.keys(this.handlers);
    while (this.running) {
      let job: JobRow | undefined;
      try {
        job = await claimJob(this.db, this.opts.leaseMs, kinds);
      } catch (err: any) {
        this.opts.log?.(`queue unavailable: ${err.message}`);
        await this.sleep(this.opts.pollMs * 4);
        continue;
      }
      if (!job) {
        await this.sleep(this.opts.pollMs);
        continue;
      }
      this.active++;
      try {
        await this.run(job);
      } finally {
        this.active--;
      }
      // more may be waiting: let sibling loops claim too
      this.notify();
    }
  }

  private async run(job: JobRow): Promise<void> {
    const handler = this.handlers[job.kind as JobKind]!;
    try {
      const result = await handler(job, { progress: (p) => setJobProgress(this.db, job.id, p) });
      await completeJob(this.db, job.id, result ?? {});
    } catch (err: any) {
      const permanent = err instanceof PermanentJobError;
      const message = err?.message ?? String(err);
      if (!permanent) this.opts.log?.(`job ${job.kind} ${job.id} attempt ${job.attempts} failed: ${message}`);
      try {
        const outcome = await failJob(this.db, job, message, !permanent, this.opts.baseBackoffMs);
        if (outcome === 'failed') await this.opts.onFailed?.(job, message);
      } catch (e: any) {
        this.opts.log?.(`could not record the failure of job ${job.id}: ${e.message}`);
      }
    }
  }
}
