// Runs inside a worker thread (piscina): CPU work on one file's bytes — read, facts, previews, GLB — and
// the version thumbnail. Kept free of database and network so a thread can be ended at any moment (time limit).
import { readCad, MESH_FORMATS } from '../cad/read.js';
import { detectFormat } from '../cad/detect.js';
import { readDxf } from '../cad/dxf.js';
import { CadReadError, defaultReadLimits, type Mesh, type ReadLimits } from '../cad/types.js';
import { writeGlb } from '../cad/write/gltf.js';
import { renderPreview, encodePreview, type Preview, type PreviewSize } from '../render/preview.js';
import { renderDrawing } from '../render/drawing.js';
import { imagePreviews } from '../render/image.js';
import { arrangeMeshes } from '../render/arrange.js';
import type { MessagePort } from 'node:worker_threads';
import { readFileKept } from './thread-read.js';
import { keptPositions } from './thread-positions.js';
import { WorkShare } from '../render/work-share.js';
import { drawWith, readStlWith, SHARED_MIN_STL_BYTES, unshared } from './thread-big-mesh.js';
import {
  drawBoard,
  drawLayerPicture,
  type BoardDrawing,
  type BoardLayerSvg,
  type BoardPicture,
  type DrawBoardOptions,
  type PictureFormat,
} from '../electronics/render.js';
import { BoardReadError } from '../electronics/guard.js';

/** Images larger than this (pixels) are refused before decoding: a decompression bomb stays small on disk. */
const MAX_IMAGE_PIXELS = 100_000_000;

export interface ProcessFileTask {
  /** the file's bytes, or (`file`) where the thread reads them itself: a blob of the file-system store */
  bytes?: Uint8Array;
  file?: string;
  filename: string;
  units?: string;
  limits?: Partial<ReadLimits>;
  sizes: PreviewSize[];
  formats: ('png' | 'webp')[];
  /** other files of the version a reader may need (a .gltf's buffers) */
  siblings?: Record<string, Uint8Array>;
  /** also write the compact GLB the web viewer loads (mesh and B-rep files) */
  glb?: boolean;
  /** where each preview is posted as soon as it is encoded, before a mesh's facts (they are in the result too) */
  previewPort?: MessagePort;
  /** ports to render helper threads lent for this task: a big mesh is read and drawn with them (thread-big-mesh.ts) */
  helpers?: MessagePort[];
}

export interface EncodedPreview {
  size: number;
  format: 'png' | 'webp';
  bytes: Uint8Array;
}

export interface ProcessFileResult {
  ok: true;
  format: string;
  facts: Record<string, unknown>;
  previews: EncodedPreview[];
  glb?: Uint8Array;
}

export interface ProcessFileFailure {
  ok: false;
  /** the reader's own error: the bytes are at fault, retrying cannot help */
  readerError: true;
  message: string;
}

/**
 * The task's bytes as a plain Uint8Array view, not a copy: a transferred buffer arrives as one already, and a Buffer
 * handed in directly (tests) must read as Uint8Array does. (Copying a 50 MB mesh here cost ~250 ms of fresh memory.)
 */
const asBytes = (b: Uint8Array): Uint8Array =>
  Buffer.isBuffer(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : b;

const drawMesh = (mesh: Mesh, size: PreviewSize) => renderPreview(mesh, { size, background: 'light' });

/**
 * Each size drawn once and encoded in each format; every preview is posted to `port` the moment it is encoded
 * (the pipeline stores it while the thread goes on).
 */
async function encodePreviews(
  draw: (size: PreviewSize) => Promise<Preview> | Preview,
  sizes: PreviewSize[],
  formats: ('png' | 'webp')[],
  port?: MessagePort,
): Promise<EncodedPreview[]> {
  const out: EncodedPreview[] = [];
  for (const size of sizes) {
    const image = await draw(size);
    for (const f of formats) {
      const preview: EncodedPreview = {
        size,
        format: f,
        bytes: await encodePreview(image.rgba, image.width, f, image.opaque),
      };
      port?.postMessage(preview);
      out.push(preview);
    }
  }
  return out;
}

export default async function processFileTask(task: ProcessFileTask): Promise<ProcessFileResult | ProcessFileFailure> {
  const share = task.helpers?.length ? new WorkShare(task.helpers) : null;
  // an STL as big as a big binary one goes into shared memory when there are helpers to read a share of it
  const sharedFrom = share && /\.stl$/i.test(task.filename) ? SHARED_MIN_STL_BYTES : Infinity;
  const fromFile = task.file !== undefined ? readFileKept(task.file, sharedFrom) : undefined;
  const limits = { ...defaultReadLimits, ...task.limits };
  try {
    const format = detectFormat(fromFile ?? asBytes(task.bytes!), task.filename);
    const bytes = fromFile ? (format === 'stl' ? fromFile : unshared(fromFile)) : asBytes(task.bytes!);
    if (format === 'image') {
      const { facts, previews } = await imagePreviews(bytes, task.sizes, task.formats, MAX_IMAGE_PIXELS);
      for (const p of previews) task.previewPort?.postMessage(p);
      return { ok: true, format, facts: { ...facts }, previews };
    }
    if (format === 'dxf') {
      const { drawing, facts } = readDxf(bytes, limits, { units: task.units });
      const previews = await encodePreviews(
        (size) => renderDrawing(drawing, { size }),
        task.sizes,
        task.formats,
        task.previewPort,
      );
      return { ok: true, format, facts: { ...facts }, previews };
    }
    if (!format || !MESH_FORMATS.has(format)) {
      return {
        ok: true,
        format: format ?? 'unknown',
        facts: { format: format ?? 'unknown', bytes: bytes.length },
        previews: [],
      };
    }
    const readOptions = {
      units: task.units,
      siblings: task.siblings ? (rel: string) => task.siblings![rel] : undefined,
      // the mesh lives only for this task: its positions may go where the previous file's were
      allocatePositions: keptPositions,
    };
    const read =
      share && format === 'stl'
        ? await readStlWith(bytes, task.filename, limits, readOptions, share)
        : await readCad(bytes, task.filename, limits, readOptions);
    const draw = share ? drawWith(share, drawMesh) : drawMesh;
    const previews = await encodePreviews((size) => draw(read.mesh, size), task.sizes, task.formats, task.previewPort);
    const result: ProcessFileResult = {
      ok: true,
      format,
      facts: read.facts as unknown as Record<string, unknown>,
      previews,
    };
    if (task.glb && read.mesh.positions.length > 0) result.glb = await writeGlb(read.mesh, { compact: true });
    return result;
  } catch (err) {
    if (err instanceof CadReadError) return { ok: false, readerError: true, message: err.message };
    throw err;
  } finally {
    share?.close();
  }
}

export interface VersionThumbnailTask {
  files: { bytes: Uint8Array; filename: string; units?: string }[];
  sizes: PreviewSize[];
  formats: ('png' | 'webp')[];
  limits?: Partial<ReadLimits>;
}

export interface VersionThumbnailResult {
  previews: EncodedPreview[];
  /** the whole version as one GLB (parts named "file › part") */
  glb: Uint8Array;
  /** the files kept their own coordinates (an assembly) rather than being laid out side by side */
  shared: boolean;
  files: number;
}

/** Every CAD file of a version in one picture and one GLB; files that cannot be read are left out. */
export async function versionThumbnail(task: VersionThumbnailTask): Promise<VersionThumbnailResult | null> {
  const limits = { ...defaultReadLimits, ...task.limits };
  const meshes: Mesh[] = [];
  for (const f of task.files) {
    try {
      const { mesh } = await readCad(asBytes(f.bytes), f.filename, limits, { units: f.units });
      const base = f.filename.replace(/^.*\//, '');
      mesh.parts = mesh.parts.map((p) => ({ ...p, name: mesh.parts.length > 1 ? `${base} › ${p.name}` : base }));
      meshes.push(mesh);
    } catch (err) {
      if (!(err instanceof CadReadError)) throw err;
    }
  }
  if (meshes.length === 0) return null;
  const { mesh, shared } = arrangeMeshes(meshes);
  const previews = await encodePreviews((size) => drawMesh(mesh, size), task.sizes, task.formats);
  return {
    previews,
    glb: mesh.positions.length > 0 ? await writeGlb(mesh, { compact: true }) : new Uint8Array(0),
    shared,
    files: meshes.length,
  };
}

export { visualDiffTask } from './visual-diff-task.js';

export interface BoardTask {
  files: { path: string; bytes: Uint8Array }[];
  options: DrawBoardOptions;
}

export type BoardTaskResult = ({ ok: true } & BoardDrawing) | ProcessFileFailure;

/** A circuit board's pictures and facts from its Gerber and drill files; the files' own faults fail it with a reason. */
export async function boardTask(task: BoardTask): Promise<BoardTaskResult> {
  // tracespace's plotter throws from inside its streams on some malformed files (found by fuzzing), where no promise
  // catches it: taken here while the board is drawn, it fails this board instead of ending the thread. No tighter bound
  // exists in pcb-stackup 4: gerber-to-svg writes the file to its parser in a process.nextTick and pipes parser →
  // plotter → converter, so the plotter's throw runs up through a 'data' handler out of that tick, not as an 'error'
  // event (those it already wires to the callback: wrapping them catches nothing), and it has no synchronous API
  // (parseFirst covers the parser; plotting each layer twice to cover the plotter would double its cost). A pool
  // thread runs one task at a time, so whatever escapes meanwhile is this board's.
  let onEscaped: ((err: Error) => void) | undefined;
  const escaped = new Promise<never>((_, reject) => {
    onEscaped = (err) => reject(new BoardReadError(`the board's files could not be drawn: ${err.message}`));
    process.on('uncaughtException', onEscaped);
  });
  try {
    const files = task.files.map((f) => ({ path: f.path, bytes: asBytes(f.bytes) }));
    return { ok: true, ...(await Promise.race([drawBoard(files, task.options), escaped])) };
  } catch (err) {
    if (err instanceof BoardReadError) return { ok: false, readerError: true, message: err.message };
    throw err;
  } finally {
    process.off('uncaughtException', onEscaped!);
  }
}

export interface BoardLayerTask {
  layer: Pick<BoardLayerSvg, 'svg' | 'mm'>;
  size: PreviewSize;
  format: PictureFormat;
}

/** One layer of a drawn board at one size, from its kept SVG (librsvg only: tracespace has done its part). */
export async function boardLayerTask(task: BoardLayerTask): Promise<BoardPicture> {
  return drawLayerPicture(task.layer, task.size, task.format);
}
