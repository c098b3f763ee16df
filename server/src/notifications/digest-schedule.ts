// When digests go out: a run every hour in each process that runs the job worker (and one a minute after it starts);
// each run emails only the people due one, so runs are cheap when nobody is. A run still going skips the next tick.
import type { Executor } from '../db/client.js';
import { sendDigests, type DigestRunOptions, type DigestRunReport } from './digest.js';
import type { Mailer } from './mailer.js';

export const digestCheckEveryMs = 3600_000;
const firstRunAfterMs = 60_000;

export class DigestSchedule {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<DigestRunReport> | undefined;

  constructor(
    private readonly db: Executor,
    private readonly mailer: Mailer,
    private readonly opts: DigestRunOptions,
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {}

  start(): void {
    const tick = () => void this.run().catch((err) => this.log(`email digest: run failed: ${err?.message ?? err}`));
    this.timers.push(setTimeout(tick, firstRunAfterMs), setInterval(tick, digestCheckEveryMs));
    for (const timer of this.timers) timer.unref();
  }

  /** A run now (or the one in progress); `ignoreCadence` sends to everyone with something unread. */
  run(extra: Partial<DigestRunOptions> = {}): Promise<DigestRunReport> {
    this.running ??= sendDigests(this.db, this.mailer, { ...this.opts, ...extra })
      .then((report) => {
        if (report.serverError)
          this.log(`email digest: the SMTP server failed (${report.serverError}); the rest is tried at the next run`);
        return report;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    await this.running?.catch(() => undefined);
    this.mailer.close();
  }
}
