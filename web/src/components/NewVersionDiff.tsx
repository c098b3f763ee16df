// What a new version changes against the one it starts from, shown before it is published.
import type { VersionDiff } from '../version-diff';
import { FileChanges, ManifestChanges } from './ChangeLists';
import { t } from '../i18n';
import { versionWarningText } from '../version-warning-text';

function bomSentence(bom: VersionDiff['bom']): string {
  const values = { from: bom.from, to: bom.to };
  switch (bom.change) {
    case 'unchanged':
      return t('newVersionDiff.bom.unchanged', values);
    case 'replaced':
      return t('newVersionDiff.bom.replaced', values);
    case 'added':
      return t('newVersionDiff.bom.added', values);
    case 'removed':
      return t('newVersionDiff.bom.removed', values);
    default:
      return t('newVersionDiff.bom.none');
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
        <h2 id="bom-change">{t('newVersionDiff.bomHeading')}</h2>
        <p class={diff.bom.change === 'unchanged' || diff.bom.change === 'none' ? 'muted' : undefined}>
          {bomSentence(diff.bom)}
        </p>
      </section>
      {diff.dropped.length > 0 && (
        <div class="notice notice-warning">
          <p>
            <strong>{t('newVersionDiff.dropped', { version: from })}</strong>
          </p>
          <ul>
            {diff.dropped.map((warning) => (
              <li key={warning.field}>{versionWarningText(warning)}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
