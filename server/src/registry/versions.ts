// Versions of a design: resolve a version (or `latest`), list them, describe one, yank one.
import { versionTranslations } from './translations.js';
import { and, asc, desc, eq } from 'drizzle-orm';
import semver from 'semver';
import type { Db, Executor } from '../db/client.js';
import { AppError, msg, notFound } from '../errors.js';
import { designVersions, files } from './tables.js';
import { versionBoards } from '../electronics/tables.js';
import type { DesignRow } from './tables.js';
import { previewUrls, type FileAddressParts } from './preview-keys.js';
import { designChanged, type DesignChangedHook } from './design-changed.js';
import { mirrorOfVersion, takenDownVersions } from './mirrors.js';
import { versionDownloadCounts, type DownloadCounter } from './downloads.js';

export type VersionRow = typeof designVersions.$inferSelect;
export type FileRow = typeof files.$inferSelect;

/** Extra sections other domains add to the version document (bom, …), keyed by section name. */
export type VersionDocumentSection = (db: Executor, version: VersionRow) => Promise<[string, unknown] | undefined>;

export async function resolveVersion(db: Executor, design: DesignRow, version: string): Promise<VersionRow> {
  if (version === 'latest') {
    const rows = await db
      .select()
      .from(designVersions)
      .where(and(eq(designVersions.designId, design.id), eq(designVersions.state, 'published')));
    const stable = rows.filter((r) => !r.prerelease);
    const pool = stable.length ? stable : rows;
    const latest = pool.sort((a, b) => semver.rcompare(a.version, b.version))[0];
    if (!latest) throw notFound(msg('notFound.latest', { design: `${design.ownerHandle}/${design.slug}` }));
    return latest;
  }
  const [row] = await db
    .select()
    .from(designVersions)
    .where(and(eq(designVersions.designId, design.id), eq(designVersions.version, version)))
    .limit(1);
  if (!row) throw notFound(msg('notFound.version', { version, design: `${design.ownerHandle}/${design.slug}` }));
  return row;
}

export async function listVersions(db: Executor, design: DesignRow) {
  const rows = await db
    .select()
    .from(designVersions)
    .where(eq(designVersions.designId, design.id))
    .orderBy(
      desc(designVersions.major),
      desc(designVersions.minor),
      desc(designVersions.patch),
      asc(designVersions.publishedAt),
    );
  rows.sort((a, b) => semver.rcompare(a.version, b.version));
  const takenDown = await takenDownVersions(db, design);
  return {
    items: rows
      .filter((r) => !takenDown.has(r.version))
      .map((r) => ({
        version: r.version,
        state: r.state,
        publishedAt: r.publishedAt.toISOString(),
        changelog: r.changelog,
      })),
    nextCursor: null,
  };
}

export function describeFileRow(f: FileRow, at: Omit<FileAddressParts, 'path'>) {
  return {
    path: f.path,
    size: f.size,
    sha256: f.sha256,
    mediaType: f.mediaType,
    format: f.format,
    role: f.role,
    pipeline: f.state === 'failed' ? { state: f.state, error: f.error ?? 'failed' } : { state: f.state },
    ...(f.facts ? { facts: f.facts } : {}),
    ...(f.previews ? { previews: previewUrls({ ...at, path: f.path }, f.previews) } : {}),
  };
}

/**
 * A version's pipeline state: done once every file's job and every board's ended, whatever the outcome. Failures are
 * counted apart (`failedFiles`, and `failedBoards` beside `pendingBoards` for a version with boards).
 */
export function versionPipelineState(rows: Pick<FileRow, 'state'>[], boards: { state: string }[] = []) {
  const isPending = (x: { state: string }) => x.state === 'queued' || x.state === 'running';
  const failedFiles = rows.filter((f) => f.state === 'failed').length;
  const pending = rows.filter(isPending);
  const pendingBoards = boards.filter(isPending);
  const all = [...rows, ...boards];
  const waiting = [...pending, ...pendingBoards];
  const state =
    waiting.length === 0
      ? 'done'
      : waiting.some((x) => x.state === 'running') || waiting.length < all.length
        ? 'running'
        : 'queued';
  return {
    state,
    failedFiles,
    files: rows.length,
    pendingFiles: pending.length,
    ...(boards.length
      ? {
          boards: boards.length,
          pendingBoards: pendingBoards.length,
          failedBoards: boards.filter((b) => b.state === 'failed').length,
        }
      : {}),
  };
}

/** A version's manifest by its id (jobs know versions by id only). */
export async function manifestOfVersion(db: Executor, versionId: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await db
    .select({ manifest: designVersions.manifest })
    .from(designVersions)
    .where(eq(designVersions.id, versionId))
    .limit(1);
  return row?.manifest ?? undefined;
}

export async function filesOf(db: Executor, versionId: string): Promise<FileRow[]> {
  return db.select().from(files).where(eq(files.versionId, versionId)).orderBy(asc(files.path));
}

/** The version document of DESIGN.md. */
export async function describeVersion(
  db: Executor,
  design: DesignRow,
  v: VersionRow,
  sections: VersionDocumentSection[] = [],
  /** this process's download counts: those of this version not written yet are written first */
  counter?: DownloadCounter,
) {
  const rows = await filesOf(db, v.id);
  const { byPath, ...downloads } = await versionDownloadCounts(db, v.id, counter);
  const doc: Record<string, unknown> = {
    owner: design.ownerHandle,
    slug: design.slug,
    version: v.version,
    state: v.state,
    publishedAt: v.publishedAt.toISOString(),
    changelog: v.changelog,
    manifest: v.manifest,
    files: rows.map((f) => ({
      ...describeFileRow(f, { owner: design.ownerHandle, slug: design.slug, version: v.version }),
      downloads: byPath.get(f.path) ?? 0,
    })),
    downloads,
    ...(v.bomBlob ? { bom: { filename: v.bomFilename, sha256: v.bomBlob } } : {}),
    warnings: v.warnings,
    pipeline: versionPipelineState(
      rows,
      await db.select({ state: versionBoards.state }).from(versionBoards).where(eq(versionBoards.versionId, v.id)),
    ),
    translations: await versionTranslations(db, v),
    ...(await mirrorOfVersion(db, design, v)),
  };
  for (const section of sections) {
    const entry = await section(db, v);
    if (entry) doc[entry[0]] = entry[0] === 'bom' ? { ...(doc.bom as object), ...(entry[1] as object) } : entry[1];
  }
  return doc;
}

/** Yanks a version; its design's latest may change, so `changed` (the designChanged hooks) run in the same transaction. */
export async function yankVersion(db: Db, v: VersionRow, changed: readonly DesignChangedHook[] = []): Promise<void> {
  if (v.state === 'yanked') throw new AppError('conflict', msg('registry.alreadyYanked', { version: v.version }));
  await db.transaction(async (tx) => {
    await tx.update(designVersions).set({ state: 'yanked' }).where(eq(designVersions.id, v.id));
    await designChanged(tx, changed, v.designId);
  });
}

export async function findFile(db: Executor, v: VersionRow, path: string): Promise<FileRow> {
  const [f] = await db
    .select()
    .from(files)
    .where(and(eq(files.versionId, v.id), eq(files.path, path)))
    .limit(1);
  if (!f) throw notFound(msg('notFound.file', { path, version: v.version }));
  return f;
}

/** The newest published, non-prerelease version of a design (else the newest published), or undefined. */
export async function latestPublishedVersion(db: Executor, designId: string): Promise<VersionRow | undefined> {
  const rows = await db
    .select()
    .from(designVersions)
    .where(and(eq(designVersions.designId, designId), eq(designVersions.state, 'published')));
  const stable = rows.filter((r) => !r.prerelease);
  return (stable.length ? stable : rows).sort((a, b) => semver.rcompare(a.version, b.version))[0];
}

/** The version a new one follows: the highest published version below it (yanked ones were withdrawn, so not). */
export async function versionBefore(db: Executor, designId: string, version: string): Promise<VersionRow | undefined> {
  const rows = await db
    .select()
    .from(designVersions)
    .where(and(eq(designVersions.designId, designId), eq(designVersions.state, 'published')));
  return rows.filter((r) => semver.lt(r.version, version)).sort((a, b) => semver.rcompare(a.version, b.version))[0];
}
