// Runs inside a worker thread (piscina): CPU work on one file's bytes — read, facts, previews.
// Kept free of database and network so a thread can be ended at any moment (time limit) without harm.
import { readCad, MESH_FORMATS } from './cad/read.js';
import { detectFormat } from './cad/detect.js';
import { CadReadError, defaultReadLimits, type ReadLimits } from './cad/types.js';
import { renderPreview, encodePreview, type PreviewSize } from './render/preview.js';

export interface ProcessFileTask {
  bytes: Uint8Array;
  filename: string;
  units?: string;
  limits?: Partial<ReadLimits>;
  sizes: PreviewSize[];
  formats: ('png' | 'webp')[];
  /** other files of the version a reader may need (a .gltf's buffers) */
  siblings?: Record<string, Uint8Array>;
}

export interface ProcessFileResult {
  ok: true;
  format: string;
  facts: Record<string, unknown>;
  previews: { size: number; format: 'png' | 'webp'; bytes: Uint8Array }[];
}

export interface ProcessFileFailure {
  ok: false;
  /** the reader's own error: the bytes are at fault, retrying cannot help */
  readerError: true;
  message: string;
}

export default async function processFileTask(task: ProcessFileTask): Promise<ProcessFileResult | ProcessFileFailure> {
  const bytes = new Uint8Array(task.bytes);
  try {
    const format = detectFormat(bytes, task.filename);
    if (!format || !MESH_FORMATS.has(format)) {
      return { ok: true, format: format ?? 'unknown', facts: { format: format ?? 'unknown', bytes: bytes.length }, previews: [] };
    }
    const read = await readCad(bytes, task.filename, { ...defaultReadLimits, ...task.limits }, {
      units: task.units,
      siblings: task.siblings ? (rel) => task.siblings![rel] : undefined,
    });
    const previews: ProcessFileResult['previews'] = [];
    for (const size of task.sizes) {
      const image = renderPreview(read.mesh, { size, background: 'light' });
      for (const f of task.formats) previews.push({ size, format: f, bytes: await encodePreview(image.rgba, image.width, f) });
    }
    return { ok: true, format, facts: read.facts as unknown as Record<string, unknown>, previews };
  } catch (err: any) {
    if (err instanceof CadReadError) return { ok: false, readerError: true, message: err.message };
    throw err;
  }
}
export { visualDiffTask } from './visual-diff-task.js';
