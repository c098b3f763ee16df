// Render helper threads: idle until a pipeline thread draws a big mesh, then they take a share of its reading,
// drawing and encoding (render/work-share.ts). One set per process, lent to every foreground thread's task.
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { LentPort } from './render-helper-entry.js';

export class RenderHelpers {
  private readonly threads: Worker[] = [];
  /** resolves once every helper has loaded its code */
  readonly ready: Promise<void>;

  constructor(count: number) {
    const started: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const thread = new Worker(fileURLToPath(new URL('./render-helper-thread.cjs', import.meta.url)), {
        // as the pool's threads: tsx's loader, and quiet about three's CommonJS build
        execArgv: ['--import', 'tsx', '--disable-warning=THREE_CJS_DEPRECATED'],
        // the frames and meshes a helper works on are the owner's (shared memory): its own heap stays small
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      });
      // a helper never keeps a process alive; one that ends is no longer lent (owners do its share themselves)
      thread.unref();
      thread.on('error', () => undefined);
      const ended = new Promise<void>((resolve) =>
        thread.on('exit', () => {
          const i = this.threads.indexOf(thread);
          if (i >= 0) this.threads.splice(i, 1);
          resolve();
        }),
      );
      started.push(Promise.race([new Promise<void>((resolve) => thread.once('message', () => resolve())), ended]));
      this.threads.push(thread);
    }
    this.ready = Promise.all(started).then(() => {
      this.started = true;
    });
  }

  /** Every helper has loaded its code (or ended). */
  started = false;

  get count(): number {
    return this.threads.length;
  }

  /** A port to each helper, for one task (transfer them with it; the task closes them when done). */
  lend(): MessagePort[] {
    return this.threads.map((thread) => {
      const { port1, port2 } = new MessageChannel();
      const lent: LentPort = { port: port2 };
      thread.postMessage(lent, [port2]);
      return port1;
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }
}
