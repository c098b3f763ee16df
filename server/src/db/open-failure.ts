// Why the embedded database would not open, in words an operator can act on: PGlite itself says only
// "Aborted()" or "failed to initialize" — after a kill on a full disk, for instance — which names neither the
// folder nor the cause nor the way back.
import { statfsSync } from 'node:fs';

/** Free bytes on the file system holding `dir`, or undefined when it cannot be asked. */
function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return undefined;
  }
}

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

/** An error naming the folder, the free space there and what to do, with PGlite's own error as its cause. */
export function pgliteOpenFailure(dir: string, cause: unknown): Error {
  const free = freeBytes(dir);
  const low = free !== undefined && free < 64 * 1024 * 1024;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const lines = [
    `The embedded database in ${dir} could not be opened (${reason}).`,
    free === undefined
      ? 'The free space there could not be read.'
      : `Free space there: ${megabytes(free)}${low ? ' — the disk is (nearly) full, the likely cause' : ''}.`,
    'If the disk filled up or the server was killed while writing: free some space and start again (the database',
    'replays its log on start). If it still does not open, stop everything using the folder and restore the data',
    'folder from a backup (README: "Backup and restore"); then `npm run admin -- verify` checks the blobs.',
  ];
  return new Error(lines.join('\n'), { cause });
}
