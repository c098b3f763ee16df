// A worker thread puts a binary mesh's positions into one Float32Array it keeps for the next file, as it keeps the
// file's bytes (thread-read.ts): a 1 M-triangle STL's 36 MB of fresh positions cost 150–300 ms in page faults here
// (glibc maps and unmaps an array that large each time), several times the parse loop itself.
/** Larger meshes (over 2 M triangles, 72 MB) get memory of their own, given back after the file. */
const KEEP_MAX_FLOATS = 2_000_000 * 9;

let kept = new Float32Array(0);

/**
 * `floats` positions as a view of the thread's kept array, valid until the thread reads the next file (a thread runs
 * one task at a time, and nothing of a task's mesh outlives it: the result carries facts and encoded pictures).
 */
export function keptPositions(floats: number): Float32Array {
  if (floats > KEEP_MAX_FLOATS) return new Float32Array(floats);
  if (kept.length < floats) kept = new Float32Array(floats);
  return kept.subarray(0, floats);
}
