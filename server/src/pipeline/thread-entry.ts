// The worker thread's entry (piscina's filename): the thread takes its priority and warms up (workerData) before
// piscina hands it a task, then runs the tasks of thread.ts.
import { parentPort, workerData } from 'node:worker_threads';
import processFileTask from './thread.js';
import { lowerThreadPriority, warmUpThread, type WarmUpOptions, type WarmUpReport } from './thread-warm-up.js';

export { boardLayerTask, boardTask, versionThumbnail, visualDiffTask } from './thread.js';

export interface ThreadData {
  /** warm up before the first task, and post the report to the pool */
  warmUp: WarmUpOptions | null;
  /** how much lower than the process's this thread's CPU priority is (background work) */
  niceIncrement: number;
}

/** What the thread posts to the pool once it is warm. */
export interface WarmedUpMessage {
  warmedUp: WarmUpReport;
}

// piscina awaits a promised default export before the thread reports ready and takes its first task
export default (async () => {
  const data = workerData as ThreadData | undefined;
  lowerThreadPriority(data?.niceIncrement ?? 0);
  if (data?.warmUp) {
    const message: WarmedUpMessage = { warmedUp: await warmUpThread(data.warmUp) };
    parentPort?.postMessage(message);
  }
  return processFileTask;
})();
