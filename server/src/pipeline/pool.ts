// The worker-thread pool (piscina): CPU work off the event loop, buffers transferred, a time limit per task
// enforced by ending the thread.
import { Piscina } from 'piscina';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import type {
  EncodedPreview,
  ProcessFileResult,
  ProcessFileFailure,
  ProcessFileTask,
  VersionThumbnailResult,
  VersionThumbnailTask,
  BoardTask,
  BoardTaskResult,
  BoardLayerTask,
} from './thread.js';
import type { BoardPicture } from '../electronics/render.js';
import type { VisualDiffResult, VisualDiffTask } from './visual-diff-task.js';
import { PermanentJobError } from './job-kinds.js';
import type { Transferable } from 'node:worker_threads';
import type { ThreadData, WarmedUpMessage } from './thread-entry.js';
import type { WarmUpOptions, WarmUpReport } from './thread-warm-up.js';
import type { RenderHelpers } from './render-helpers.js';

export class TaskTimeoutError extends Error {
  constructor(ms: number) {
    super(`processing took longer than the limit of ${Math.round(ms / 1000)} s and was stopped`);
    this.name = 'TaskTimeoutError';
  }
}

/** The thread ran out of its heap on this task: the same bytes would again, so it is never retried. */
export class TaskOutOfMemoryError extends PermanentJobError {
  constructor(heapMb: number) {
    super(`processing needed more than the limit of ${heapMb} MB of memory and was stopped`);
    this.name = 'TaskOutOfMemoryError';
  }
}

export interface ThreadPoolOptions {
  /** start every thread at once, keep them all, and warm each up before its first task (a pipeline worker's pool) */
  warmUp?: WarmUpOptions;
  /** how much lower the threads' CPU priority is than the process's (a background lane's pool) */
  niceIncrement?: number;
  /** helper threads lent to every processFile task: a big mesh is read and drawn on them too */
  helpers?: RenderHelpers;
}

export class ThreadPool {
  private readonly piscina: Piscina;
  /** resolves with each thread's report once every thread of the pool has warmed up (at once without `warmUp`) */
  readonly warmedUp: Promise<WarmUpReport[]>;
  private warmThreads = 0;
  private readonly warms: boolean;
  private readonly helpers: RenderHelpers | undefined;
  private inFlight = 0;

  constructor(
    private readonly size: number,
    private readonly timeoutMs: number,
    private readonly heapMb = 1024,
    options: ThreadPoolOptions = {},
  ) {
    this.warms = options.warmUp !== undefined;
    this.helpers = options.helpers;
    const threadData: ThreadData = { warmUp: options.warmUp ?? null, niceIncrement: options.niceIncrement ?? 0 };
    this.piscina = new Piscina({
      filename: fileURLToPath(new URL('./thread-entry.ts', import.meta.url)),
      // a warm pool keeps every thread: one started later (or again after idling out) would be cold for its first task;
      // another starts threads when tasks come (an API process alone, which rarely draws)
      minThreads: options.warmUp ? size : 0,
      maxThreads: size,
      workerData: threadData,
      // worker threads do not inherit tsx's loader. piscina require()s the entry, so tsx loads the thread's modules
      // as CommonJS, three's CJS build among them: its deprecation notice would print once per thread start and
      // say nothing an operator can act on
      execArgv: ['--import', 'tsx', '--disable-warning=THREE_CJS_DEPRECATED'],
      idleTimeout: 60_000,
      // a thread past its heap dies alone (ERR_WORKER_OUT_OF_MEMORY) and piscina starts another; without a limit one
      // hostile file grew the whole process by gigabytes
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, heapMb / 4) },
      // one task at a time per thread (piscina's default, relied on): a thread's kept read buffer and preview frames
      // belong to the task it runs
      concurrentTasksPerWorker: 1,
    });
    const reports: WarmUpReport[] = [];
    this.warmedUp = options.warmUp
      ? new Promise((resolve) => {
          // a thread started later (replacing one that ran out of memory or time) warms up too, and reports again
          this.piscina.on('message', (m: Partial<WarmedUpMessage> | null) => {
            if (!m?.warmedUp) return;
            reports.push(m.warmedUp);
            if (++this.warmThreads === size) resolve(reports);
          });
        })
      : Promise.resolve([]);
  }

  /** Every thread has warmed up (always, for a pool that does not warm up). */
  get warm(): boolean {
    return !this.warms || this.warmThreads >= this.size;
  }

  /**
   * One file's facts and previews. With `onPreview`, each preview is handed over as soon as the thread has encoded
   * it (through a MessagePort), while the thread goes on to a mesh's facts; every preview of the result has been
   * handed over when this resolves.
   */
  async processFile(
    task: ProcessFileTask,
    timeoutMs = this.timeoutMs,
    onPreview?: (p: EncodedPreview) => void,
  ): Promise<ProcessFileResult | ProcessFileFailure> {
    const signal = AbortSignal.timeout(timeoutMs);
    const transfer: Transferable[] = task.bytes ? [task.bytes.buffer as ArrayBuffer] : [];
    let channel: MessageChannel | undefined;
    let received = 0;
    let onReceived: (() => void) | undefined;
    if (onPreview) {
      channel = new MessageChannel();
      channel.port1.on('message', (p: EncodedPreview) => {
        received++;
        onPreview(p);
        onReceived?.();
      });
      transfer.push(channel.port2);
    }
    // a port to each helper, whether the file turns out big or not (lending one costs ~0.1 ms; the size of its mesh is
    // known only once the thread has read it)
    const helpers = this.helpers?.lend() ?? [];
    transfer.push(...helpers);
    try {
      const result: ProcessFileResult | ProcessFileFailure = await this.run(
        { ...task, ...(channel ? { previewPort: channel.port2 } : {}), ...(helpers.length ? { helpers } : {}) },
        { signal, transferList: transfer },
      );
      // the result and the previews travel on different ports: wait for the ones still on their way
      if (channel && result.ok && received < result.previews.length) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5_000);
          onReceived = () => {
            if (received >= result.previews.length) {
              clearTimeout(timer);
              resolve();
            }
          };
        });
      }
      return result;
    } catch (err) {
      throw this.failure(err, signal, timeoutMs);
    } finally {
      channel?.port1.close();
    }
  }

  async visualDiff(task: VisualDiffTask, timeoutMs = this.timeoutMs): Promise<VisualDiffResult> {
    const signal = AbortSignal.timeout(timeoutMs);
    const transfer = [task.before.bytes.buffer as ArrayBuffer, task.after.bytes.buffer as ArrayBuffer];
    try {
      return await this.run(task, { name: 'visualDiffTask', signal, transferList: transfer });
    } catch (err) {
      throw this.failure(err, signal, timeoutMs);
    }
  }

  /** The version thumbnail and whole-version GLB (thread.ts `versionThumbnail`), under the same time limit. */
  async versionThumbnail(
    task: VersionThumbnailTask,
    timeoutMs = this.timeoutMs,
  ): Promise<VersionThumbnailResult | null> {
    const signal = AbortSignal.timeout(timeoutMs);
    const transfer = [...new Set(task.files.map((f) => f.bytes.buffer as ArrayBuffer))];
    try {
      return await this.run(task, { name: 'versionThumbnail', signal, transferList: transfer });
    } catch (err) {
      throw this.failure(err, signal, timeoutMs);
    }
  }

  /** A circuit board's pictures and facts (thread.ts `boardTask`), under the same time and heap limits as a file. */
  async processBoard(task: BoardTask, timeoutMs = this.timeoutMs): Promise<BoardTaskResult> {
    const signal = AbortSignal.timeout(timeoutMs);
    const transfer = [...new Set(task.files.map((f) => f.bytes.buffer as ArrayBuffer))];
    try {
      return await this.run(task, { name: 'boardTask', signal, transferList: transfer });
    } catch (err) {
      throw this.failure(err, signal, timeoutMs);
    }
  }

  /** One layer's picture of a drawn board (thread.ts `boardLayerTask`), asked for by a request: the same limits. */
  async boardLayer(task: BoardLayerTask, timeoutMs = this.timeoutMs): Promise<BoardPicture> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await this.run(task, { name: 'boardLayerTask', signal });
    } catch (err) {
      throw this.failure(err, signal, timeoutMs);
    }
  }

  /** Tasks handed to the threads and not yet settled (running or queued in piscina). */
  get tasks(): number {
    return this.inFlight;
  }

  private async run<T>(task: unknown, options: Parameters<Piscina['run']>[1]): Promise<T> {
    this.inFlight++;
    try {
      return (await this.piscina.run(task, options)) as T;
    } finally {
      this.inFlight--;
    }
  }

  /** Why a task's thread ended: the time limit, the heap limit, or something else (as it is). */
  private failure(err: unknown, signal: AbortSignal, timeoutMs: number): unknown {
    if (signal.aborted) return new TaskTimeoutError(timeoutMs);
    if ((err as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY')
      return new TaskOutOfMemoryError(this.heapMb);
    return err;
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}

/**
 * Bytes a task can take to its thread: a blob read into a buffer of its own (every large one) is handed over as it
 * is; one sharing Node's small-buffer pool is copied, since transferring would take the pool with it. (Copying every
 * blob cost ~150 ms for a 50 MB mesh here, most of it faulting in fresh memory.)
 */
export function transferable(buf: Buffer): Uint8Array {
  return buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength
    ? new Uint8Array(buf.buffer, 0, buf.byteLength)
    : new Uint8Array(buf);
}
