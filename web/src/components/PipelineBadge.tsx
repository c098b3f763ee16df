// The coloured chip showing a file's or a version's pipeline state (queued, running, done, failed).
import type { PipelineState } from '../api-types';
import { t } from '../i18n';

function label(state: PipelineState): string {
  const keys: Record<PipelineState, string> = {
    queued: 'pipelineBadge.queued',
    running: 'pipelineBadge.running',
    done: 'pipelineBadge.done',
    failed: 'pipelineBadge.failed',
  };
  return keys[state] ? t(keys[state]) : state;
}

export function PipelineBadge({ state }: { state: PipelineState | undefined }) {
  if (!state) return null;
  return <span class={`badge badge-${state}`}>{label(state)}</span>;
}
