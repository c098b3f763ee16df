// What a new version drops from the one before it that a builder relies on: safety notes, the safety-critical
// flag, a licence. Such a publish is allowed (the maker may mean it) but never silent: the version keeps warnings.
import { and, eq } from 'drizzle-orm';
import semver from 'semver';
import type { Executor } from '../db/client.js';
import type { VersionWarning } from '../schema-types.js';
import { designVersions } from './tables.js';

type Manifest = Record<string, unknown>;

const hasSafetyNotes = (m: Manifest) => Array.isArray(m.safety) && m.safety.some((note) => typeof note === 'string' && note.trim() !== '');
const licencesOf = (m: Manifest) => (m.licenses && typeof m.licenses === 'object' ? (m.licenses as Record<string, unknown>) : {});

/** Warnings for `next` (licences already merged with the design's) against the manifest of `previousVersion`. */
export function droppedFieldWarnings(previous: Manifest, next: Manifest, previousVersion: string): VersionWarning[] {
  const warnings: VersionWarning[] = [];
  if (hasSafetyNotes(previous) && !hasSafetyNotes(next)) {
    warnings.push({ field: '/manifest/safety', message: `The safety notes of ${previousVersion} were removed; builders of this version no longer see them` });
  }
  if (previous.safetyCritical === true && next.safetyCritical !== true) {
    warnings.push({ field: '/manifest/safetyCritical', message: `${previousVersion} was marked safety-critical and this version is not; its build packet loses the safety banner` });
  }
  const nextLicences = licencesOf(next);
  for (const [kind, spdx] of Object.entries(licencesOf(previous))) {
    if (typeof spdx === 'string' && spdx && !nextLicences[kind]) {
      warnings.push({ field: `/manifest/licenses/${kind}`, message: `The ${kind} licence of ${previousVersion} (${spdx}) was dropped; this version states no ${kind} licence` });
    }
  }
  return warnings;
}

/** The version a new one follows: the highest published version below it (yanked ones were withdrawn, so not). */
export async function versionBefore(tx: Executor, designId: string, version: string) {
  const rows = await tx.select({ version: designVersions.version, manifest: designVersions.manifest }).from(designVersions)
    .where(and(eq(designVersions.designId, designId), eq(designVersions.state, 'published')));
  return rows.filter((r) => semver.lt(r.version, version)).sort((a, b) => semver.rcompare(a.version, b.version))[0];
}
