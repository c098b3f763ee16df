// A worker thread reads a file-system blob itself, into one buffer it keeps for the next file: fresh memory is paid
// for in page faults when first touched (a 50 MB mesh read into a new buffer took 40–150 ms here, into a kept one 3 ms),
// and the main thread's event loop stays out of the way.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

let kept: Uint8Array = new Uint8Array(0);

/**
 * The whole file as a view of the thread's kept buffer, valid until the thread reads the next file (a thread runs
 * one task at a time). The buffer grows to the largest file read and goes with the thread when it idles out.
 */
export function readFileKept(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (kept.length < size) kept = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, kept, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return kept.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}
