// Version selector of a design: every version with yanked ones marked; choosing one navigates to it.
import type { VersionSummary } from '../api-types';
import { designUrl, navigate } from '../router';

type Props = { owner: string; slug: string; versions: VersionSummary[]; current: string };

export function VersionPicker({ owner, slug, versions, current }: Props) {
  if (versions.length === 0) return null;
  return (
    <label class="field field-inline version-picker">
      <span class="field-label">Version</span>
      <select value={current} onChange={(event) => navigate(designUrl(owner, slug, event.currentTarget.value))}>
        {versions.map((version) => (
          <option key={version.version} value={version.version}>
            {version.version}
            {version.state === 'yanked' ? ' (yanked)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
