// The event bus: pipeline progress (SSE), "something changed" (response caches) and "a job was enqueued" (sleeping
// workers). In-process always; across processes (API replicas, separate workers) through a relay when one is
// connected — PostgreSQL's LISTEN/NOTIFY (db/pg-relay.ts). PGlite is single-process and needs none.
import { EventEmitter } from 'node:events';

export interface PipelineEvent {
  type: 'file' | 'version' | 'job';
  /** owner/slug of the design the event is about */
  design: string;
  version?: string;
  path?: string;
  state?: string;
  progress?: number;
  error?: string;
  jobId?: string;
  /** a job event's job kind (`version-thumbnail`, …) */
  kind?: string;
  at: string;
}

/** What crosses processes: a pipeline event, a change of stored data, or an enqueued job. */
export type BusMessage = { kind: 'pipeline'; event: PipelineEvent } | { kind: 'changed' } | { kind: 'enqueued' };

/** Carries bus messages to the other processes sharing the database, and theirs to us. */
export interface Relay {
  send(message: BusMessage): void;
  /** `onMessage` for every other process's message; `onGap` after a reconnect (messages may have been missed). */
  listen(onMessage: (message: BusMessage) => void, onGap: () => void): Promise<void>;
  close(): Promise<void>;
}

/** Error texts can be long; a relay message has a size limit (NOTIFY: 8,000 bytes). */
const MAX_ERROR_CHARS = 1000;

export class EventBus {
  private readonly emitter = new EventEmitter();
  private relay: Relay | undefined;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** From now on, messages also go to and come from the other processes behind `relay`. */
  async connect(relay: Relay): Promise<void> {
    await relay.listen(
      (m) => this.deliver(m),
      () => this.emitter.emit('changed'),
    );
    this.relay = relay;
  }

  async close(): Promise<void> {
    await this.relay?.close();
    this.relay = undefined;
  }

  publish(event: Omit<PipelineEvent, 'at'>): void {
    const e: PipelineEvent = {
      ...event,
      ...(event.error ? { error: event.error.slice(0, MAX_ERROR_CHARS) } : {}),
      at: new Date().toISOString(),
    };
    this.send({ kind: 'pipeline', event: e });
  }

  subscribe(listener: (e: PipelineEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** Stored data changed (a write, a job's outcome): whatever was derived from it may be stale. */
  changed(): void {
    this.send({ kind: 'changed' });
  }

  onChanged(listener: () => void): () => void {
    this.emitter.on('changed', listener);
    return () => this.emitter.off('changed', listener);
  }

  /** A job was enqueued: workers here and elsewhere stop sleeping. */
  enqueued(): void {
    this.send({ kind: 'enqueued' });
  }

  onEnqueued(listener: () => void): () => void {
    this.emitter.on('enqueued', listener);
    return () => this.emitter.off('enqueued', listener);
  }

  private send(message: BusMessage): void {
    this.deliver(message);
    this.relay?.send(message);
  }

  private deliver(message: BusMessage): void {
    if (message.kind === 'pipeline') {
      this.emitter.emit('event', message.event);
      // a file or version changed state: the documents showing it did too
      this.emitter.emit('changed');
    } else {
      this.emitter.emit(message.kind);
    }
  }
}
