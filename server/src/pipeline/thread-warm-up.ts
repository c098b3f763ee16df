// What a worker thread does before its first task: OpenCascade started, and a small mesh read, measured, drawn at the
// preview sizes, encoded and written as a GLB, so the first user's file finds the code compiled, the WASM instantiated,
// libvips started and the preview frames allocated (a first publish after a start took ~2.9 s against ~0.6 s warm).
import { getPriority, setPriority } from 'node:os';
import { threadId } from 'node:worker_threads';
import * as THREE from 'three';
import { occt } from '../cad/occt.js';
import { meshFromGeometry } from '../cad/mesh.js';
import { writeStlBinary } from '../cad/write/stl.js';
import type { PreviewSize } from '../render/preview.js';
import processFileTask from './thread.js';

export interface WarmUpOptions {
  /** the sizes and formats the pipeline's previews are made in */
  sizes: PreviewSize[];
  formats: ('png' | 'webp')[];
}

export interface WarmUpReport {
  threadId: number;
  ms: number;
  /** the thread's CPU priority (nice) it works at */
  nice: number;
  /** why the warm-up could not finish (the thread still works: its first task pays what was left) */
  error?: string;
}

/** Lowers this thread's CPU priority by `increment` (on Linux a nice value is per thread: the others keep theirs). */
export function lowerThreadPriority(increment: number): void {
  if (increment <= 0) return;
  try {
    setPriority(Math.min(19, getPriority() + increment));
  } catch {
    // not permitted here: the thread works at the process's priority
  }
}

export async function warmUpThread(options: WarmUpOptions): Promise<WarmUpReport> {
  const started = performance.now();
  let error: string | undefined;
  try {
    await occt();
    const knot = meshFromGeometry([{ name: 'warm-up', geometry: new THREE.TorusKnotGeometry(10, 3, 64, 8) }]);
    const result = await processFileTask({
      bytes: new Uint8Array(writeStlBinary(knot, 'warm-up')),
      filename: 'warm-up.stl',
      sizes: options.sizes,
      formats: options.formats,
      glb: true,
    });
    if (!result.ok) error = result.message;
  } catch (err) {
    error = (err as Error).message ?? String(err);
  }
  return { threadId, ms: Math.round(performance.now() - started), nice: getPriority(), ...(error ? { error } : {}) };
}
