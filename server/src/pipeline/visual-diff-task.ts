// Runs inside a worker thread: read two versions of one CAD file and draw their visual diff as a PNG.
import sharp from 'sharp';
import { readCad } from '../cad/read.js';
import { CadReadError, defaultReadLimits } from '../cad/types.js';
import { renderVisualDiff } from '../render/visual-diff.js';

export interface VisualDiffTask {
  before: { bytes: Uint8Array; filename: string };
  after: { bytes: Uint8Array; filename: string };
  units?: string;
  size: number;
}

export type VisualDiffResult =
  | { ok: true; png: Uint8Array; pixels: { removed: number; added: number; common: number } }
  | { ok: false; readerError: true; message: string };

export async function visualDiffTask(task: VisualDiffTask): Promise<VisualDiffResult> {
  try {
    const opts = { units: task.units };
    const a = await readCad(new Uint8Array(task.before.bytes), task.before.filename, defaultReadLimits, opts);
    const b = await readCad(new Uint8Array(task.after.bytes), task.after.filename, defaultReadLimits, opts);
    const diff = renderVisualDiff(a.mesh, b.mesh, task.size);
    const png = await sharp(Buffer.from(diff.rgba.buffer, diff.rgba.byteOffset, diff.rgba.byteLength), {
      raw: { width: diff.width, height: diff.height, channels: 4 },
    })
      .png()
      .toBuffer();
    return { ok: true, png: new Uint8Array(png), pixels: diff.pixels };
  } catch (err) {
    if (err instanceof CadReadError) return { ok: false, readerError: true, message: err.message };
    throw err;
  }
}
