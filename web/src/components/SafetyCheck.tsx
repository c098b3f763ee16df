// The reviewer's safety check: a box to tick, required to approve a safety-critical design, with the design's own
// safety points beside it so the reviewer knows what the check is against.
import { versionPath } from '../api';
import type { VersionDocument } from '../api-types';
import type { DesignRef } from '../format';
import { useApi } from '../use-api';
import { t } from '../i18n';

type Props = {
  design: DesignRef | null;
  critical: boolean;
  required: boolean;
  checked: boolean;
  onChange: (checked: boolean) => void;
};

export function SafetyCheck({ design, critical, required, checked, onChange }: Props) {
  const version = useApi<VersionDocument>(
    critical && design?.version ? versionPath(design.owner, design.slug, design.version) : null,
  );
  const safety = version.status === 'ok' ? version.data.manifest.safety : undefined;
  const points = Array.isArray(safety)
    ? safety.filter((point): point is string => typeof point === 'string' && point.trim() !== '')
    : [];
  return (
    <div class="safety-check">
      {points.length > 0 && (
        <div class="safety-points">
          <p class="field-label" id="safety-points-heading">
            {t('safetyCheck.points')}
          </p>
          <ul aria-labelledby="safety-points-heading">
            {points.map((point, index) => (
              <li key={index}>{point}</li>
            ))}
          </ul>
        </div>
      )}
      <label class="check">
        <input
          type="checkbox"
          name="safetyChecked"
          required={required}
          aria-describedby="safety-hint"
          checked={checked}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        {t('safetyCheck.label')}
      </label>
      <p id="safety-hint" class="field-hint">
        {critical ? t('safetyCheck.criticalHint') : t('safetyCheck.hint')}
      </p>
    </div>
  );
}
