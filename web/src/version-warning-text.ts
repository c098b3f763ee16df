// A version's warning (what a publish dropped) in the reader's language: worded from its code and values; a
// warning stored before codes were recorded has only its English sentence, shown as it is.
import type { components } from './api-schema';
import { t } from './i18n';

type VersionWarning = Pick<components['schemas']['version-warning'], 'code' | 'values' | 'message'>;

export function versionWarningText(warning: VersionWarning): string {
  const values = warning.values ?? {};
  switch (warning.code) {
    case 'safety-notes-removed':
      return t('versionWarnings.safetyNotesRemoved', values);
    case 'safety-critical-removed':
      return t('versionWarnings.safetyCriticalRemoved', values);
    case 'licence-dropped':
      return t('versionWarnings.licenceDropped', values);
    default:
      return warning.message;
  }
}
