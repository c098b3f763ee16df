// Bench-only worker-thread entry (piscina): a preview's steps on one stored mesh — the blob's read, the parse into
// fresh or kept positions, the 512 px draw, the PNG — timed inside a thread as the pipeline's own runs them, and the
// thread's memory, for bench/overlap.ts and bench/memory.ts. Not a benchmark itself (no run()).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import processFileTask from '../server/src/pipeline/thread-entry.js';
import { readFileKept } from '../server/src/pipeline/thread-read.js';
import { keptPositions } from '../server/src/pipeline/thread-positions.js';
import { readStl } from '../server/src/cad/stl.js';
import { defaultReadLimits } from '../server/src/cad/types.js';
import { encodePreview, renderPreview } from '../server/src/render/preview.js';

export default processFileTask;

export interface StepTimes {
  read: number;
  parse: number;
  draw: number;
  encode: number;
}

export async function previewSteps(task: { file: string; kept: boolean }): Promise<StepTimes> {
  let t = performance.now();
  const bytes = readFileKept(task.file);
  const read = performance.now() - t;
  t = performance.now();
  const { mesh } = readStl(bytes, defaultReadLimits, task.kept ? { allocatePositions: keptPositions } : {});
  const parse = performance.now() - t;
  t = performance.now();
  const image = renderPreview(mesh, { size: 512, background: 'light' });
  const draw = performance.now() - t;
  t = performance.now();
  await encodePreview(image.rgba, image.width, 'png', image.opaque);
  return { read, parse, draw, encode: performance.now() - t };
}

export interface ThreadMemory {
  /** the whole process's resident set now and at its peak (threads share it) */
  rss: number;
  peakRss: number;
  /** this thread's heap, and the array buffers and other memory outside it that its objects hold */
  heapUsed: number;
  external: number;
}

// a worker cannot be started with --expose-gc: the flag is set at run time and gc taken from a fresh context
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** This thread's memory, after a full collection. */
export function threadMemory(): ThreadMemory {
  collect();
  const m = process.memoryUsage();
  return { rss: m.rss, peakRss: process.resourceUsage().maxRSS * 1024, heapUsed: m.heapUsed, external: m.external };
}
