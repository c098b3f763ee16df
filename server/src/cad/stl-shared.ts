// A large binary STL read by several threads: each decodes, checks and converts a run of triangles into one shared
// coordinate array; the result is the one readStl gives (same coordinates, bounds, refusals).
import type { SharedPhase, WorkShare } from '../render/work-share.js';
import { checkBytes, checkedResult, tooManyTriangles, type ReadOptions } from './result.js';
import { widenBounds, type Bounds } from './mesh.js';
import { CadReadError, type ReadLimits, type ReadResult } from './types.js';
import { unitScale } from './units.js';

/** Triangles of a binary STL laid out as one (84 + 50·n bytes), else null (ASCII, or not an STL). */
export function binaryStlTriangles(bytes: Uint8Array): number | null {
  if (bytes.length < 84) return null;
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
  return 84 + 50 * n === bytes.length ? n : null;
}

/** Per chunk: min x y z, max x y z, and the 1-based vertex of its first non-finite coordinate (0: none). */
const SCAN = 7;

/** Items per thread: a thread that starts late still finds some. */
const CHUNKS_PER_THREAD = 4;

/**
 * Reads a binary STL (`bytes` in shared memory, laid out as binaryStlTriangles says) with `share`'s threads. The
 * coordinates come back in shared memory, ready for renderPreviewShared.
 */
export function readBinaryStlShared(
  bytes: Uint8Array,
  limits: ReadLimits,
  opts: ReadOptions,
  share: WorkShare,
): ReadResult {
  checkBytes(bytes, limits.maxBytes, 'STL');
  const n = binaryStlTriangles(bytes);
  if (n === null || !(bytes.buffer instanceof SharedArrayBuffer))
    throw new Error('readBinaryStlShared needs a binary STL in shared memory');
  if (n > limits.maxTriangles) throw tooManyTriangles(n, limits.maxTriangles, 'binary STL');
  if (n === 0)
    throw new CadReadError('no triangles: the binary STL file parsed but contains no triangles or points to show');
  const units = opts.units ?? 'mm';
  const scale = unitScale(units);
  const positions = new Float32Array(new SharedArrayBuffer(n * 9 * 4));
  const chunks = share.participants * CHUNKS_PER_THREAD;
  const scans = new Float64Array(new SharedArrayBuffer(chunks * SCAN * 8));
  share.run(decodeChunk, { bytes, positions, scans, perChunk: Math.ceil(n / chunks), triangles: n, scale }, chunks);

  // the first bad coordinate in file order, as the one-thread reader reports it
  let firstBad = 0;
  const min: Bounds['min'] = [Infinity, Infinity, Infinity],
    max: Bounds['max'] = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < chunks; c++) {
    const s = c * SCAN;
    if (scans[s + 6] > 0 && (firstBad === 0 || scans[s + 6] < firstBad)) firstBad = scans[s + 6];
    for (let k = 0; k < 3; k++) {
      if (scans[s + k] < min[k]) min[k] = scans[s + k];
      if (scans[s + 3 + k] > max[k]) max[k] = scans[s + 3 + k];
    }
  }
  if (firstBad > 0)
    throw new CadReadError(`the binary STL file has a coordinate that is not a finite number (vertex ${firstBad})`);
  // scaling by a positive factor keeps the extremes where they were: each bound is its coordinate scaled as stored
  const toMm = (v: number) => (scale === 1 ? v : Math.fround(v * scale));
  const bounds: Bounds = { min: min.map(toMm) as Bounds['min'], max: max.map(toMm) as Bounds['max'] };
  return checkedResult({ positions, parts: [{ name: 'model', start: 0, count: n }] }, 'stl', units, bounds);
}

interface DecodeArgs {
  bytes: Uint8Array;
  positions: Float32Array;
  scans: Float64Array;
  perChunk: number;
  triangles: number;
  scale: number;
}

/** Triangles of one chunk: decoded, scanned for bounds and non-finite numbers, then scaled to mm. */
export const decodeChunk: SharedPhase<DecodeArgs> = {
  name: 'stl.decode',
  run({ bytes, positions, scans, perChunk, triangles, scale }, item) {
    const from = Math.min(triangles, item * perChunk),
      to = Math.min(triangles, from + perChunk);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let k = from * 9;
    for (let t = from, o = 96 + 50 * from; t < to; t++, o += 50) {
      for (let j = 0; j < 36; j += 4) positions[k++] = dv.getFloat32(o + j, true);
    }
    const box = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
    const bad = widenBounds(positions, from * 9, to * 9, box);
    if (scale !== 1 && bad === 0) for (let i = from * 9; i < to * 9; i++) positions[i] *= scale;
    scans.set([...box, bad], item * SCAN);
  },
};
