// Version selector of a design: every version with yanked ones marked; choosing one navigates to it.
import type { VersionSummary } from '../api-types';
import { t } from '../i18n';
import { designUrl, navigate } from '../router';
import { SelectField } from './SelectField';

type Props = { owner: string; slug: string; versions: VersionSummary[]; current: string };

export function VersionPicker({ owner, slug, versions, current }: Props) {
  if (versions.length === 0) return null;
  return (
    <SelectField
      label={t('versionPicker.label')}
      class="version-picker"
      value={current}
      onChange={(value) => navigate(designUrl(owner, slug, value))}
    >
      {versions.map((version) => (
        <option key={version.version} value={version.version}>
          {version.state === 'yanked' ? t('versionPicker.yanked', { version: version.version }) : version.version}
        </option>
      ))}
    </SelectField>
  );
}
