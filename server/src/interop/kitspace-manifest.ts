// Export: the kitspace.yaml of a version — summary, where its Gerbers and BOM sit, readme and EDA files — with the
// Kitspace keys an import kept in the manifest (site, color, pcb-services, ibom-enabled) written back.
import { stringify } from 'yaml';

export interface KitspaceManifestInput {
  summary: string;
  /** the version's manifest: Kitspace keys an import kept there are written back */
  manifest: Record<string, unknown>;
  /** the board's folder ("hardware/gerbers/"), none when the version has no board in a folder */
  gerbers?: string;
  /** the BOM's path in the export */
  bom?: string;
  readme?: string;
  eda?: Record<string, unknown>;
}

/** Keys Kitspace reads that Andecha keeps as they were and has no field of its own for. */
const keptKeys = ['site', 'color', 'pcb-services', 'ibom-enabled'];

/** The kitspace.yaml text: paths relative to the folder it sits in. */
export function kitspaceYaml(input: KitspaceManifestInput): string {
  const doc: Record<string, unknown> = {};
  if (input.summary) doc.summary = input.summary;
  for (const k of keptKeys)
    if (input.manifest[k] !== undefined && input.manifest[k] !== null) doc[k] = input.manifest[k];
  if (input.bom) doc.bom = input.bom;
  if (input.gerbers) doc.gerbers = input.gerbers;
  if (input.eda) doc.eda = input.eda;
  if (input.readme) doc.readme = input.readme;
  return stringify(doc);
}
