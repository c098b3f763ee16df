// A new version against the one it starts from, before it is published: files added, removed or replaced,
// manifest fields changed, the BOM kept or not, and what it drops that builders rely on (the server's own rule).
// Imports carry .js: test/registry checks these modules under the server's NodeNext resolution.
import type { VersionDocument } from './api-types.js';
import { droppedFieldWarnings } from '../../server/src/registry/publish-warnings.js';

export type Draft = {
  /** the manifest as it will be sent, licences merged with the design's as the server will merge them */
  manifest: Record<string, unknown>;
  /** carried files keep their sha256; uploaded ones have none yet */
  files: { path: string; sha256?: string }[];
  bom: { kind: 'carried' | 'uploaded' | 'none'; name?: string };
};

export type FieldChange = { field: string; from?: unknown; to?: unknown };

export type VersionDiff = {
  files: { added: string[]; removed: string[]; changed: string[] };
  manifest: FieldChange[];
  bom: { change: 'unchanged' | 'replaced' | 'added' | 'removed' | 'none'; from?: string; to?: string };
  dropped: { field: string; message: string }[];
};

/** Fields every version changes by nature: not worth listing as a change. */
const ownFields = new Set(['version', 'changelog']);

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** Changed manifest fields; an object (licences, readiness) is compared key by key so a row says which part changed. */
export function manifestChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix = '',
): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => prefix || !ownFields.has(key))
    .sort();
  return keys.flatMap((key) => {
    const from = before[key];
    const to = after[key];
    if (stable(from) === stable(to)) return [];
    if (isPlainObject(from) && isPlainObject(to)) return manifestChanges(from, to, `${prefix}${key}.`);
    return [{ field: `${prefix}${key}`, from, to }];
  });
}

export function versionDiff(previous: VersionDocument, draft: Draft): VersionDiff {
  const before = new Map(previous.files.map((file) => [file.path, file.sha256]));
  const after = new Map(draft.files.map((file) => [file.path, file.sha256]));
  const added = [...after.keys()].filter((path) => !before.has(path)).sort();
  const removed = [...before.keys()].filter((path) => !after.has(path)).sort();
  const changed = [...after.entries()]
    .filter(([path, sha256]) => before.has(path) && sha256 !== before.get(path))
    .map(([path]) => path)
    .sort();
  const previousBom = previous.bom?.filename ?? undefined;
  const bom: VersionDiff['bom'] =
    draft.bom.kind === 'carried'
      ? { change: 'unchanged', from: previousBom, to: previousBom }
      : draft.bom.kind === 'uploaded'
        ? { change: previousBom ? 'replaced' : 'added', from: previousBom, to: draft.bom.name }
        : { change: previousBom ? 'removed' : 'none', from: previousBom };
  return {
    files: { added, removed, changed },
    manifest: manifestChanges(previous.manifest, draft.manifest),
    bom,
    dropped: droppedFieldWarnings(previous.manifest, draft.manifest, previous.version),
  };
}

/** The next version numbers to propose after `version`: patch first (a fix), then minor, then major. */
export function nextVersions(version: string | undefined): string[] {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return ['1.0.0'];
  const [major, minor, patch] = match.slice(1).map(Number);
  return [`${major}.${minor}.${patch + 1}`, `${major}.${minor + 1}.0`, `${major + 1}.0.0`];
}
