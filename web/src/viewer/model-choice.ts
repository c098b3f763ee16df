// What the design page's viewer shows: the version's assembly (with the circuit boards its manifest places), the one
// file a user opened from the list, or one circuit board alone — never two at once, since an assembly published with
// its parts as files would draw every part twice, overlapping in stripes.
import { authHeaders, encodeFilePath, query, versionPath } from '../api';
import type { MeshFacts, VersionFile } from '../api-types';
import { t } from '../i18n';
import type { ViewerSource, ViewerSourceKind } from './scene';
import { slabsToShow, type SlabSpec, type VersionBoard } from './board-placement';

const directKinds: Record<string, ViewerSourceKind> = { stl: 'stl', obj: 'obj', ply: 'ply', glb: 'glb' };
const cadExtensions = /\.(stl|obj|ply|glb|gltf|3mf|step|stp|iges|igs|brep|brp|fcstd)$/i;
const drawingExtensions = /\.(dxf|svg)$/i;

export function isCadFile(file: VersionFile): boolean {
  return file.role === 'cad' || cadExtensions.test(file.path);
}

/** A 2D drawing the pipeline renders a preview of (a DXF): shown flat, as that picture. */
export function isDrawingFile(file: VersionFile): boolean {
  return (file.role === 'drawing' || drawingExtensions.test(file.path)) && !isCadFile(file);
}

/** Whether the viewer has something to show for the file: a model, or a drawing's rendered picture. */
export function isViewable(file: VersionFile): boolean {
  return isCadFile(file) || (isDrawingFile(file) && Boolean(file.previews?.png) && file.pipeline?.state !== 'failed');
}

function extensionOf(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1).toLowerCase();
}

/** The best thing to show for a file: the GLB derivative if listed, the raw mesh when the browser can read it, else a GLB preview. */
export function viewerSourceFor(file: VersionFile, owner: string, slug: string, version: string): ViewerSource | null {
  const direct = directKinds[(file.format ?? '').toLowerCase()] ?? directKinds[extensionOf(file.path)];
  const raw: ViewerSource | undefined = direct
    ? {
        name: file.path,
        url: versionPath(owner, slug, version, `/files/${encodeFilePath(file.path)}`),
        kind: direct,
        headers: authHeaders(),
      }
    : undefined;
  // the pipeline's GLB (welded, normals, parts named) first; the raw mesh while the GLB is still being made
  if (file.previews?.glb)
    return { name: file.path, url: file.previews.glb, kind: 'glb', headers: authHeaders(), fallback: raw };
  if (raw) return raw;
  if (file.pipeline?.state === 'done') {
    return {
      name: file.path,
      url: versionPath(owner, slug, version, `/previews/${encodeFilePath(file.path)}${query({ format: 'glb' })}`),
      kind: 'glb',
      headers: authHeaders(),
    };
  }
  return null;
}

export function previewUrlFor(
  file: VersionFile,
  owner: string,
  slug: string,
  version: string,
  size = 512,
  format: 'png' | 'webp' = 'png',
): string {
  const listed = format === 'png' ? file.previews?.png : file.previews?.webp;
  if (listed && size === 512) return listed;
  return versionPath(owner, slug, version, `/previews/${encodeFilePath(file.path)}${query({ size, format })}`);
}

type Box = NonNullable<MeshFacts['bbox']>;

const diagonal = (b: Box) => Math.hypot(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]);

/** `outer` holds `inner`, give or take 2 % of its size (exporters round coordinates differently). */
function contains(outer: Box, inner: Box): boolean {
  const slack = 0.02 * diagonal(outer);
  return [0, 1, 2].every((k) => inner.min[k] >= outer.min[k] - slack && inner.max[k] <= outer.max[k] + slack);
}

/**
 * The file that is the whole machine: a model of several parts whose bounding box holds every other model of the
 * version (an assembly exported whole next to its parts exported one by one). A single-part file holding the others
 * is more likely the frame of an assembly exported part by part: no file is the whole then. With a single model,
 * that model.
 */
export function assemblyFileOf(models: VersionFile[]): VersionFile | undefined {
  if (models.length === 1) return models[0];
  const boxed = models.filter((file) => file.facts?.bbox);
  if (boxed.length < models.length) return undefined;
  const partCount = (file: VersionFile) =>
    Array.isArray(file.facts?.parts) ? file.facts.parts.length : (file.facts?.parts ?? 1);
  const holders = boxed.filter(
    (outer) =>
      partCount(outer) > 1 &&
      boxed.every((inner) => inner === outer || contains(outer.facts!.bbox!, inner.facts!.bbox!)),
  );
  return holders.sort((a, b) => partCount(b) - partCount(a) || diagonal(b.facts!.bbox!) - diagonal(a.facts!.bbox!))[0];
}

/** `slabs`: the circuit boards drawn with the model (placed by the manifest), or the one board opened alone. */
export type ModelChoice =
  | { kind: 'model'; label: string; file?: VersionFile; source: ViewerSource; slabs: SlabSpec[] }
  | { kind: 'board'; label: string; board: VersionBoard; slabs: [SlabSpec] }
  | { kind: 'drawing'; label: string; file: VersionFile }
  | { kind: 'none' };

/** What the version holds for the viewer beyond its files: its boards and its manifest (board placements, units). */
export type VersionExtras = { boards?: VersionBoard[]; manifest?: unknown; openedBoard?: string | null };

/** What to show: a board opened alone (`?board=`) first, else as chooseModel, with the boards the manifest places. */
export function chooseView(
  files: VersionFile[],
  opened: string | null,
  owner: string,
  slug: string,
  version: string,
  { boards, manifest, openedBoard = null }: VersionExtras = {},
): ModelChoice {
  const shown = slabsToShow(boards, manifest, opened, openedBoard);
  if (shown.alone) {
    const { board, slab } = shown;
    return board && slab
      ? { kind: 'board', label: t('modelChoice.board', { name: board.name }), board, slabs: [slab] }
      : { kind: 'none' };
  }
  const choice = chooseModel(files, opened, owner, slug, version);
  return choice.kind === 'model' ? { ...choice, slabs: shown.slabs } : choice;
}

/**
 * What to show. `opened` is the path of a file chosen in the file list; without one, the version's assembly file,
 * else the version's whole model (`…/model.glb`: every model in place when they share coordinates, else side by
 * side), falling back to the largest model while the server is still making it.
 */
export function chooseModel(
  files: VersionFile[],
  opened: string | null,
  owner: string,
  slug: string,
  version: string,
): ModelChoice {
  const file = opened ? files.find((f) => f.path === opened) : undefined;
  if (file && isDrawingFile(file)) return { kind: 'drawing', label: file.path, file };
  if (file && isCadFile(file)) {
    const source = viewerSourceFor(file, owner, slug, version);
    return source ? { kind: 'model', label: file.path, file, source, slabs: [] } : { kind: 'none' };
  }
  // a file the pipeline could not read will not load here either: its reason is in the file list
  const models = files.filter((f) => isCadFile(f) && f.pipeline?.state !== 'failed');
  const assembly = assemblyFileOf(models);
  if (assembly) {
    const source = viewerSourceFor(assembly, owner, slug, version);
    return source
      ? {
          kind: 'model',
          label: models.length > 1 ? t('modelChoice.assembly', { path: assembly.path }) : assembly.path,
          file: assembly,
          source,
          slabs: [],
        }
      : { kind: 'none' };
  }
  const largest = models
    .map((f) => ({ f, source: viewerSourceFor(f, owner, slug, version) }))
    .filter((entry) => entry.source)
    .sort((a, b) => b.f.size - a.f.size)[0];
  if (!largest) return { kind: 'none' };
  const whole: ViewerSource = {
    name: t('modelChoice.allModels', { count: models.length }),
    url: versionPath(owner, slug, version, '/model.glb'),
    kind: 'glb',
    headers: authHeaders(),
    fallback: largest.source!,
  };
  return { kind: 'model', label: t('modelChoice.wholeVersion', { count: models.length }), source: whole, slabs: [] };
}
