// mirror-version: the verified copy of one version of a remote design. Each file and the BOM are fetched from the
// URLs the origin announced and kept only if their bytes hash to the announced sha256 (checked before the blob gets
// its name); blobs already held are not fetched again. Then the version is published here through the registry's
// publish core, so the pipeline draws its previews and reads its facts exactly as for an upload.
import { randomUUID } from 'node:crypto';
import semver from 'semver';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { BlobMismatchError, BlobTooLargeError, isSha256 } from '../storage/blob-store.js';
import type { JobDefinition } from '../pipeline/job-definition.js';
import { PermanentJobError } from '../pipeline/job-kinds.js';
import { commitVersion, type PublishDeps, type PublishedFile } from '../registry/publish.js';
import { checkFilePath } from '../registry/paths.js';
import { findDesignById } from '../registry/designs.js';
import { holdBlob, releaseHolds } from '../registry/blob-holds.js';
import { findMirroredVersion, setMirrorState, setMirroredYank } from '../registry/mirrors.js';
import type { DesignChangedHook } from '../registry/design-changed.js';
import type { RemoteVersion } from './remote-version.js';
import { safeFetch, SafeFetchError } from './safe-fetch.js';

export interface MirrorVersionPayload {
  designId: string;
  version: string;
}
declare module '../pipeline/job-kinds.js' {
  interface JobPayloads {
    'mirror-version': MirrorVersionPayload;
  }
}

/** Mirrors run after what local users upload, before sample loading. */
export const mirrorPriority = 5;
/** Network failures are retried with the queue's backoff this many times in all. */
export const mirrorAttempts = 5;

export interface MirrorJobDeps {
  db: Db;
  blobs: BlobStore;
  config: Config;
  publish: Omit<PublishDeps, 'db' | 'blobs' | 'config'>;
  designChanged: readonly DesignChangedHook[];
}

const permanent = (message: string) => new PermanentJobError(message);

/** The announced files and BOM, checked before any byte is fetched: paths, sha256s, sizes within the upload limits. */
function checkAnnounced(remote: RemoteVersion, config: Config): void {
  if (!semver.valid(remote.version)) throw permanent(`the version "${remote.version}" is not valid semver`);
  if (remote.files.length > config.maxFilesPerVersion)
    throw permanent(`it has ${remote.files.length} files; this instance keeps at most ${config.maxFilesPerVersion}`);
  const named = [...remote.files, ...(remote.bom ? [{ path: remote.bom.filename, sha256: remote.bom.sha256 }] : [])];
  for (const f of named) {
    try {
      checkFilePath(f.path);
    } catch (err) {
      throw permanent((err as Error).message);
    }
    if (!isSha256(f.sha256)) throw permanent(`"${f.path}" is announced with an invalid sha256`);
  }
  let total = 0;
  for (const f of remote.files) {
    if (f.size > config.maxFileBytes)
      throw permanent(`"${f.path}" is ${f.size} bytes, over this instance's limit of ${config.maxFileBytes}`);
    total += f.size;
  }
  if (total > config.maxVersionBytes)
    throw permanent(`the version is ${total} bytes, over this instance's limit of ${config.maxVersionBytes}`);
}

/**
 * Stores the bytes at `url` only if they hash to `sha256`; a blob already held is not fetched. The copy holds the
 * blob first (as an upload does), so a clean-up in any process spares it until the version's rows reference it.
 */
async function fetchVerified(
  deps: MirrorJobDeps,
  holdId: string,
  path: string,
  url: string,
  sha256: string,
): Promise<number> {
  await holdBlob(deps.db, holdId, sha256);
  const held = await deps.blobs.stat(sha256);
  if (held) return held.size;
  const { config } = deps;
  try {
    const res = await safeFetch(url, {
      allowPrivate: config.federationAllowPrivate,
      timeoutMs: config.jobTimeoutMs,
      maxBytes: config.maxFileBytes,
    });
    const blob = await deps.blobs.put(res.body, { maxBytes: config.maxFileBytes, expectSha256: sha256 });
    return blob.size;
  } catch (err) {
    if (err instanceof BlobMismatchError) throw permanent(`"${path}": ${err.message}; it was not kept`);
    if (err instanceof BlobTooLargeError) throw permanent(`"${path}" is over the limit of ${err.limit} bytes`);
    if (err instanceof SafeFetchError && !err.retryable) throw permanent(`"${path}": ${err.message}`);
    throw err;
  }
}

export const mirrorVersionJob = (deps: MirrorJobDeps): JobDefinition<'mirror-version'> => ({
  kind: 'mirror-version',
  async handle(job) {
    const { designId, version } = job.payload;
    const row = await findMirroredVersion(deps.db, designId, version);
    if (!row || row.state === 'complete' || row.takenDown) return { skipped: true };
    const design = await findDesignById(deps.db, designId);
    const remote = row.remote as unknown as RemoteVersion;
    await setMirrorState(deps.db, designId, version, 'fetching');
    checkAnnounced(remote, deps.config);
    // what this run copies is held until its rows reference it (released whatever happens: gc clears a crash's)
    const holdId = randomUUID();
    const files: PublishedFile[] = [];
    try {
      // the sizes received, not the ones announced, are held to the version limit
      let total = 0;
      for (const f of remote.files) {
        const size = await fetchVerified(deps, holdId, f.path, f.url, f.sha256);
        total += size;
        if (total > deps.config.maxVersionBytes)
          throw permanent(`the version is over this instance's limit of ${deps.config.maxVersionBytes} bytes`);
        files.push({ path: checkFilePath(f.path), sha256: f.sha256, size });
      }
      let bom: PublishedFile | undefined;
      if (remote.bom) {
        const size = await fetchVerified(deps, holdId, remote.bom.filename, remote.bom.url, remote.bom.sha256);
        bom = { path: checkFilePath(remote.bom.filename), sha256: remote.bom.sha256, size };
      }
      // the origin's remote owner publishes it here, through the same core as an upload (rows, BOM, search, pipeline)
      const owner = { id: design.ownerId, handle: design.ownerHandle, isAdmin: false, scope: 'write' as const };
      const manifest = { ...remote.manifest, version: remote.version };
      // the origin's publication time, in the same transaction: search rows and "recent" are written with it
      const at = new Date(remote.publishedAt);
      const publishedAt = Number.isNaN(at.getTime()) || at.getTime() > Date.now() ? undefined : at;
      try {
        await commitVersion(
          { db: deps.db, blobs: deps.blobs, config: deps.config, ...deps.publish },
          design,
          owner,
          { manifest, files, ...(bom ? { bom } : {}), ...(publishedAt ? { publishedAt } : {}) },
          mirrorPriority,
        );
      } catch (err) {
        // already published here (a job run twice after a crash between commit and this state): nothing to redo
        if (!(err instanceof AppError && err.code === 'version-exists')) {
          if (err instanceof AppError) throw permanent(err.message);
          throw err;
        }
      }
    } finally {
      await releaseHolds(deps.db, holdId);
    }
    if (remote.yanked) await setMirroredYank(deps.db, design, version, true, deps.designChanged);
    await setMirrorState(deps.db, designId, version, 'complete');
    return { files: files.length };
  },
  async onFailed(job, error) {
    await setMirrorState(deps.db, job.payload.designId, job.payload.version, 'failed', error);
  },
});
