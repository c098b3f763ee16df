// What a new version changes against the one it starts from, shown before it is published.
import type { VersionDiff } from '../version-diff';
import { FileChanges, ManifestChanges } from './ChangeLists';

function bomSentence(bom: VersionDiff['bom']): string {
  switch (bom.change) {
    case 'unchanged':
      return `Unchanged: ${bom.from} is kept as it is.`;
    case 'replaced':
      return `Replaced: ${bom.from} → ${bom.to}.`;
    case 'added':
      return `Added: ${bom.to}.`;
    case 'removed':
      return `Removed: the new version has no BOM (it had ${bom.from}).`;
    default:
      return 'No BOM, as before.';
  }
}

export function NewVersionDiff({ from, diff }: { from: string; diff: VersionDiff }) {
  const fileChanges = [
    ...diff.files.added.map((path) => ({ path, change: 'added' })),
    ...diff.files.removed.map((path) => ({ path, change: 'removed' })),
    ...diff.files.changed.map((path) => ({ path, change: 'changed' })),
  ];
  return (
    <div class="new-version-diff">
      <FileChanges value={fileChanges} />
      <ManifestChanges value={diff.manifest} />
      <section class="section" aria-labelledby="bom-change">
        <h2 id="bom-change">Bill of materials</h2>
        <p class={diff.bom.change === 'unchanged' || diff.bom.change === 'none' ? 'muted' : undefined}>
          {bomSentence(diff.bom)}
        </p>
      </section>
      {diff.dropped.length > 0 && (
        <div class="notice notice-warning">
          <p>
            <strong>This version drops what {from} gave builders:</strong>
          </p>
          <ul>
            {diff.dropped.map((warning) => (
              <li key={warning.field}>{warning.message}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
