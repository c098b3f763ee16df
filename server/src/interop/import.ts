// Import: a project tree with a foreign manifest → designs owned by the caller, each with one version published
// through commitVersion. Missing fields become warnings; only an upload with nothing usable is refused (422).
import semver from 'semver';
import { and, eq, like } from 'drizzle-orm';
import type { Caller } from '../accounts/accounts.js';
import { AppError, composed, msg, type Detail } from '../errors.js';
import { bomWarningText } from '../bom/warning-text.js';
import type { Db } from '../db/client.js';
import { commitVersion, type PublishContext, type PublishDeps, type PublishedFile } from '../registry/publish.js';
import { checkPublishRate } from '../registry/quota.js';
import { createDesign } from '../registry/designs.js';
import { designs } from '../registry/tables.js';
import { isValidSpdx } from '../registry/licenses.js';
import { validateManifest } from '../registry/manifest.js';
import { checkFilePath } from '../registry/paths.js';
import { parseBom, BomUnreadableError } from '../bom/kernel/index.js';
import { detectBoardFile } from '../electronics/detect.js';
import type { DetectedManifest } from './detect.js';
import { findManifest } from './find-manifest.js';
import { readOkhLosh } from './okh-losh.js';
import { readOkhV1 } from './okh-v1.js';
import { readKitspace } from './kitspace.js';
import { firstSentence, slugify, type ImportedProject } from './project.js';
import type { ProjectTree, TreeEntry } from './tree.js';
import type { DesignCreate } from '../schema-types.js';

export interface ImportedDesign {
  owner: string;
  slug: string;
  version: string;
  /** worded in the reply's language by the route */
  warnings: Detail[];
}

/** SPDX's word for "unknown": what an import without a usable licence is exported as. */
export const noAssertion = 'NOASSERTION';
const unasserted = /^(LicenseRef-)?(NOASSERTION|NONE)$/i;

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');

/** "v0.3.1" → 0.3.1, "2" → 2.0.0, nothing → 0.1.0; each change is a warning. */
export function normaliseVersion(raw: string | undefined, warnings: Detail[]): string {
  if (raw && semver.valid(raw)) return semver.parse(raw)!.version;
  const cleaned = raw ? (semver.clean(raw, { loose: true }) ?? semver.coerce(raw)?.version) : undefined;
  if (raw && cleaned) {
    warnings.push(msg('importWarnings.versionNotSemver', { raw, version: cleaned }));
    return cleaned;
  }
  warnings.push(raw ? msg('importWarnings.versionNotANumber', { raw }) : msg('importWarnings.versionMissing'));
  return '0.1.0';
}

/** Valid SPDX expressions kept; missing, unasserted or invalid ones become warnings (exported as NOASSERTION). */
export function normaliseLicenses(raw: ImportedProject['licenses'], warnings: Detail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!value) continue;
    if (unasserted.test(value)) warnings.push(msg('importWarnings.licenceUnasserted', { kind: key, value }));
    else if (isValidSpdx(value)) out[key] = value;
    else warnings.push(msg('importWarnings.licenceNotSpdx', { kind: key, value, noAssertion }));
  }
  if (!Object.keys(raw).some((k) => raw[k as keyof typeof raw]))
    warnings.push(msg('importWarnings.noLicence', { noAssertion }));
  return out;
}

/** Drops the known manifest fields of the wrong type (one warning each) until the manifest validates. */
export function usableManifest(manifest: Record<string, unknown>, warnings: Detail[]): Record<string, unknown> {
  const m = { ...manifest };
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return validateManifest(m);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const fields = new Set(
        (err.errors ?? []).map((e) => String(e.field ?? '').split('/')[2]).filter((f) => f && f !== 'version'),
      );
      if (!fields.size) throw err;
      for (const f of fields) {
        const reason = (err.errors ?? []).find((e) => String(e.field).split('/')[2] === f)?.message;
        warnings.push(
          composed('importWarnings.fieldDoesNotFit', { field: f, reason: reason ?? msg('importWarnings.invalid') }),
        );
        delete m[f];
      }
    }
  }
  return validateManifest(m);
}

async function uniqueSlug(db: Db, owner: string, wanted: string): Promise<string> {
  const rows = await db
    .select({ slug: designs.slug })
    .from(designs)
    .where(and(eq(designs.ownerHandle, owner), like(designs.slug, `${wanted}%`)));
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

/** A slug already taken by one of the caller's designs gets a suffix (-2, -3…), never a 409. */
async function createWithFreeSlug(db: Db, caller: Caller, wanted: string, fields: Omit<DesignCreate, 'slug'>) {
  for (let attempt = 0; ; attempt++) {
    const slug = await uniqueSlug(db, caller.handle, wanted);
    try {
      // in a savepoint: a taken slug (23505) must not abort the import's transaction
      return await db.transaction((sp) => createDesign(sp, caller, { ...fields, slug }));
    } catch (err) {
      // another import took the same slug between the look-up and the insert
      if (!(err instanceof AppError && err.code === 'taken') || attempt >= 5) throw err;
    }
  }
}

function readProjects(detected: DetectedManifest): ImportedProject[] {
  if (detected.kind === 'okh-losh') return [readOkhLosh(detected.doc)];
  if (detected.kind === 'okh-v1') return [readOkhV1(detected.doc)];
  return readKitspace(detected.doc);
}

/** The files of one project, relative to its root; the manifest and the BOM are not among them. */
function projectFiles(
  tree: ProjectTree,
  root: string,
  project: ImportedProject,
  skip: Set<string>,
  warnings: Detail[],
): PublishedFile[] {
  const base = root + project.base;
  const named = project.extraPaths.map((p) => root + p);
  const out: PublishedFile[] = [];
  for (const e of tree.entries.values()) {
    if (skip.has(e.path)) continue;
    const inside = project.onlyNamed
      ? named.some((n) => (n.endsWith('/') ? e.path.startsWith(n) : e.path === n))
      : e.path.startsWith(base);
    if (!inside) continue;
    const rel = project.onlyNamed ? e.path.slice(root.length) : e.path.slice(base.length);
    try {
      out.push({ path: checkFilePath(rel), sha256: e.sha256, size: e.size });
    } catch (err) {
      const reason = err instanceof AppError ? (err.detail ?? err.message) : (err as Error).message;
      warnings.push(composed('importWarnings.fileLeftOut', { file: rel, reason }));
    }
  }
  return out;
}

/**
 * Whether an uploaded folder may hold a board: a file of it is Gerber or Excellon by content, or is too large to have
 * been kept in memory (the pipeline sniffs it). An absent folder is already warned of as not uploaded.
 */
function boardIn(tree: ProjectTree, folder: string): boolean {
  const inside = [...tree.entries.values()].filter((e) => e.path.startsWith(folder));
  return !inside.length || inside.some((e) => !e.bytes || detectBoardFile(e.bytes) !== null);
}

/** Imports every project a tree's manifest describes. */
export async function importTree(deps: PublishDeps, caller: Caller, tree: ProjectTree): Promise<ImportedDesign[]> {
  const found = await findManifest(tree, deps.config.importDetectMs);
  if (!found) {
    throw new AppError('unprocessable', tree.singleFile ? msg('import.notAManifest') : msg('import.noManifest'), {
      errors: [{ field: 'files', message: msg('fields.noManifest') }],
    });
  }
  const root = dirOf(found.entry.path);
  const folderName = root
    ? root.slice(0, -1).split('/').pop()!
    : found.entry.path
        .split('/')
        .pop()!
        .replace(/\.[^.]+$/, '')
        .replace(/^okh[-_]/i, '');
  // a manifest's usual file name (kitspace.yaml, okh.toml) says nothing about the design
  const fallback = [
    { name: folderName, from: root ? 'folder' : 'file' },
    { name: tree.uploadName, from: 'upload' },
  ].find((c) => c.name && !/^(okh|kitspace|manifest)$/i.test(c.name));
  const projects = readProjects(found.detected);
  // every design an import creates is a publish: all of them must fit in the hourly rate, or none is made
  await checkPublishRate(deps.db, caller.id, deps.config, projects.length);
  // all or nothing: one transaction for every design and version, so an interrupted import leaves none and a retry
  // makes no "-2" duplicates; listeners hear of the versions once they are committed
  const published: PublishContext[] = [];
  const results = await deps.db.transaction(async (tx) => {
    const txDeps: PublishDeps = { ...deps, db: tx, afterPublished: [] };
    const out: ImportedDesign[] = [];
    for (const project of projects) {
      const imported = await importProject(
        txDeps,
        caller,
        tree,
        { found, root, fallback, single: projects.length === 1 },
        project,
      );
      published.push(imported.ctx);
      out.push(imported.design);
    }
    return out;
  });
  for (const ctx of published) for (const hook of deps.afterPublished) hook(ctx);
  return results;
}

interface ImportSource {
  found: { entry: TreeEntry; detected: DetectedManifest };
  root: string;
  fallback: { name: string; from: string } | undefined;
  /** the manifest describes one project (an empty one is refused) */
  single: boolean;
}

/** One project of the manifest: its design and first version, written with the import's transaction. */
async function importProject(
  deps: PublishDeps,
  caller: Caller,
  tree: ProjectTree,
  { found, root, fallback, single }: ImportSource,
  project: ImportedProject,
): Promise<{ design: ImportedDesign; ctx: PublishContext }> {
  const warnings = [...project.warnings];
  let title = project.title?.slice(0, 200);
  if (!title) {
    title = fallback?.name ?? (project.source === 'kitspace' ? 'Kitspace project' : 'Imported design');
    warnings.push(
      fallback
        ? msg('importWarnings.titleFrom', { title, from: fallback.from })
        : msg('importWarnings.titled', { title }),
    );
  }
  const version = normaliseVersion(project.version, warnings);
  const licenses = normaliseLicenses(project.licenses, warnings);
  const manifest = usableManifest(
    { ...project.manifest, version, ...(Object.keys(licenses).length ? { licenses } : {}) },
    warnings,
  );
  if (!Object.keys(licenses).length) delete manifest.licenses;

  const skip = new Set([found.entry.path]);
  let bom: PublishedFile | undefined;
  if (project.bom) {
    const entry = tree.entries.get(root + project.bom);
    if (!entry) warnings.push(msg('importWarnings.bomNotUploaded', { bom: project.bom }));
    else {
      const bytes = entry.bytes ? Buffer.from(entry.bytes) : await deps.blobs.getBuffer(entry.sha256);
      try {
        parseBom(bytes, entry.path);
        const inBase = entry.path.startsWith(root + project.base);
        bom = {
          path: inBase ? entry.path.slice((root + project.base).length) : entry.path.split('/').pop()!,
          sha256: entry.sha256,
          size: entry.size,
        };
        skip.add(entry.path);
      } catch (err) {
        if (!(err instanceof BomUnreadableError)) throw err;
        const unreadable = { code: err.code, values: err.values, message: err.message };
        warnings.push(
          composed('importWarnings.bomUnreadable', {
            bom: project.bom,
            // the kernel's reason in the reply's language, from its code (locales/<tag>.json, bomWarnings)
            reason: (locale) => bomWarningText(unreadable, locale),
          }),
        );
      }
    }
  }
  const files = projectFiles(tree, root, project, skip, warnings);
  for (const n of project.named ?? []) {
    const uploaded = n.endsWith('/')
      ? [...tree.entries.keys()].some((p) => p.startsWith(root + n))
      : tree.entries.has(root + n);
    if (!uploaded)
      warnings.push(msg('importWarnings.namedNotUploaded', { kind: n.endsWith('/') ? 'folder' : 'file', name: n }));
  }
  if (project.gerbers && !boardIn(tree, root + project.gerbers))
    warnings.push(msg('importWarnings.gerbersWithoutBoard', { folder: project.gerbers }));
  // a manifest that names its files describes a project even when uploaded alone: they can follow in a new version
  const namesFiles = !!project.bom || !!project.named?.length;
  if (
    !bom &&
    !files.length &&
    !namesFiles &&
    !project.title &&
    !project.manifest.function &&
    !project.manifest.summary &&
    single
  ) {
    throw new AppError('unprocessable', msg('import.emptyManifest'), {
      errors: [{ field: 'files', message: msg('fields.emptyManifest') }],
    });
  }
  const fields = {
    title,
    summary: String(manifest.summary ?? firstSentence(manifest.function as string | undefined) ?? '').slice(0, 2000),
    category: typeof manifest.category === 'string' ? manifest.category.slice(0, 60) : undefined,
    tags: Array.isArray(manifest.tags)
      ? (manifest.tags as unknown[])
          .filter((t): t is string => typeof t === 'string' && t.length > 0 && t.length <= 40)
          .slice(0, 30)
      : [],
    licenses,
  };
  const design = await createWithFreeSlug(deps.db, caller, slugify(project.slug ?? title), fields);
  const ctx = await commitVersion(deps, design, caller, { manifest, bom, files });
  return { design: { owner: design.ownerHandle, slug: design.slug, version, warnings }, ctx };
}
