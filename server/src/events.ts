// In-process event bus for live progress (SSE): the pipeline publishes, /api/events subscribers listen.
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
  at: string;
}

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: Omit<PipelineEvent, 'at'>): void {
    this.emitter.emit('event', { ...event, at: new Date().toISOString() });
  }

  subscribe(listener: (e: PipelineEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
