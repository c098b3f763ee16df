// The uploaded project as a tree of files: multipart `files` parts, each a manifest, a project file (its filename
// is its path) or a zip of a project, read through the guarded unzip. Every file is stored through the upload intake
// on the way in (charged to the importer's quota).
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { Config } from '../config.js';
import { AppError, msg } from '../errors.js';
import type { StoredBlob } from '../storage/blob-store.js';
import type { UploadIntake } from '../registry/intake.js';
import { unzipInThread } from './unzip.js';
import { CadReadError, defaultReadLimits } from '../cad/types.js';
import { checkFilePath } from '../registry/paths.js';
import { maxManifestBytes } from './detect.js';

export interface TreeEntry extends StoredBlob {
  path: string;
  /** the bytes of small files (manifest candidates); larger ones are read back from the blob store when needed */
  bytes?: Uint8Array;
}

export interface ProjectTree {
  entries: Map<string, TreeEntry>;
  /** a name for the upload when the manifest gives none: the zip's or the single file's name */
  uploadName: string;
  /** the upload was one file, not a project */
  singleFile: boolean;
}

/** An import is read into memory (a zip must be whole to unpack): its size is capped below the version limit. */
export const maxImportBytes = 256 * 1024 * 1024;

/** The largest import this instance takes: the version limit or maxImportBytes, whichever is smaller. */
export const importLimit = (config: Config) => Math.min(config.maxVersionBytes, maxImportBytes);

/** folders, version-control and OS litter: left out of an unpacked zip */
const junkEntry = /\/$|(^|\/)(__MACOSX|\.git|\.svn|\.hg|node_modules)\/|(^|\/)(\.DS_Store|Thumbs\.db)$/;

export const isZip = (b: Uint8Array) =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export class TreeBuilder {
  readonly entries = new Map<string, TreeEntry>();
  private total = 0;

  constructor(
    private readonly intake: UploadIntake,
    private readonly config: Config,
  ) {}

  get limit() {
    return importLimit(this.config);
  }

  async add(rawPath: string, bytes: Uint8Array): Promise<void> {
    const path = checkFilePath(rawPath);
    if (this.entries.has(path))
      throw new AppError('bad-path', msg('import.pathTwice', { path }), {
        errors: [{ field: 'files', value: path, message: msg('fields.duplicatePath') }],
      });
    if (this.entries.size >= this.config.maxFilesPerVersion * 2)
      throw new AppError('too-large', msg('import.files', { limit: this.config.maxFilesPerVersion * 2 }));
    this.total += bytes.length;
    if (this.total > this.limit)
      throw new AppError('too-large', msg('import.tooLarge', { limit: this.limit }), {
        extra: { limit: this.limit },
      });
    const blob = await this.intake.storeBuffer(bytes);
    await this.intake.charge(blob);
    this.entries.set(path, { path, ...blob, ...(bytes.length <= maxManifestBytes ? { bytes } : {}) });
  }

  /** Unpacks a project zip: sizes, ratios, entry count and names are checked before anything is inflated. */
  async addZip(name: string, bytes: Uint8Array): Promise<void> {
    let files: Record<string, Uint8Array>;
    try {
      // in a thread: inflating a big import would hold the event loop
      files = await unzipInThread(
        bytes,
        {
          ...defaultReadLimits,
          maxZipEntries: this.config.maxFilesPerVersion * 2,
          maxUncompressedBytes: this.limit - this.total,
        },
        `"${name}"`,
        junkEntry,
      );
    } catch (err) {
      if (err instanceof CadReadError)
        throw new AppError('unprocessable', msg('import.badZip', { why: err.message }), {
          errors: [{ field: 'files', value: name, message: err.message }],
        });
      throw err;
    }
    for (const [path, data] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
      try {
        checkFilePath(path);
      } catch {
        continue; // a name we would not store (control characters, backslashes): left out of the project
      }
      await this.add(path, data);
    }
  }
}

/** Reads the multipart body of POST /api/import into a project tree (parts read with fileSize at importLimit). */
export async function receiveImportParts(
  parts: AsyncIterable<Multipart>,
  intake: UploadIntake,
  config: Config,
): Promise<ProjectTree> {
  const tree = new TreeBuilder(intake, config);
  const names: string[] = [];
  let zipped = false;
  for await (const part of parts) {
    if (part.type === 'field')
      throw new AppError('validation', msg('import.unknownField', { field: part.fieldname }), {
        errors: [{ field: part.fieldname, message: msg('fields.notAnImportField') }],
      });
    const file = part as MultipartFile;
    if (file.fieldname !== 'files') {
      file.file.resume();
      throw new AppError('validation', msg('import.unknownPart', { part: file.fieldname }), {
        errors: [{ field: file.fieldname, message: msg('fields.notAnImportPart') }],
      });
    }
    let bytes: Buffer;
    try {
      bytes = await file.toBuffer();
      intake.received(bytes.length);
    } catch (err) {
      if ((err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE') {
        intake.received(tree.limit);
        throw new AppError('too-large', msg('import.fileTooLarge', { file: file.filename, limit: tree.limit }), {
          extra: { limit: tree.limit },
        });
      }
      throw err;
    }
    const name = file.filename || 'upload';
    names.push(name);
    if (isZip(bytes)) {
      zipped = true;
      await tree.addZip(name, bytes);
    } else {
      await tree.add(name, bytes);
    }
  }
  if (!names.length)
    throw new AppError('validation', msg('import.noFiles'), {
      errors: [{ field: 'files', message: msg('fields.required') }],
    });
  const uploadName = names[0]
    .split('/')
    .pop()!
    .replace(/\.[^.]+$/, '');
  return { entries: tree.entries, uploadName, singleFile: names.length === 1 && !zipped };
}
