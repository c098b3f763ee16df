// A big mesh on a worker thread with helpers lent to its task: read (binary STL) and drawn with them, the same bytes
// and pixels as on the thread alone.
import { readCad } from '../cad/read.js';
import { binaryStlTriangles, readBinaryStlShared } from '../cad/stl-shared.js';
import type { Mesh, ReadLimits, ReadResult } from '../cad/types.js';
import type { ReadOptions } from '../cad/result.js';
import type { Preview, PreviewSize } from '../render/preview.js';
import { renderPreviewShared, shareMesh } from '../render/shared-preview.js';
import type { WorkShare } from '../render/work-share.js';

/**
 * Meshes of this many triangles or more are shared out. Below it the messages and merges cost about what a second
 * thread saves (a 100 k-triangle preview takes ~30 ms on one thread here).
 */
export const SHARED_MIN_TRIANGLES = 200_000;

/** The size of a binary STL with SHARED_MIN_TRIANGLES: a file this big is read into shared memory. */
export const SHARED_MIN_STL_BYTES = 84 + 50 * SHARED_MIN_TRIANGLES;

/** Bytes the readers may turn into text: TextDecoder refuses a view of shared memory, so such a view is copied. */
export function unshared(bytes: Uint8Array): Uint8Array {
  return bytes.buffer instanceof SharedArrayBuffer ? new Uint8Array(bytes) : bytes;
}

function inSharedMemory(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  copy.set(bytes);
  return copy;
}

/** An STL: a big binary one is decoded by every thread of `share`, any other by readCad as usual. */
export async function readStlWith(
  bytes: Uint8Array,
  filename: string,
  limits: ReadLimits,
  opts: ReadOptions,
  share: WorkShare,
): Promise<ReadResult> {
  const triangles = binaryStlTriangles(bytes);
  if (triangles !== null && triangles >= SHARED_MIN_TRIANGLES && triangles <= limits.maxTriangles)
    return readBinaryStlShared(inSharedMemory(bytes), limits, opts, share);
  return readCad(bytes, filename, limits, opts);
}

/** How a mesh's previews are drawn: with `share`'s threads when it is big (copied once into shared memory if it is
 *  not there yet), else `alone`. */
export function drawWith(share: WorkShare, alone: (mesh: Mesh, size: PreviewSize) => Preview) {
  const shared = new WeakMap<Mesh, Mesh>();
  return (mesh: Mesh, size: PreviewSize): Preview => {
    if (mesh.positions.length / 9 < SHARED_MIN_TRIANGLES) return alone(mesh, size);
    let inShared = shared.get(mesh);
    if (!inShared) shared.set(mesh, (inShared = shareMesh(mesh)));
    return renderPreviewShared(inShared, { size, background: 'light' }, share);
  };
}
