// Compare two versions of one family: manifest field by field, files (added, removed, renamed, changed),
// the BOM line diff with its cost delta, and per changed CAD file the facts delta and image links.
import type { Executor } from '../db/client.js';
import { AppError, msg } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { diffBom, type BomDiff } from '../bom/kernel/diff.js';
import type { BomLine } from '../bom/kernel/model.js';
import { findVisibleDesign, type DesignRow } from './designs.js';
import { filesOf, resolveVersion, type FileRow, type VersionRow } from './versions.js';
import { inSameFamily } from './lineage.js';
import { formatVersionRef, parseVersionRef } from './version-ref.js';
import { previewUrls, type FileAddressParts } from './preview-keys.js';

export interface CompareSide {
  design: DesignRow;
  version: VersionRow;
  /** what the caller wrote (`1.0.0` or `owner/slug@1.0.0`), reused in links */
  ref: string;
}

/** A bare version names one of `design`; `owner/slug@version` must be a design of the same family. */
export async function resolveCompareSide(
  db: Executor,
  design: DesignRow,
  ref: string,
  caller?: Caller,
): Promise<CompareSide> {
  const parsed = parseVersionRef(ref);
  if (!parsed) return { design, version: await resolveVersion(db, design, ref), ref };
  const other =
    parsed.owner === design.ownerHandle && parsed.slug === design.slug
      ? design
      : await findVisibleDesign(db, parsed.owner, parsed.slug, caller);
  if (!(await inSameFamily(db, design, other))) {
    throw new AppError(
      'unprocessable',
      msg('registry.compareFamily', {
        other: `${parsed.owner}/${parsed.slug}`,
        design: `${design.ownerHandle}/${design.slug}`,
      }),
      { errors: [{ field: '/querystring/from', value: ref, message: msg('fields.notInFamily') }] },
    );
  }
  return { design: other, version: await resolveVersion(db, other, parsed.version), ref };
}

export interface ManifestChange {
  field: string;
  kind: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
}

/** Key-order-independent JSON, so {a,b} and {b,a} are the same value. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export function diffManifest(a: Record<string, unknown>, b: Record<string, unknown>): ManifestChange[] {
  const out: ManifestChange[] = [];
  for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!(field in b)) out.push({ field, kind: 'removed', from: a[field] });
    else if (!(field in a)) out.push({ field, kind: 'added', to: b[field] });
    else if (canonical(a[field]) !== canonical(b[field]))
      out.push({ field, kind: 'changed', from: a[field], to: b[field] });
  }
  return out;
}

type FileSide = Pick<FileRow, 'path' | 'sha256' | 'size'>;

export interface FileDiff {
  added: { path: string; sha256: string; size: number }[];
  removed: { path: string; sha256: string; size: number }[];
  renamed: { from: string; path: string; sha256: string }[];
  changed: { path: string; fromSha256: string; toSha256: string; sizeDelta: number }[];
  unchanged: number;
}

/** A path in both with the same bytes is unchanged; bytes that left one path and reappear at another are a rename. */
export function diffFiles(a: readonly FileSide[], b: readonly FileSide[]): FileDiff {
  const before = new Map(a.map((f) => [f.path, f]));
  const after = new Map(b.map((f) => [f.path, f]));
  const out: FileDiff = { added: [], removed: [], renamed: [], changed: [], unchanged: 0 };
  const gone: FileSide[] = [];
  const fresh: FileSide[] = [];
  for (const f of a) {
    const g = after.get(f.path);
    if (!g) gone.push(f);
    else if (g.sha256 === f.sha256) out.unchanged++;
    else out.changed.push({ path: f.path, fromSha256: f.sha256, toSha256: g.sha256, sizeDelta: g.size - f.size });
  }
  for (const f of b) if (!before.has(f.path)) fresh.push(f);
  for (const f of gone) {
    const i = fresh.findIndex((g) => g.sha256 === f.sha256);
    if (i >= 0) {
      out.renamed.push({ from: f.path, path: fresh[i].path, sha256: f.sha256 });
      fresh.splice(i, 1);
    } else out.removed.push({ path: f.path, sha256: f.sha256, size: f.size });
  }
  out.added = fresh.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size }));
  return out;
}

interface MeshFacts {
  triangles?: number;
  volume?: number;
  area?: number;
  bbox?: { min: number[]; max: number[] };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const sizeOf = (f?: MeshFacts) => (f?.bbox ? f.bbox.max.map((m, i) => round(m - f.bbox!.min[i])) : undefined);
const delta = (x?: number, y?: number) => (typeof x === 'number' && typeof y === 'number' ? round(y - x) : null);

export interface GeometryChange {
  path: string;
  from: MeshFacts | null;
  to: MeshFacts | null;
  delta: { triangles: number | null; volume: number | null; area: number | null; size: number[] | null };
  images: { before?: string; after?: string; diff: string };
}

/** Where a file of one side of the comparison is reached: its own design and version (a fork has others). */
const addressOf = (side: CompareSide, f: FileRow): FileAddressParts => ({
  owner: side.design.ownerHandle,
  slug: side.design.slug,
  version: side.version.version,
  path: f.path,
});

function factsOf(f: FileRow): MeshFacts | null {
  const facts = f.facts as MeshFacts | null;
  if (!facts || typeof facts.triangles !== 'number') return null;
  return { triangles: facts.triangles, volume: facts.volume, area: facts.area, bbox: facts.bbox };
}

export interface CompareResult {
  from: string;
  to: string;
  manifest: ManifestChange[];
  files: FileDiff;
  bom?: BomDiff;
  geometry: GeometryChange[];
}

/** A version's stored BOM lines, if it has a BOM: the BOM domain's `loadBom`, handed in by the route (it sits above). */
export type BomOfVersion = (db: Executor, versionId: string) => Promise<{ lines: BomLine[] } | undefined>;

/** `base` is the compare URL of the design asked (`/api/designs/o/s`), for the visual diff links. */
export async function compareVersions(
  db: Executor,
  from: CompareSide,
  to: CompareSide,
  base: string,
  loadBom: BomOfVersion,
): Promise<CompareResult> {
  const [a, b] = [await filesOf(db, from.version.id), await filesOf(db, to.version.id)];
  const files = diffFiles(a, b);
  const byPath = (rows: FileRow[], path: string) => rows.find((f) => f.path === path)!;
  const geometry: GeometryChange[] = [];
  for (const c of files.changed) {
    const fa = byPath(a, c.path),
      fb = byPath(b, c.path);
    if (fa.role !== 'cad' && fb.role !== 'cad') continue;
    const x = factsOf(fa),
      y = factsOf(fb);
    const sx = sizeOf(x ?? undefined),
      sy = sizeOf(y ?? undefined);
    const q = new URLSearchParams({ from: from.ref, to: to.ref, path: c.path });
    geometry.push({
      path: c.path,
      from: x,
      to: y,
      delta: {
        triangles: delta(x?.triangles, y?.triangles),
        volume: delta(x?.volume, y?.volume),
        area: delta(x?.area, y?.area),
        size: sx && sy ? sy.map((v, i) => round(v - sx[i])) : null,
      },
      images: {
        ...(fa.previews?.png ? { before: previewUrls(addressOf(from, fa), fa.previews).png } : {}),
        ...(fb.previews?.png ? { after: previewUrls(addressOf(to, fb), fb.previews).png } : {}),
        diff: `${base}/compare/visual?${q}`,
      },
    });
  }
  const [bomA, bomB] = [await loadBom(db, from.version.id), await loadBom(db, to.version.id)];
  return {
    from: formatVersionRef({ owner: from.design.ownerHandle, slug: from.design.slug, version: from.version.version }),
    to: formatVersionRef({ owner: to.design.ownerHandle, slug: to.design.slug, version: to.version.version }),
    manifest: diffManifest(from.version.manifest, to.version.manifest),
    files,
    ...(bomA || bomB ? { bom: diffBom(bomA?.lines ?? [], bomB?.lines ?? []) } : {}),
    geometry,
  };
}
