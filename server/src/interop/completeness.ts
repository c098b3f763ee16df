// Documentation completeness of a version: a 0–100 score and what is missing (licence, BOM, CAD source, drawings,
// assembly instructions, photos, safety notes, readiness level). The score is a pure function of the version.
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { filesOf, type VersionDocumentSection, type VersionRow } from '../registry/versions.js';
import { isValidSpdx } from '../registry/licenses.js';
import { extensionOf } from '../registry/media.js';
import { rowsOf } from '../db/rows.js';

export type CompletenessItem =
  | 'licence'
  | 'bom'
  | 'cad-source'
  | 'drawings'
  | 'assembly-instructions'
  | 'photos'
  | 'safety-notes'
  | 'readiness-level';

/** Weights sum to 100; what a workshop needs most to build (licence, BOM, source, instructions) weighs most. */
export const completenessWeights: Record<CompletenessItem, number> = {
  licence: 15,
  bom: 15,
  'cad-source': 15,
  drawings: 10,
  'assembly-instructions': 15,
  photos: 10,
  'safety-notes': 10,
  'readiness-level': 10,
};

/** Editable CAD: what a maker can change, unlike meshes (STL, OBJ, 3MF, GLB…) that are only exports. */
export const cadSourceExtensions = new Set([
  'step',
  'stp',
  'fcstd',
  'iges',
  'igs',
  'brep',
  'brp',
  'scad',
  'f3d',
  'sldprt',
  'sldasm',
  'ipt',
  'iam',
  'kicad_pcb',
  'kicad_sch',
  'sch',
  'brd',
]);
export const drawingExtensions = new Set(['dxf', 'dwg', 'pdf', 'svg']);
export const photoExtensions = new Set(['png', 'jpg', 'jpeg', 'webp', 'avif', 'gif', 'tif', 'tiff', 'heic']);

/** A README shorter than this says little more than the title. */
export const substantialReadmeBytes = 400;

export interface CompletenessInput {
  manifest: Record<string, unknown>;
  files: { path: string; size: number }[];
  hasBom: boolean;
  /** photos of approved build reports of this version */
  approvedBuildPhotos?: number;
}

export interface Completeness {
  score: number;
  missing: CompletenessItem[];
}

function readmeOf(manifest: Record<string, unknown>, files: CompletenessInput['files']) {
  const named = typeof manifest.readme === 'string' ? manifest.readme : undefined;
  return files.find((f) => f.path === named) ?? files.find((f) => /^readme(\.(md|markdown|txt))?$/i.test(f.path));
}

function hasInstructions(manifest: Record<string, unknown>, files: CompletenessInput['files']): boolean {
  const readme = readmeOf(manifest, files);
  if (readme && readme.size >= substantialReadmeBytes) return true;
  const refs = manifest['manufacturing-instructions'];
  const list = (Array.isArray(refs) ? refs : [refs]).filter((r): r is string => typeof r === 'string' && !!r.trim());
  // a URL counts (it was written on purpose); a path counts only when the file is in the version
  return list.some((r) => /^https?:\/\//i.test(r) || files.some((f) => f.path === r.replace(/^\/+/, '')));
}

export function documentationCompleteness(input: CompletenessInput): Completeness {
  const { manifest, files } = input;
  const licenses = (
    manifest.licenses && typeof manifest.licenses === 'object' ? Object.values(manifest.licenses) : []
  ) as unknown[];
  const ext = files.map((f) => extensionOf(f.path));
  const readiness = manifest.readiness as Record<string, unknown> | undefined;
  const safety = manifest.safety;
  const present: Record<CompletenessItem, boolean> = {
    licence: licenses.some((l) => typeof l === 'string' && isValidSpdx(l)),
    bom: input.hasBom,
    'cad-source': ext.some((e) => cadSourceExtensions.has(e)),
    drawings: ext.some((e) => drawingExtensions.has(e)),
    'assembly-instructions': hasInstructions(manifest, files),
    photos: ext.some((e) => photoExtensions.has(e)) || (input.approvedBuildPhotos ?? 0) > 0,
    // notes are required of a design that declares itself safety-critical; others do not lose points for their absence
    'safety-notes':
      (Array.isArray(safety) && safety.some((s) => typeof s === 'string' && s.trim())) ||
      manifest.safetyCritical !== true,
    'readiness-level':
      !!readiness &&
      typeof readiness === 'object' &&
      (typeof readiness.technology === 'string' || typeof readiness.documentation === 'string'),
  };
  const items = Object.keys(completenessWeights) as CompletenessItem[];
  return {
    score: items.reduce((s, k) => s + (present[k] ? completenessWeights[k] : 0), 0),
    missing: items.filter((k) => !present[k]),
  };
}

/** Photos of approved build reports, when the builds domain's tables exist on this instance. */
async function approvedBuildPhotos(db: Executor, versionId: string): Promise<number> {
  const exists = rowsOf(await db.execute(sql`select to_regclass('build_photos') is not null as ok`));
  if (!exists[0]?.ok) return 0;
  const n = rowsOf(
    await db.execute(sql`select count(*)::int as n from build_photos p join build_reports r on r.id = p.report_id
    where r.version_id = ${versionId} and r.state = 'approved' and p.state <> 'failed'`),
  );
  return Number(n[0]?.n ?? 0);
}

/** The completeness of a stored version (for the version document and search). */
export async function versionCompleteness(db: Executor, v: VersionRow): Promise<Completeness> {
  const files = await filesOf(db, v.id);
  return documentationCompleteness({
    manifest: v.manifest,
    files,
    hasBom: !!v.bomBlob,
    approvedBuildPhotos: await approvedBuildPhotos(db, v.id),
  });
}

/** The `completeness` section of the version document: {score, missing}. */
export const completenessVersionSection: VersionDocumentSection = async (db, v) => [
  'completeness',
  await versionCompleteness(db, v),
];
