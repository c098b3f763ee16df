// Publishing a version in one multipart request: parts stream to the blob store while hashed, rows are
// written in one transaction only after every part is stored — any failure leaves no version and no files.
import type { FastifyRequest } from 'fastify';
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import { eq } from 'drizzle-orm';
import semver from 'semver';
import type { Db, Executor } from '../db/client.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { BlobTooLargeError, type BlobStore, type StoredBlob } from '../storage/blob-store.js';
import { blobs, designs, designVersions, files } from './tables.js';
import { requireLead, type DesignRow } from './designs.js';
import { checkFilePath } from './paths.js';
import { checkLicenses } from './licenses.js';
import { checkForkLicenses } from './forks.js';
import { describeFile } from './media.js';
import type { VersionRow } from './versions.js';
import { validateManifest } from './manifest.js';

export interface PublishedFile extends StoredBlob {
  path: string;
}

export interface PublishInput {
  manifest: Record<string, unknown>;
  bom?: PublishedFile;
  files: PublishedFile[];
}

export interface PublishContext {
  design: DesignRow;
  version: VersionRow;
  input: PublishInput;
  caller: Caller;
  /** lower numbers run first in the pipeline; samples publish below user uploads */
  priority: number;
}

/** Runs inside the publish transaction (BOM rows, pipeline jobs…); throwing rolls the whole publish back. */
export type VersionPublishedHook = (tx: Executor, ctx: PublishContext) => Promise<void>;
/** Runs after the transaction committed (wake the worker, notify listeners). */
export type AfterPublishHook = (ctx: PublishContext) => void;

export interface PublishDeps {
  db: Db;
  blobs: BlobStore;
  config: Config;
  onPublished: VersionPublishedHook[];
  afterPublished: AfterPublishHook[];
}

function tooLarge(what: string, limit: number): AppError {
  return new AppError('too-large', `${what} is larger than the limit of ${limit} bytes (${(limit / 1048576).toFixed(0)} MB)`, { extra: { limit } });
}

/** Reads the multipart body: manifest field, optional bom part, files parts. Stores blobs, writes no rows. */
export async function receivePublishParts(req: FastifyRequest, store: BlobStore, config: Config): Promise<PublishInput> {
  if (!req.isMultipart()) throw new AppError('unsupported-file', 'Publish with a multipart/form-data body: a manifest field, an optional bom part and files parts');
  let manifestText: string | undefined;
  let bom: PublishedFile | undefined;
  const out: PublishedFile[] = [];
  const seen = new Set<string>();
  let total = 0;

  const store1 = async (part: MultipartFile, label: string): Promise<StoredBlob> => {
    const remaining = config.maxVersionBytes - total;
    const limit = Math.min(config.maxFileBytes, remaining);
    try {
      const blob = await store.put(part.file, { maxBytes: limit });
      total += blob.size;
      return blob;
    } catch (err: any) {
      if (err instanceof BlobTooLargeError || err?.code === 'FST_REQ_FILE_TOO_LARGE') {
        throw limit < config.maxFileBytes ? tooLarge(`The version (at ${label})`, config.maxVersionBytes) : tooLarge(`File ${label}`, config.maxFileBytes);
      }
      throw err;
    }
  };

  for await (const part of req.parts()) {
    if (part.type === 'field') {
      const field = part as MultipartValue<string>;
      if (field.fieldname !== 'manifest') throw new AppError('validation', `Unknown field "${field.fieldname}"; send manifest, bom and files`, { errors: [{ field: field.fieldname, message: 'is not a publish field' }] });
      if (manifestText !== undefined) throw new AppError('validation', 'The manifest field was sent twice', { errors: [{ field: 'manifest', message: 'sent twice' }] });
      manifestText = String(field.value);
      continue;
    }
    if (part.fieldname === 'bom') {
      if (bom) throw new AppError('validation', 'Only one bom part is allowed', { errors: [{ field: 'bom', message: 'sent twice' }] });
      const name = part.filename || 'bom.csv';
      bom = { path: name, ...(await store1(part, `bom "${name}"`)) };
      continue;
    }
    if (part.fieldname !== 'files') {
      part.file.resume();
      throw new AppError('validation', `Unknown file part "${part.fieldname}"; use bom or files`, { errors: [{ field: part.fieldname, message: 'is not a publish part' }] });
    }
    let path: string;
    try {
      path = checkFilePath(part.filename);
      if (seen.has(path)) throw new AppError('bad-path', `File path "${path}" appears twice in this version`, { errors: [{ field: 'files', value: path, message: 'duplicate path' }] });
      if (out.length >= config.maxFilesPerVersion) throw new AppError('too-large', `A version holds at most ${config.maxFilesPerVersion} files`, { extra: { limit: config.maxFilesPerVersion } });
    } catch (err) {
      part.file.resume();
      throw err;
    }
    seen.add(path);
    out.push({ path, ...(await store1(part, `"${path}"`)) });
  }
  if (manifestText === undefined) throw new AppError('validation', 'The manifest field is missing', { errors: [{ field: 'manifest', message: 'is required' }] });
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch (err: any) {
    throw new AppError('bad-manifest', `The manifest is not valid JSON: ${err.message}`, { errors: [{ field: 'manifest', message: 'is not valid JSON' }] });
  }
  return { manifest: validateManifest(manifest), bom, files: out };
}

/** Writes the version's rows in one transaction; the blobs are already stored. */
export async function commitVersion(deps: PublishDeps, design: DesignRow, caller: Caller, input: PublishInput, priority = 0): Promise<PublishContext> {
  const m = input.manifest;
  const version = String(m.version);
  const parsed = semver.parse(version)!;
  const licenses = { ...design.licenses, ...((m.licenses as Record<string, string>) ?? {}) };
  checkLicenses(licenses, '/manifest/licenses');
  await checkForkLicenses(deps.db, design, licenses, '/manifest/licenses');
  const manifest = { ...m, version: parsed.version, licenses };
  const ctx = await deps.db.transaction(async (tx) => {
    await requireLead(tx, design, caller);
    const all = await tx.select({ version: designVersions.version }).from(designVersions).where(eq(designVersions.designId, design.id));
    if (all.some((r) => r.version === parsed.version)) throw versionExists(design, parsed.version);
    const stored = [...input.files, ...(input.bom ? [input.bom] : [])];
    if (stored.length) await tx.insert(blobs).values(stored.map((b) => ({ sha256: b.sha256, size: b.size }))).onConflictDoNothing();
    const [row] = await tx.insert(designVersions).values({
      designId: design.id, version: parsed.version, major: parsed.major, minor: parsed.minor, patch: parsed.patch,
      prerelease: parsed.prerelease.length ? parsed.prerelease.join('.') : null,
      changelog: typeof m.changelog === 'string' ? m.changelog : null, manifest, createdBy: caller.id,
      bomBlob: input.bom?.sha256 ?? null, bomFilename: input.bom?.path ?? null,
    }).returning();
    if (input.files.length) {
      await tx.insert(files).values(input.files.map((f) => ({ versionId: row.id, path: f.path, sha256: f.sha256, size: f.size, ...describeFile(f.path) })));
    }
    await tx.update(designs).set({ updatedAt: new Date() }).where(eq(designs.id, design.id));
    const c: PublishContext = { design, version: row, input: { ...input, manifest }, caller, priority };
    for (const hook of deps.onPublished) await hook(tx, c);
    return c;
  }).catch((err: any) => {
    if ((err.code ?? err.cause?.code) === '23505') throw versionExists(design, parsed.version);
    throw err;
  });
  for (const hook of deps.afterPublished) hook(ctx);
  return ctx;
}

function versionExists(design: DesignRow, version: string) {
  return new AppError('version-exists', `${design.ownerHandle}/${design.slug} already has version ${version}; published versions are immutable, publish a new version number`);
}
