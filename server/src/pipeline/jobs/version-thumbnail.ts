// version-thumbnail: every drawable CAD file of a version in one picture (the design card) and one GLB,
// enqueued when a version's last file job ends; keyed by the sorted sha256s of those files.
import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { enqueue, type Job } from '../queue.js';
import type { JobDefinition } from '../job-definition.js';
import { jobs } from '../tables.js';
import { PermanentJobError } from '../job-kinds.js';
import { findDerivative, saveDerivative, type DerivativeKey } from '../derivatives.js';
import { RENDERER_VERSION, type PreviewSize } from '../../render/preview.js';
import { filesOf, type FileRow } from '../../registry/versions.js';
import { designVersions } from '../../registry/tables.js';
import { versionFileAddresses } from '../../registry/file-state.js';
import type { PipelineServices } from '../services.js';
import { transferable } from '../pool.js';

export interface VersionThumbnailPayload {
  versionId: string;
}
declare module '../job-kinds.js' {
  interface JobPayloads {
    'version-thumbnail': VersionThumbnailPayload;
  }
}

export const thumbnailSizes: PreviewSize[] = [512, 256];
export const thumbnailFormats = ['png', 'webp'] as const;
/** A thumbnail reads every CAD file again: past this many bytes in total the largest files are left out. */
const MAX_THUMBNAIL_BYTES = 256 * 1024 * 1024;

/** The counts a mesh's or point cloud's facts carry (absent on drawings and documents). */
type MeshCounts = { triangles?: number; points?: number };

const pending = (f: Pick<FileRow, 'state'>) => f.state === 'queued' || f.state === 'running';

/** CAD files that came out of the pipeline with something to draw (triangles or points). */
export function drawableFiles(files: FileRow[]): FileRow[] {
  return files.filter(
    (f) =>
      f.role === 'cad' &&
      f.state === 'done' &&
      f.facts &&
      (((f.facts as MeshCounts).triangles ?? 0) > 0 || ((f.facts as MeshCounts).points ?? 0) > 0),
  );
}

/** How the files are put in one scene (render/arrange.ts); a new value redraws every version thumbnail and GLB. */
const ARRANGEMENT = 'whole-model-alone-1';

/** One key for the set of files, whatever their paths: the same parts in a fork share the thumbnail. */
export function thumbnailSubject(files: Pick<FileRow, 'sha256'>[]): string {
  return createHash('sha256')
    .update(
      `${ARRANGEMENT}|${files
        .map((f) => f.sha256)
        .sort()
        .join(',')}`,
    )
    .digest('hex');
}

export const thumbnailKey = (subject: string, size: number, format: string): DerivativeKey => ({
  subjectKey: subject,
  rendererVersion: RENDERER_VERSION,
  kind: 'thumbnail',
  variant: `${size}.${format}`,
});
export const versionGlbKey = (subject: string): DerivativeKey => ({
  subjectKey: subject,
  rendererVersion: RENDERER_VERSION,
  kind: 'mesh-glb',
  variant: 'version',
});

/** The newest thumbnail job of a version still queued or running, if any. */
export async function pendingThumbnailJob(db: Executor, versionId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(eq(jobs.kind, 'version-thumbnail'), eq(jobs.subject, versionId), inArray(jobs.state, ['queued', 'running'])),
    )
    .limit(1);
  return row?.id;
}

/**
 * Called when a file job of the version ends (done or failed): once none is left pending and the version
 * has CAD files, enqueue its thumbnail (once). Two last files ending together may both enqueue: the
 * second job then finds the derivatives made and returns at once.
 */
export async function enqueueThumbnailWhenSettled(
  s: PipelineServices,
  versionId: string,
  priority = 0,
  requestId?: string,
): Promise<string | undefined> {
  const files = await filesOf(s.db, versionId);
  if (files.some(pending) || !files.some((f) => f.role === 'cad')) return undefined;
  if (await pendingThumbnailJob(s.db, versionId)) return undefined;
  const id = await enqueue(s.db, 'version-thumbnail', { versionId }, { subject: versionId, priority, requestId });
  s.notify();
  return id;
}

/** Says the version's thumbnail and whole-version GLB exist: explore cards waiting on a placeholder load them. */
async function announceThumbnail(s: PipelineServices, job: Job<'version-thumbnail'>, versionId: string): Promise<void> {
  const [f] = await versionFileAddresses(s.db, versionId);
  if (f)
    s.events.publish({
      type: 'job',
      kind: 'version-thumbnail',
      design: `${f.owner}/${f.slug}`,
      version: f.version,
      state: 'done',
      jobId: job.id,
    });
}

export const versionThumbnail = (s: PipelineServices): JobDefinition<'version-thumbnail'> => ({
  kind: 'version-thumbnail',
  async handle(job) {
    const { versionId } = job.payload;
    const result = await drawVersionThumbnail(s, versionId);
    if (!('skipped' in result)) await announceThumbnail(s, job, versionId);
    return result;
  },
});

/** The thumbnails and GLB of the version's drawable CAD files, unless made already. */
async function drawVersionThumbnail(s: PipelineServices, versionId: string) {
  const files = await filesOf(s.db, versionId);
  const drawable = drawableFiles(files);
  if (drawable.length === 0) return { skipped: 'no CAD file of this version could be drawn' };
  const subject = thumbnailSubject(drawable);
  // the last derivative saved below: when it exists, all do
  if (await findDerivative(s.db, thumbnailKey(subject, thumbnailSizes.at(-1)!, thumbnailFormats.at(-1)!)))
    return { cached: true, subject };
  let budget = MAX_THUMBNAIL_BYTES;
  const chosen = [...drawable].sort((a, b) => a.size - b.size).filter((f) => (budget -= f.size) >= 0);
  const [version] = await s.db
    .select({ manifest: designVersions.manifest })
    .from(designVersions)
    .where(eq(designVersions.id, versionId))
    .limit(1);
  const manifest = (version?.manifest ?? {}) as Record<string, unknown>;
  const units = typeof manifest.units === 'string' ? manifest.units : undefined;
  const result = await s.pool.versionThumbnail({
    files: await Promise.all(
      chosen.map(async (f) => ({ bytes: transferable(await s.blobs.getBuffer(f.sha256)), filename: f.path, units })),
    ),
    sizes: thumbnailSizes,
    formats: [...thumbnailFormats],
  });
  if (!result)
    throw new PermanentJobError('none of the CAD files of this version could be read again for its thumbnail');
  if (result.glb.length) {
    const blob = await s.blobs.putBuffer(result.glb);
    await saveDerivative(s.db, versionGlbKey(subject), {
      ...blob,
      data: { shared: result.shared, files: result.files },
    });
  }
  for (const p of result.previews) {
    const blob = await s.blobs.putBuffer(p.bytes);
    await saveDerivative(s.db, thumbnailKey(subject, p.size, p.format), blob);
  }
  return { subject, files: result.files, shared: result.shared };
}
