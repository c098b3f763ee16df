// The web's new-version draft: the manifest it starts from, the diff shown before publishing, and what
// "Keep them and go back" restores — pure functions of web/src, checked without a browser.
import { describe, expect, it } from 'vitest';
import { restoreDropped, startingManifest } from '../../web/src/new-version.js';
import { manifestChanges, nextVersions, versionDiff } from '../../web/src/version-diff.js';
import type { VersionDocument } from '../../web/src/api-types.js';

const file = (path: string, sha: string, format: string, role: 'cad' | 'drawing' | 'doc') => ({
  path,
  size: 1,
  sha256: sha.repeat(64),
  mediaType: 'application/octet-stream',
  format,
  role,
  pipeline: { state: 'done' as const },
});

const previous: VersionDocument = {
  owner: 'ana',
  slug: 'press',
  version: '1.2.0',
  state: 'published',
  publishedAt: '2026-12-01T10:00:00.000Z',
  changelog: 'old notes',
  warnings: [],
  manifest: {
    version: '1.2.0',
    changelog: 'old notes',
    safety: ['Keep hands clear'],
    safetyCritical: true,
    mass: '85 kg',
    'outer-dimensions': { width: 900 },
    licenses: { hardware: 'CERN-OHL-S-2.0', software: 'MIT' },
  },
  files: [file('a.stl', 'a', 'stl', 'cad'), file('b.dxf', 'b', 'dxf', 'drawing'), file('c.txt', 'c', 'txt', 'doc')],
  bom: { filename: 'bom.csv', sha256: 'd'.repeat(64) },
  pipeline: { state: 'done', failedFiles: 0, files: 3, pendingFiles: 0 },
};

describe('a new version drafted from the previous one', () => {
  it('starts with every field but version and changelog, leaving to the design the licences it gives', () => {
    const start = startingManifest(previous.manifest, { hardware: 'CERN-OHL-W-2.0' }, '1.2.1');
    expect(start).toEqual({
      version: '1.2.1',
      safety: ['Keep hands clear'],
      safetyCritical: true,
      mass: '85 kg',
      'outer-dimensions': { width: 900 },
      licenses: { software: 'MIT' },
    });
  });

  it('proposes the next patch, then minor, then major', () => {
    expect(nextVersions('1.2.0')).toEqual(['1.2.1', '1.3.0', '2.0.0']);
    expect(nextVersions(undefined)).toEqual(['1.0.0']);
  });

  it('lists files added, removed and replaced, manifest fields changed key by key, and the BOM kept', () => {
    const diff = versionDiff(previous, {
      manifest: {
        ...previous.manifest,
        version: '1.2.1',
        changelog: 'new',
        mass: '90 kg',
        'outer-dimensions': { width: 950 },
      },
      files: [{ path: 'a.stl' }, { path: 'b.dxf', sha256: 'b'.repeat(64) }, { path: 'd.step' }],
      bom: { kind: 'carried' },
    });
    expect(diff.files).toEqual({ added: ['d.step'], removed: ['c.txt'], changed: ['a.stl'] });
    expect(diff.manifest).toEqual([
      { field: 'mass', from: '85 kg', to: '90 kg' },
      { field: 'outer-dimensions.width', from: 900, to: 950 },
    ]);
    expect(diff.bom).toEqual({ change: 'unchanged', from: 'bom.csv', to: 'bom.csv' });
    expect(diff.dropped).toEqual([]);
  });

  it("names what it drops by the server's rule, and restoring puts exactly that back", () => {
    const { safety: _safety, ...withoutNotes } = previous.manifest;
    const draftManifest = { ...withoutNotes, version: '1.2.1', licenses: { hardware: 'CERN-OHL-S-2.0' } };
    const diff = versionDiff(previous, { manifest: draftManifest, files: previous.files, bom: { kind: 'none' } });
    expect(diff.dropped.map((d) => d.field)).toEqual(['/manifest/safety', '/manifest/licenses/software']);
    expect(diff.bom).toEqual({ change: 'removed', from: 'bom.csv' });
    const restored = restoreDropped(draftManifest, previous.manifest, diff.dropped);
    expect(restored.safety).toEqual(['Keep hands clear']);
    expect(restored.licenses).toEqual({ hardware: 'CERN-OHL-S-2.0', software: 'MIT' });
    expect(manifestChanges(previous.manifest, { ...restored, version: '1.2.1' })).toEqual([]);
  });
});
