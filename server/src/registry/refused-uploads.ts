// The byte allowance of refused uploads: what requests that were refused (bad manifest, quota, not a member…)
// streamed in counts per account and per address over the last hour; past the allowance uploads answer 429, so a
// client cannot make the server hash and write gigabytes that are then thrown away. Kept in this process's memory.
import { AppError } from '../errors.js';

const hourMs = 3600_000;

interface Entry {
  at: number;
  bytes: number;
}

export class RefusedUploads {
  private readonly byKey = new Map<string, Entry[]>();

  /** `bytesPerHour` 0 turns the allowance off. */
  constructor(
    private readonly bytesPerHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): Entry[] {
    const since = this.now() - hourMs;
    const kept = (this.byKey.get(key) ?? []).filter((e) => e.at > since);
    if (kept.length) this.byKey.set(key, kept);
    else this.byKey.delete(key);
    return kept;
  }

  /** Counts a refused request's bytes against each of its keys (`account:<id>`, `address:<ip>`). */
  record(keys: readonly string[], bytes: number): void {
    if (this.bytesPerHour <= 0 || bytes <= 0) return;
    for (const key of keys) this.byKey.set(key, [...this.recent(key), { at: this.now(), bytes }]);
  }

  /** 429 with Retry-After while any key's refused bytes of the last hour reach the allowance. */
  check(keys: readonly string[]): void {
    if (this.bytesPerHour <= 0) return;
    for (const key of keys) {
      const entries = this.recent(key);
      const sent = entries.reduce((s, e) => s + e.bytes, 0);
      if (sent < this.bytesPerHour) continue;
      let total = sent;
      // the allowance comes back as the oldest refusals leave the hour
      let freeAt = this.now() + hourMs;
      for (const e of entries) {
        total -= e.bytes;
        if (total < this.bytesPerHour) {
          freeAt = e.at + hourMs;
          break;
        }
      }
      const wait = Math.max(1, Math.ceil((freeAt - this.now()) / 1000));
      throw new AppError(
        'too-many-requests',
        `Uploads that were refused sent ${formatMB(sent)} in the last hour, more than the allowance of ${formatMB(this.bytesPerHour)}; fix what the refusals said and try again in ${Math.ceil(wait / 60)} min`,
        { headers: { 'retry-after': String(wait) }, extra: { limit: this.bytesPerHour } },
      );
    }
  }
}

const formatMB = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
