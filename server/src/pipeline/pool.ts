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
} from './thread.js';
import type { VisualDiffResult, VisualDiffTask } from './visual-diff-task.js';
import type { Transferable } from 'node:worker_threads';

export class TaskTimeoutError extends Error {
  constructor(ms: number) {
    super(`processing took longer than the limit of ${Math.round(ms / 1000)} s and was stopped`);
    this.name = 'TaskTimeoutError';
  }
}

export class ThreadPool {
  private readonly piscina: Piscina;

  constructor(
    size: number,
    private readonly timeoutMs: number,
  ) {
    this.piscina = new Piscina({
      filename: fileURLToPath(new URL('./thread.ts', import.meta.url)),
      minThreads: 1,
      maxThreads: size,
      // worker threads do not inherit tsx's loader. piscina require()s the entry, so tsx loads the thread's modules
      // as CommonJS, three's CJS build among them: its deprecation notice would print once per thread start and
      // say nothing an operator can act on
      execArgv: ['--import', 'tsx', '--disable-warning=THREE_CJS_DEPRECATED'],
      idleTimeout: 60_000,
      // one task at a time per thread (piscina's default, relied on): a thread's kept read buffer and preview frames
      // belong to the task it runs
      concurrentTasksPerWorker: 1,
    });
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
    try {
      const result: ProcessFileResult | ProcessFileFailure = await this.piscina.run(
        channel ? { ...task, previewPort: channel.port2 } : task,
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
      if (signal.aborted) throw new TaskTimeoutError(timeoutMs);
      throw err;
    } finally {
      channel?.port1.close();
    }
  }

  async visualDiff(task: VisualDiffTask, timeoutMs = this.timeoutMs): Promise<VisualDiffResult> {
    const signal = AbortSignal.timeout(timeoutMs);
    const transfer = [task.before.bytes.buffer as ArrayBuffer, task.after.bytes.buffer as ArrayBuffer];
    try {
      return await this.piscina.run(task, { name: 'visualDiffTask', signal, transferList: transfer });
    } catch (err) {
      if (signal.aborted) throw new TaskTimeoutError(timeoutMs);
      throw err;
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
      return await this.piscina.run(task, { name: 'versionThumbnail', signal, transferList: transfer });
    } catch (err) {
      if (signal.aborted) throw new TaskTimeoutError(timeoutMs);
      throw err;
    }
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
