// What a new version drops from the one before it that a builder relies on: safety notes, the safety-critical
// flag, a licence. Such a publish is allowed (the maker may mean it) but never silent: the version keeps warnings.
// Pure, so the web's publish form asks for confirmation by the very rule the server warns by. Each warning carries a
// code and its values, which the web words in the reader's language (message stays the English sentence).
import type { VersionWarning } from '../schema-types.js';

type Manifest = Record<string, unknown>;

const hasSafetyNotes = (m: Manifest) =>
  Array.isArray(m.safety) && m.safety.some((note) => typeof note === 'string' && note.trim() !== '');
const licencesOf = (m: Manifest) =>
  m.licenses && typeof m.licenses === 'object' ? (m.licenses as Record<string, unknown>) : {};

/** Warnings for `next` (licences already merged with the design's) against the manifest of `previousVersion`. */
export function droppedFieldWarnings(previous: Manifest, next: Manifest, previousVersion: string): VersionWarning[] {
  const warnings: VersionWarning[] = [];
  if (hasSafetyNotes(previous) && !hasSafetyNotes(next)) {
    warnings.push({
      field: '/manifest/safety',
      code: 'safety-notes-removed',
      values: { previousVersion },
      message: `The safety notes of ${previousVersion} were removed; builders of this version no longer see them`,
    });
  }
  if (previous.safetyCritical === true && next.safetyCritical !== true) {
    warnings.push({
      field: '/manifest/safetyCritical',
      code: 'safety-critical-removed',
      values: { previousVersion },
      message: `${previousVersion} was marked safety-critical and this version is not; its build packet loses the safety banner`,
    });
  }
  const nextLicences = licencesOf(next);
  for (const [kind, spdx] of Object.entries(licencesOf(previous))) {
    if (typeof spdx === 'string' && spdx && !nextLicences[kind]) {
      warnings.push({
        field: `/manifest/licenses/${kind}`,
        code: 'licence-dropped',
        values: { previousVersion, kind, spdx },
        message: `The ${kind} licence of ${previousVersion} (${spdx}) was dropped; this version states no ${kind} licence`,
      });
    }
  }
  return warnings;
}
