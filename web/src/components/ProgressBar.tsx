// A labelled progress bar (native <progress>) with its percentage in text.
import { t } from '../i18n';

/** A state shown in words instead of the percentage ("processing", "done"). */
function stateLabel(state: string): string {
  const keys: Record<string, string> = { processing: 'progressBar.processing', done: 'progressBar.done' };
  return keys[state] ? t(keys[state]) : state;
}

export function ProgressBar({
  label,
  value,
  max = 1,
  state,
}: {
  label: string;
  value: number;
  max?: number;
  state?: string;
}) {
  const fraction = max > 0 ? Math.min(1, value / max) : 0;
  const percent = Math.round(fraction * 100);
  return (
    <div class={`progress ${state ? `progress-${state}` : ''}`}>
      <div class="progress-label">
        <span class="progress-name">{label}</span>
        <span class="progress-value">
          {state && state !== 'uploading' ? stateLabel(state) : t('progressBar.percent', { percent })}
        </span>
      </div>
      <progress max={100} value={percent} aria-label={t('progressBar.label', { label, percent })} />
    </div>
  );
}
