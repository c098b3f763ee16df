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

/**
 * What crosses processes: a pipeline event, a change of stored data, or an enqueued job. A change names the designs
 * (`owner/slug`) it touched when it can say; a change without names may have touched anything.
 */
export type BusMessage =
  | { kind: 'pipeline'; event: PipelineEvent }
  | { kind: 'changed'; designs?: string[] }
  | { kind: 'enqueued' }
  | { kind: 'notified'; users: string[] };

/**
 * What a change touched: the designs it names (`owner/slug`), or `undefined` when it cannot say — whatever was derived
 * from stored data may be stale then.
 */
export type ChangedDesigns = readonly string[] | undefined;

/** More names than this in one change: it is sent as "anything" (a relay message has a size limit). */
const MAX_NAMED_DESIGNS = 50;

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
      // messages may have been missed: which designs they named is unknown
      () => this.emitter.emit('changed', undefined),
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

  /**
   * Stored data changed (a write, a job's outcome): whatever was derived from it may be stale. `designs` names the
   * designs (`owner/slug`) the change touched, when it touched those alone (besides lists and search, which depend on
   * every design); without it, anything may have changed.
   */
  changed(designs?: readonly string[]): void {
    const named = designs && designs.length <= MAX_NAMED_DESIGNS ? { designs: [...designs] } : {};
    this.send({ kind: 'changed', ...named });
  }

  onChanged(listener: (designs: ChangedDesigns) => void): () => void {
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

  /** These people were told something (their notifications, committed): their own event streams say so. */
  notified(userIds: readonly string[]): void {
    // a relay message has a size limit: a change told to very many people goes out in parts
    for (let i = 0; i < userIds.length; i += MAX_NAMED_DESIGNS)
      this.send({ kind: 'notified', users: userIds.slice(i, i + MAX_NAMED_DESIGNS) });
  }

  onNotified(listener: (userIds: readonly string[]) => void): () => void {
    this.emitter.on('notified', listener);
    return () => this.emitter.off('notified', listener);
  }

  private send(message: BusMessage): void {
    this.deliver(message);
    this.relay?.send(message);
  }

  private deliver(message: BusMessage): void {
    if (message.kind === 'pipeline') {
      this.emitter.emit('event', message.event);
      // a file or version changed state: the documents of its design showing it did too
      const design = message.event.design;
      this.emitter.emit('changed', typeof design === 'string' ? [design] : undefined);
    } else if (message.kind === 'changed') {
      // from another process, a message is only as trustworthy as its shape: names that are not strings are "anything"
      const named = Array.isArray(message.designs) && message.designs.every((d) => typeof d === 'string');
      this.emitter.emit('changed', named ? message.designs : undefined);
    } else if (message.kind === 'notified') {
      // from another process: only a list of ids is a list of people
      if (Array.isArray(message.users) && message.users.every((u) => typeof u === 'string'))
        this.emitter.emit('notified', message.users);
    } else {
      this.emitter.emit(message.kind);
    }
  }
}
