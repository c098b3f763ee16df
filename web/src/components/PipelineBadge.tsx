// The coloured chip showing a file's or a version's pipeline state (queued, running, done, failed).
import type { PipelineState } from '../api-types';

const labels: Record<PipelineState, string> = {
  queued: 'queued',
  running: 'processing',
  done: 'ready',
  failed: 'failed',
};

export function PipelineBadge({ state }: { state: PipelineState | undefined }) {
  if (!state) return null;
  return <span class={`badge badge-${state}`}>{labels[state] ?? state}</span>;
}
