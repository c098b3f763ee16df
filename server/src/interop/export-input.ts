// What the okh.toml export needs of a stored version: its manifest, file paths, BOM presence and fork origin.
import type { Executor } from '../db/client.js';
import { describeDesign, type DesignRow } from '../registry/designs.js';
import { filesOf, type VersionRow } from '../registry/versions.js';
import type { OkhExportInput } from './export-okh.js';

/** What export-okh needs of a stored version. */
export async function okhExportInput(
  db: Executor,
  d: DesignRow,
  v: VersionRow,
  publicUrl: string,
): Promise<OkhExportInput> {
  const design = await describeDesign(db, d);
  return {
    owner: d.ownerHandle,
    slug: d.slug,
    designTitle: d.title,
    designSummary: d.summary,
    version: v.version,
    manifest: v.manifest,
    filePaths: (await filesOf(db, v.id)).map((f) => f.path),
    hasBom: !!v.bomBlob,
    // a fork of a mirror: its `ref` string (the manifest's `fork-of` names the same version)
    forkedFrom: typeof design.forkedFrom === 'object' && design.forkedFrom ? design.forkedFrom.ref : design.forkedFrom,
    publicUrl,
  };
}
