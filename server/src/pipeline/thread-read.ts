// A worker thread reads a file-system blob itself, into one buffer it keeps for the next file: fresh memory is paid
// for in page faults when first touched (a 50 MB mesh read into a new buffer took 40–150 ms here, into a kept one 3 ms),
// and the main thread's event loop stays out of the way.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

let kept: Uint8Array = new Uint8Array(0);
/** the same for files other threads read a share of (a big mesh's): in shared memory */
let keptShared: Uint8Array = new Uint8Array(new SharedArrayBuffer(0));

/**
 * The whole file as a view of the thread's kept buffer, valid until the thread reads the next file (a thread runs
 * one task at a time). The buffer grows to the largest file read and goes with the thread when it idles out.
 * A file of `sharedFrom` bytes or more is read into shared memory, so helper threads can read it too.
 */
export function readFileKept(path: string, sharedFrom = Infinity): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size >= sharedFrom) {
      if (keptShared.length < size) keptShared = new Uint8Array(new SharedArrayBuffer(size));
      return readInto(fd, keptShared, size);
    }
    if (kept.length < size) kept = new Uint8Array(size);
    return readInto(fd, kept, size);
  } finally {
    closeSync(fd);
  }
}

function readInto(fd: number, into: Uint8Array, size: number): Uint8Array {
  let filled = 0;
  while (filled < size) {
    const n = readSync(fd, into, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return into.subarray(0, filled);
}
