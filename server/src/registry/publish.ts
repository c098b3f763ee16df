// Publishing a version in one multipart request: parts stream to the blob store while hashed, rows are
// written in one transaction only after every part is stored — any failure leaves no version and no files.
import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart';
import { eq, inArray, sql } from 'drizzle-orm';
import semver from 'semver';
import type { Db, Executor } from '../db/client.js';
import { inBatches } from '../db/batches.js';
import type { Config } from '../config.js';
import { AppError, msg } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { BlobTooLargeError, isSha256, type BlobStore, type StoredBlob } from '../storage/blob-store.js';
import { blobs, designs, designVersions, files } from './tables.js';
import { requireLead, type DesignRow } from './designs.js';
import { checkFilePath } from './paths.js';
import type { UploadIntake } from './intake.js';
import { checkLicenses } from './licenses.js';
import { checkForkLicenses } from './forks.js';
import { isMirror } from './mirrors.js';
import { describeFile } from './media.js';
import { versionBefore, type VersionRow } from './versions.js';
import { validateManifest } from './manifest.js';
import { droppedFieldWarnings } from './publish-warnings.js';
import { sqlStateOf } from '../db/sql-state.js';
import { readVersionTexts, recordVersionTexts } from './translations.js';
import { notify, watchersOf } from '../notifications/notify.js';
import { versionSubject } from '../notifications/subjects.js';

export interface PublishedFile extends StoredBlob {
  path: string;
}

export interface PublishInput {
  manifest: Record<string, unknown>;
  bom?: PublishedFile;
  files: PublishedFile[];
  /** a mirrored copy keeps the time its origin published it (so "recent" and search rank it by that); else now */
  publishedAt?: Date;
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
/**
 * A file part's bytes are stored, before the version is committed (it may never be): work that only guesses ahead,
 * such as starting a big mesh's previews, whose result is used only by a job of the committed version.
 */
export type FileStoredHook = (file: PublishedFile, units: string | undefined) => void;

export interface PublishDeps {
  db: Db;
  blobs: BlobStore;
  config: Config;
  onPublished: VersionPublishedHook[];
  afterPublished: AfterPublishHook[];
}

/** 413 for a file (`file`: its name as shown) or the whole version (`at`: where it went over) over its limit. */
function tooLarge(what: { file: string } | { at: string }, limit: number): AppError {
  const values = { limit, mb: (limit / 1048576).toFixed(0) };
  return new AppError(
    'too-large',
    'file' in what
      ? msg('tooLarge.file', { file: what.file, ...values })
      : msg('tooLarge.version', { at: what.at, ...values }),
    { extra: { limit } },
  );
}

/** Sizes of the given blobs that belong to a published version (a file of any version), by sha256. */
export async function publishedBlobSizes(db: Executor, sha256s: string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(sha256s.filter(isSha256))];
  if (!wanted.length) return new Map();
  const rows = await db
    .selectDistinct({ sha256: files.sha256, size: files.size })
    .from(files)
    .where(inArray(files.sha256, wanted));
  return new Map(rows.map((r) => [r.sha256, r.size]));
}

type ExistingRef = { path: string; sha256: string };
const isExistingRef = (e: unknown): e is ExistingRef =>
  Boolean(e) &&
  typeof (e as ExistingRef).path === 'string' &&
  typeof (e as ExistingRef).sha256 === 'string' &&
  isSha256((e as ExistingRef).sha256);

function parseJsonField(field: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('validation', msg('publish.fieldNotJson', { field, why: (err as SyntaxError).message }), {
      errors: [{ field, message: msg('fields.notJson') }],
    });
  }
}

/** The `existing` field: JSON [{path, sha256}] naming files the server already stores, so a client need not resend them. */
function parseExisting(text: string): ExistingRef[] {
  const list = parseJsonField('existing', text);
  if (!Array.isArray(list) || !list.every(isExistingRef)) {
    throw new AppError('validation', msg('publish.existingShape'), {
      errors: [{ field: 'existing', message: msg('fields.expectedList') }],
    });
  }
  return list;
}

/** The `existingBom` field: JSON {path, sha256} naming a BOM a published version holds — a new version keeps its BOM unsent. */
function parseExistingBom(text: string): ExistingRef {
  const ref = parseJsonField('existingBom', text);
  if (!isExistingRef(ref)) {
    throw new AppError('validation', msg('publish.existingBomShape'), {
      errors: [{ field: 'existingBom', message: msg('fields.expectedRef') }],
    });
  }
  return ref;
}

/** Size of a blob some published version holds as its BOM, or undefined. */
async function publishedBomSize(db: Executor, sha256: string): Promise<number | undefined> {
  const [row] = await db
    .select({ size: blobs.size })
    .from(designVersions)
    .innerJoin(blobs, eq(blobs.sha256, designVersions.bomBlob))
    .where(eq(designVersions.bomBlob, sha256))
    .limit(1);
  return row?.size;
}

/** The manifest field's text: JSON, checked against the manifest schema (400 bad-manifest). */
function readManifest(text: string): Record<string, unknown> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw new AppError('bad-manifest', msg('publish.manifestNotJson', { why: (err as SyntaxError).message }), {
      errors: [{ field: 'manifest', message: msg('fields.notJson') }],
    });
  }
  return validateManifest(manifest);
}

/**
 * Reads the multipart body: manifest field, optional bom part, files parts. Stores blobs through the intake (which
 * charges them to the quota), writes no rows. A manifest sent before the files (as the web and the CLI send it) is
 * checked before any file byte is stored.
 */
export async function receivePublishParts(
  parts: AsyncIterable<Multipart>,
  intake: UploadIntake,
  deps: { db: Executor; blobs: BlobStore; config: Config; fileStored?: FileStoredHook[] },
): Promise<PublishInput> {
  const { db, blobs: store, config } = deps;
  let manifest: Record<string, unknown> | undefined;
  let bom: PublishedFile | undefined;
  const out: PublishedFile[] = [];
  const seen = new Set<string>();
  const existing: ExistingRef[] = [];
  let existingBom: ExistingRef | undefined;
  let total = 0;

  const store1 = async (part: MultipartFile, label: string): Promise<StoredBlob> => {
    const remaining = config.maxVersionBytes - total;
    const limit = Math.min(config.maxFileBytes, remaining);
    try {
      const blob = await intake.storePart(part, limit);
      total += blob.size;
      await intake.charge(blob);
      return blob;
    } catch (err) {
      if (err instanceof BlobTooLargeError) {
        throw limit < config.maxFileBytes
          ? tooLarge({ at: label }, config.maxVersionBytes)
          : tooLarge({ file: label }, config.maxFileBytes);
      }
      throw err;
    }
  };

  for await (const part of parts) {
    if (part.type === 'field') {
      const field = part as MultipartValue<string>;
      if (field.fieldname === 'existing') {
        existing.push(...parseExisting(String(field.value)));
        continue;
      }
      if (field.fieldname === 'existingBom') {
        if (bom || existingBom)
          throw new AppError('validation', msg('publish.oneBom'), {
            errors: [{ field: 'existingBom', message: msg('fields.sentTwice') }],
          });
        existingBom = parseExistingBom(String(field.value));
        continue;
      }
      if (field.fieldname !== 'manifest')
        throw new AppError('validation', msg('publish.unknownField', { field: field.fieldname }), {
          errors: [{ field: field.fieldname, message: msg('fields.notAPublishField') }],
        });
      if (manifest !== undefined)
        throw new AppError('validation', msg('publish.manifestTwice'), {
          errors: [{ field: 'manifest', message: msg('fields.sentTwice') }],
        });
      manifest = readManifest(String(field.value));
      continue;
    }
    if (part.fieldname === 'bom') {
      let name: string;
      try {
        if (bom || existingBom)
          throw new AppError('validation', msg('publish.oneBom'), {
            errors: [{ field: 'bom', message: msg('fields.sentTwice') }],
          });
        name = checkFilePath(part.filename || 'bom.csv', 'bom');
      } catch (err) {
        part.file.resume();
        throw err;
      }
      bom = { path: name, ...(await store1(part, `bom "${name}"`)) };
      continue;
    }
    if (part.fieldname !== 'files') {
      part.file.resume();
      throw new AppError('validation', msg('publish.unknownPart', { part: part.fieldname }), {
        errors: [{ field: part.fieldname, message: msg('fields.notAPublishPart') }],
      });
    }
    let path: string;
    try {
      path = checkFilePath(part.filename);
      if (seen.has(path))
        throw new AppError('bad-path', msg('publish.pathTwice', { path }), {
          errors: [{ field: 'files', value: path, message: msg('fields.duplicatePath') }],
        });
      if (out.length >= config.maxFilesPerVersion)
        throw new AppError('too-large', msg('tooLarge.files', { limit: config.maxFilesPerVersion }), {
          extra: { limit: config.maxFilesPerVersion },
        });
    } catch (err) {
      part.file.resume();
      throw err;
    }
    seen.add(path);
    const file = { path, ...(await store1(part, `"${path}"`)) };
    out.push(file);
    // the manifest comes before the files from the web and the CLI: its units are known by now
    const units = typeof manifest?.units === 'string' ? manifest.units : undefined;
    for (const hook of deps.fileStored ?? []) hook(file, units);
  }
  if (existing.length) {
    // files already stored server-side: only blobs of published versions may be referenced, so a sha256 alone grants nothing new
    const sizes = await publishedBlobSizes(
      db,
      existing.map((e) => e.sha256),
    );
    for (const e of existing) {
      const path = checkFilePath(e.path, 'existing');
      if (seen.has(path))
        throw new AppError('bad-path', msg('publish.pathTwice', { path }), {
          errors: [{ field: 'existing', value: path, message: msg('fields.duplicatePath') }],
        });
      const size = sizes.get(e.sha256);
      if (size === undefined || !(await store.has(e.sha256))) {
        throw new AppError('validation', msg('publish.unknownBlob', { path, blob: e.sha256.slice(0, 12) }), {
          errors: [{ field: 'existing', value: path, message: msg('fields.unknownSha256') }],
        });
      }
      if (size > config.maxFileBytes) throw tooLarge({ file: `"${path}"` }, config.maxFileBytes);
      total += size;
      if (total > config.maxVersionBytes) throw tooLarge({ at: `"${path}"` }, config.maxVersionBytes);
      await intake.charge({ sha256: e.sha256, size });
      if (out.length >= config.maxFilesPerVersion)
        throw new AppError('too-large', msg('tooLarge.files', { limit: config.maxFilesPerVersion }), {
          extra: { limit: config.maxFilesPerVersion },
        });
      seen.add(path);
      out.push({ path, sha256: e.sha256, size });
    }
  }
  if (existingBom) {
    const name = checkFilePath(existingBom.path, 'existingBom').split('/').pop()!;
    // like files: only a BOM some published version holds may be named, so a sha256 alone grants nothing new
    const size = await publishedBomSize(db, existingBom.sha256);
    if (size === undefined || !(await store.has(existingBom.sha256))) {
      throw new AppError(
        'validation',
        msg('publish.unknownBomBlob', { path: existingBom.path, blob: existingBom.sha256.slice(0, 12) }),
        { errors: [{ field: 'existingBom', value: existingBom.path, message: msg('fields.unknownSha256') }] },
      );
    }
    await intake.charge({ sha256: existingBom.sha256, size });
    bom = { path: name, sha256: existingBom.sha256, size };
  }
  if (manifest === undefined)
    throw new AppError('validation', msg('publish.manifestMissing'), {
      errors: [{ field: 'manifest', message: msg('fields.required') }],
    });
  return { manifest, bom, files: out };
}

/** Writes the version's rows in one transaction; the blobs are already stored. */
export async function commitVersion(
  deps: PublishDeps,
  design: DesignRow,
  caller: Caller,
  input: PublishInput,
  priority = 0,
): Promise<PublishContext> {
  const m = input.manifest;
  const version = String(m.version);
  const parsed = semver.parse(version)!;
  const licenses = { ...design.licenses, ...((m.licenses as Record<string, string>) ?? {}) };
  checkLicenses(licenses, '/manifest/licenses');
  // a mirror's version was checked at its home and is copied exactly: a licence reading here never refuses it
  if (!isMirror(design)) await checkForkLicenses(deps.db, design, licenses, '/manifest/licenses');
  const manifest = { ...m, version: parsed.version, licenses };
  // the README and its translations, read before the transaction holds its locks
  const texts = await readVersionTexts(deps.blobs, manifest, input.files);
  const ctx = await deps.db
    .transaction(async (tx) => {
      await requireLead(tx, design, caller);
      const all = await tx
        .select({ version: designVersions.version })
        .from(designVersions)
        .where(eq(designVersions.designId, design.id));
      if (all.some((r) => r.version === parsed.version)) throw versionExists(design, parsed.version);
      const previous = await versionBefore(tx, design.id, parsed.version);
      const warnings = previous ? droppedFieldWarnings(previous.manifest, manifest, previous.version) : [];
      const stored = [...input.files, ...(input.bom ? [input.bom] : [])];
      for (const batch of inBatches(stored))
        await tx
          .insert(blobs)
          .values(batch.map((b) => ({ sha256: b.sha256, size: b.size })))
          .onConflictDoNothing();
      const [row] = await tx
        .insert(designVersions)
        .values({
          designId: design.id,
          version: parsed.version,
          major: parsed.major,
          minor: parsed.minor,
          patch: parsed.patch,
          prerelease: parsed.prerelease.length ? parsed.prerelease.join('.') : null,
          changelog: typeof m.changelog === 'string' ? m.changelog : null,
          manifest,
          ...(input.publishedAt ? { publishedAt: input.publishedAt } : {}),
          createdBy: caller.id,
          bomBlob: input.bom?.sha256 ?? null,
          bomFilename: input.bom?.path ?? null,
          warnings,
        })
        .returning();
      for (const batch of inBatches(input.files)) {
        await tx.insert(files).values(
          batch.map((f) => ({
            versionId: row.id,
            path: f.path,
            sha256: f.sha256,
            size: f.size,
            ...describeFile(f.path),
          })),
        );
      }
      await recordVersionTexts(tx, row, texts);
      // a copy published in the origin's past does not make its design the newest here: its newest version's time
      const updatedAt = input.publishedAt
        ? sql`(select max(${designVersions.publishedAt}) from ${designVersions} where ${designVersions.designId} = ${design.id})`
        : new Date();
      await tx.update(designs).set({ updatedAt }).where(eq(designs.id, design.id));
      const c: PublishContext = { design, version: row, input: { ...input, manifest }, caller, priority };
      for (const hook of deps.onPublished) await hook(tx, c);
      await notify(tx, {
        userIds: await watchersOf(tx, 'design', [design.id]),
        kind: 'version',
        subject: versionSubject(design, row.version),
        actorId: caller.id,
      });
      return c;
    })
    .catch((err: unknown) => {
      if (sqlStateOf(err) === '23505') throw versionExists(design, parsed.version);
      throw err;
    });
  for (const hook of deps.afterPublished) hook(ctx);
  return ctx;
}

function versionExists(design: DesignRow, version: string) {
  return new AppError(
    'version-exists',
    msg('publish.versionExists', { design: `${design.ownerHandle}/${design.slug}`, version }),
  );
}
