// Starts one of interop's own threads (manifest detection, unzipping an import): work that takes seconds on big
// uploads and must never run on the API's event loop.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const tsxCjs = createRequire(import.meta.url).resolve('tsx/cjs');

/**
 * Worker threads do not inherit tsx's loader, and its ESM hooks are not ready for a thread's entry: the thread
 * registers tsx's require hook and require()s its entry, as piscina does for the pipeline's threads.
 */
export function startThread(entry: URL): Worker {
  const worker = new Worker(`require(${JSON.stringify(tsxCjs)}); require(${JSON.stringify(fileURLToPath(entry))})`, {
    eval: true,
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  worker.unref();
  return worker;
}
