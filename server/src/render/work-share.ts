// Work one thread shares with helper threads: a phase is a number of items, claimed from a counter in shared memory
// by whichever thread is free. The owning thread always works through the items too, so a helper that is busy (with
// another thread's job) or slow to wake makes a phase take longer, never stall.
import type { MessagePort } from 'node:worker_threads';

/** One kind of shareable work: `run` does item `item` of a phase; `slot` names the thread doing it (owner 0). */
export interface SharedPhase<A> {
  name: string;
  run(args: A, item: number, slot: number): void;
}

interface PhaseMessage {
  phase: string;
  args: unknown;
  items: number;
  sync: Int32Array;
  slot: number;
}

// the phase's shared counters: the next unclaimed item, the items finished, and whether any failed
const NEXT = 0;
const DONE = 1;
const FAILED = 2;

/** How long the owner waits for an item a helper has claimed: a helper that died mid-item fails the phase. */
const CLAIMED_ITEM_LIMIT_MS = 60_000;

export class WorkShare {
  /**
   * `ports` lead to helper threads serving `serveWorkShare` (none: the owner does every item itself, which is how
   * the single-thread path and a phase with no free helper run).
   */
  constructor(private readonly ports: MessagePort[] = []) {}

  /** Threads that may take part: the owner and its helpers (slots 0 … participants − 1). */
  get participants(): number {
    return this.ports.length + 1;
  }

  /** Runs `items` items of `phase` on this thread and any helper that is free; returns when all are done. */
  run<A>(phase: SharedPhase<A>, args: A, items: number): void {
    const sync = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
    this.ports.forEach((port, i) => {
      const message: PhaseMessage = { phase: phase.name, args, items, sync, slot: i + 1 };
      port.postMessage(message);
    });
    const error = workThrough(phase, args, items, sync, 0);
    // the items still running are a helper's: wait for them (without spinning), even after an error here, so no
    // helper is still writing into buffers the owner goes on to use
    const waitStarted = performance.now();
    for (let done = Atomics.load(sync, DONE); done < items; done = Atomics.load(sync, DONE)) {
      Atomics.wait(sync, DONE, done, 1000);
      if (performance.now() - waitStarted > CLAIMED_ITEM_LIMIT_MS)
        throw new Error(`a helper thread did not finish its part of "${phase.name}" within a minute`);
    }
    if (error) throw error;
    if (Atomics.load(sync, FAILED)) throw new Error(`a helper thread failed in "${phase.name}"`);
  }

  /** The helpers forget this owner (they keep serving others). */
  close(): void {
    for (const port of this.ports) port.close();
  }
}

/** Claims and runs items until none are left; the first error of this thread is returned, after counting its item. */
function workThrough<A>(phase: SharedPhase<A>, args: A, items: number, sync: Int32Array, slot: number): unknown {
  let error: unknown;
  for (;;) {
    const item = Atomics.add(sync, NEXT, 1);
    if (item >= items) return error;
    try {
      if (!error) phase.run(args, item, slot);
    } catch (err) {
      error = err;
      Atomics.store(sync, FAILED, 1);
    }
    Atomics.add(sync, DONE, 1);
    Atomics.notify(sync, DONE);
  }
}

/** A helper's side: runs the items it can claim of every phase posted on `port` (phases it knows by name). */
export function serveWorkShare(port: MessagePort, phases: SharedPhase<never>[]): void {
  const byName = new Map(phases.map((p) => [p.name, p as SharedPhase<unknown>]));
  port.on('message', (m: PhaseMessage) => {
    const phase = byName.get(m.phase);
    if (!phase) {
      // not this helper's to do: the owner does the items itself
      return;
    }
    workThrough(phase, m.args, m.items, m.sync, m.slot);
  });
}
