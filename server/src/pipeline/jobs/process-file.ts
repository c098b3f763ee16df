// process-file: one file → facts, previews (PNG + WebP at 512 and 256) and, for 3D files, the viewer's GLB,
// computed in a worker thread, stored as derivatives; a reader's error fails the file at once with its reason.
import type { EncodedPreview, ProcessFileFailure } from '../thread.js';
import type { JobDefinition } from '../job-definition.js';
import { PermanentJobError } from '../job-kinds.js';
import { fileAddress, setFileState, versionFileAddresses, type FileAddress } from '../../registry/file-state.js';
import { findDerivative, saveDerivative } from '../derivatives.js';
import { previewKey } from '../../registry/preview-keys.js';
import { RENDERER_VERSION, type PreviewSize } from '../../render/preview.js';
import type { PipelineServices } from '../services.js';
import { enqueueThumbnailWhenSettled } from './version-thumbnail.js';
import { BREP_FORMATS, MESH_FORMATS } from '../../cad/read.js';
import { enqueue, requestIdOf } from '../queue.js';
import type { CadFormat } from '../../cad/detect.js';
import { TaskOutOfMemoryError, transferable } from '../pool.js';

export interface ProcessFilePayload {
  fileId: string;
}
declare module '../job-kinds.js' {
  interface JobPayloads {
    'process-file': ProcessFilePayload;
  }
}

export const previewSizes: PreviewSize[] = [512, 256];
export const previewFormats = ['png', 'webp'] as const;

/** Where a preview of these bytes is stored: the pipeline writes it, the preview route reads it. */
export function previewDerivativeKey(sha256: string, format: string, size: number) {
  return { subjectKey: sha256, rendererVersion: RENDERER_VERSION, kind: `preview-${format}`, variant: String(size) };
}

/** A .gltf names its buffers relative to itself: hand the reader the version's other files by that path. */
export async function siblingsOf(s: PipelineServices, f: FileAddress): Promise<Record<string, Uint8Array> | undefined> {
  if (f.format !== 'gltf') return undefined;
  const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/') + 1) : '';
  const out: Record<string, Uint8Array> = {};
  for (const other of await versionFileAddresses(s.db, f.versionId)) {
    if (other.fileId === f.fileId || !other.path.startsWith(dir) || !/\.(bin)$/i.test(other.path)) continue;
    out[other.path.slice(dir.length)] = await s.blobs.getBuffer(other.sha256);
  }
  return out;
}

/** Where a thread finds a file's bytes: the file-system store's own file, read by the thread; else the bytes. */
export async function fileSource(
  s: Pick<PipelineServices, 'blobs'>,
  sha256: string,
): Promise<{ file: string } | { bytes: Uint8Array }> {
  const file = s.blobs.localPath?.(sha256);
  return file !== undefined ? { file } : { bytes: transferable(await s.blobs.getBuffer(sha256)) };
}

/** GLBs wait behind the previews of the same upload (lower runs first), ahead of sample loading. */
const GLB_PRIORITY_OFFSET = 5;

export const unitsOf = (f: FileAddress) => (typeof f.manifest.units === 'string' ? f.manifest.units : undefined);

export const processFile = (s: PipelineServices): JobDefinition<'process-file'> => ({
  kind: 'process-file',
  async handle(job) {
    const f = await fileAddress(s.db, job.payload.fileId);
    if (!f) return { skipped: 'the file no longer exists' };
    const design = `${f.owner}/${f.slug}`;
    await setFileState(s.db, f.fileId, { state: 'running' });
    s.events.publish({ type: 'file', design, version: f.version, path: f.path, state: 'running', jobId: job.id });

    const key = { subjectKey: f.sha256, rendererVersion: RENDERER_VERSION, kind: 'facts' };
    let cached = await findDerivative(s.db, key);
    if (!cached) {
      const source = await fileSource(s, f.sha256);
      // a B-rep file's GLB comes from this same read, after its previews are posted: OpenCascade's read is nearly all
      // of its cost (tens of seconds for a large assembly), which a GLB job of its own would pay a second time
      const glb = BREP_FORMATS.has(f.format as CadFormat);
      // each preview is stored the moment the thread has drawn it (the preview route serves it while the facts of a
      // large mesh are still being computed); the result lists them all, and any not stored yet is stored then
      const stored = new Map<string, Promise<string>>();
      const store = (p: EncodedPreview) => {
        const id = `${p.format}${p.size}`;
        if (!stored.has(id)) {
          stored.set(
            id,
            s.blobs.putBuffer(p.bytes).then(async (blob) => {
              await saveDerivative(s.db, previewDerivativeKey(f.sha256, p.format, p.size), blob);
              return blob.sha256;
            }),
          );
          stored.get(id)!.catch(() => {
            /* awaited below */
          });
        }
      };
      const drawn = async () =>
        s.pool.processFile(
          {
            ...source,
            filename: f.path,
            units: unitsOf(f),
            sizes: previewSizes,
            formats: [...previewFormats],
            siblings: await siblingsOf(s, f),
            glb,
          },
          undefined,
          store,
        );
      // a big mesh's task may have started when its bytes were stored (early-draw.ts): taken over when it succeeded;
      // one that failed may have met bytes a refused upload of the same file deleted meanwhile, so it is drawn again
      const early = s.early?.take({ sha256: f.sha256, path: f.path, units: unitsOf(f) }, store);
      const result = await (early ? early.then((r) => (r.ok ? r : drawn()), drawn) : drawn()).catch(
        (err: unknown): ProcessFileFailure => {
          // the same bytes would exhaust a thread again: remembered by sha256 like a reader's refusal, never retried
          if (err instanceof TaskOutOfMemoryError) return { ok: false, readerError: true, message: err.message };
          throw err;
        },
      );
      if (!result.ok) {
        await Promise.allSettled(stored.values());
        await saveDerivative(s.db, key, { data: { error: result.message } });
      } else {
        for (const p of result.previews) store(p);
        // stored before the facts: the file is then linked to it below instead of a GLB job being queued
        if (result.glb) await saveDerivative(s.db, { ...key, kind: 'mesh-glb' }, await s.blobs.putBuffer(result.glb));
        const previews: Record<string, string> = {};
        for (const [id, sha256] of stored) previews[id] = await sha256;
        await saveDerivative(s.db, key, { data: { facts: result.facts, previews } });
      }
      cached = await findDerivative(s.db, key);
    }
    const data = (cached?.data ?? {}) as {
      facts?: Record<string, unknown>;
      error?: string;
      previews?: Record<string, string>;
    };
    if (data.error) throw new PermanentJobError(data.error);
    const hasPreview = data.previews && Object.keys(data.previews).length > 0;
    const previews = hasPreview ? Object.fromEntries(previewFormats.map((fmt) => [fmt, previewKey(fmt)])) : null;
    await setFileState(s.db, f.fileId, {
      state: 'done',
      facts: data.facts ?? { format: f.format, bytes: f.size },
      previews,
    });
    s.events.publish({ type: 'file', design, version: f.version, path: f.path, state: 'done', jobId: job.id });
    // a mesh's GLB in its own job, after every file's previews (a lower priority): a 1 M-triangle part's
    // preview and its siblings' must not wait for it
    if (previews && MESH_FORMATS.has(String(data.facts?.format) as CadFormat)) {
      if (await findDerivative(s.db, { ...key, kind: 'mesh-glb' })) {
        await setFileState(s.db, f.fileId, { state: 'done', previews: { ...previews, glb: previewKey('glb') } });
      } else {
        await enqueue(
          s.db,
          'mesh-glb',
          { fileId: f.fileId },
          { subject: f.fileId, priority: job.priority + GLB_PRIORITY_OFFSET, requestId: requestIdOf(job) },
        );
        s.notify();
      }
    }
    await enqueueThumbnailWhenSettled(s, f.versionId, job.priority, requestIdOf(job));
    return { facts: data.facts ?? null };
  },
  /** the file says why, live and in its version document */
  async onFailed(job, error) {
    const f = await fileAddress(s.db, job.payload.fileId);
    if (!f) return;
    await setFileState(s.db, f.fileId, { state: 'failed', error });
    s.events.publish({
      type: 'file',
      design: `${f.owner}/${f.slug}`,
      version: f.version,
      path: f.path,
      state: 'failed',
      error,
      jobId: job.id,
    });
    // the version's last file may be this failed one: its thumbnail still shows the others
    await enqueueThumbnailWhenSettled(s, f.versionId, job.priority, requestIdOf(job));
  },
});
