// The preview of a big mesh drawn by several threads at once: the same picture as renderPreview, byte for byte.
// The frame is cut into bands of rows, each drawn by one thread through every triangle in order (a pixel sees the
// same triangles in the same order as on one thread: depth ties and Float32 rounding decide alike); then edges and
// downsampling go by bands of rows too. The mesh and the frame live in shared memory; only the framing and the
// shadow's blur (a 128² mask) stay on the owning thread.
import { meshBounds } from '../cad/mesh.js';
import type { Mesh } from '../cad/types.js';
import { frameBounds, type Framing } from './camera.js';
import { downsample, SUPERSAMPLE, type Preview, type PreviewOptions } from './preview.js';
import { clearFrame, createFrame, detectEdges, lights, rasterise, type Frame } from './rasterise.js';
import { castShadow, shadowCast, softenShadow, type Shadow, type ShadowCast } from './shadow.js';
import type { SharedPhase, WorkShare } from './work-share.js';

/** Bands per thread for edges and downsampling (cheap per row): a thread that starts late still finds some. */
const BANDS_PER_THREAD = 4;

/** Triangles sampled to cut the frame into bands of equal work. */
const SAMPLED_TRIANGLES = 20_000;

/** Renders `mesh` (its positions, and colours if any, in shared memory: shareMesh) with `share`'s threads. */
export function renderPreviewShared(mesh: Mesh, opts: PreviewOptions, share: WorkShare): Preview {
  const size = opts.size;
  const ss = size * SUPERSAMPLE;
  const bounds = meshBounds(mesh);
  const view = plainFraming(frameBounds(bounds, 1, 0.12));
  const threads = share.participants;
  const frame = sharedFrame(ss);
  const cast = shadowCast(mesh, view, bounds.min[2], size, lights(view).key);
  const mask = new Float32Array(new SharedArrayBuffer(cast.S * cast.S * 4));
  const drawn: Pick<Mesh, 'positions' | 'parts' | 'colors'> = {
    positions: mesh.positions,
    parts: mesh.parts,
    ...(mesh.colors ? { colors: mesh.colors } : {}),
  };
  // one band per thread: every band passes over every triangle, so more bands would cost more than they balance
  const cuts = balancedCuts(mesh, view, ss, threads);
  share.run(drawBand, { mesh: drawn, view, frame, cuts, cast, mask }, threads);

  const bands = threads * BANDS_PER_THREAD;
  const bandRows = Math.ceil(ss / bands);
  // a band marks its own rows and the first of the next band: even bands, then odd ones
  for (const parity of [0, 1]) {
    share.run(edgeBand, { frame, radius: view.radius, bandRows, parity }, Math.ceil((bands - parity) / 2));
  }
  const shadow = softenShadow(mask, cast.S, size, sharedAlpha(size));
  const out = sharedOutput(size);
  const light = opts.background !== 'transparent';
  share.run(downsampleBand, { frame, shadow, out, size, light, bandRows: Math.ceil(size / bands) }, bands);
  return { rgba: out.slice(), width: size, height: size, opaque: light };
}

/**
 * Row cuts 0 = c0 < … < c_bands = rows that give each band about the same number of triangles (the rows a sample of
 * triangles starts on), so no thread waits long for another.
 */
function balancedCuts(mesh: Mesh, view: Framing, rows: number, bands: number): Int32Array {
  const cuts = new Int32Array(new SharedArrayBuffer((bands + 1) * 4));
  cuts[bands] = rows;
  if (bands === 1) return cuts;
  const m = view.viewProj;
  const p = mesh.positions;
  const step = Math.max(1, Math.floor(p.length / 9 / SAMPLED_TRIANGLES)) * 9;
  const perRow = new Float64Array(rows);
  let sampled = 0;
  for (let o = 0; o < p.length; o += step) {
    const w = 1 / (m[3] * p[o] + m[7] * p[o + 1] + m[11] * p[o + 2] + m[15]);
    const y = Math.floor(rows / 2 - (m[1] * p[o] + m[5] * p[o + 1] + m[9] * p[o + 2] + m[13]) * w * (rows / 2));
    if (y < 0 || y >= rows) continue;
    perRow[y]++;
    sampled++;
  }
  let seen = 0,
    band = 1;
  for (let y = 0; y < rows && band < bands; y++) {
    seen += perRow[y];
    while (band < bands && seen >= (sampled * band) / bands) cuts[band++] = y + 1;
  }
  for (; band < bands; band++) cuts[band] = rows;
  return cuts;
}

/** A mesh whose coordinates (and face colours) other threads can read: copied into shared memory unless there. */
export function shareMesh(mesh: Mesh): Mesh {
  const share = <T extends Float32Array | Uint8Array>(a: T): T => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
    copy.set(a);
    return copy;
  };
  return { ...mesh, positions: share(mesh.positions), ...(mesh.colors ? { colors: share(mesh.colors) } : {}) };
}

/** The framing as plain data (its vectors become {x, y, z}): what a message to another thread can carry. */
function plainFraming(view: Framing): Framing {
  const v = (p: { x: number; y: number; z: number }) => ({ x: p.x, y: p.y, z: p.z });
  return { ...view, eye: v(view.eye), right: v(view.right), up: v(view.up), back: v(view.back) } as Framing;
}

interface DrawArgs {
  mesh: Pick<Mesh, 'positions' | 'parts' | 'colors'>;
  view: Framing;
  frame: Frame;
  cuts: Int32Array;
  cast: ShadowCast;
  mask: Float32Array;
}

/** Band `item`'s rows cleared and drawn; and the shadow of a share of the triangles cast (the mask only gains 1s). */
export const drawBand: SharedPhase<DrawArgs> = {
  name: 'preview.draw',
  run({ mesh, view, frame, cuts, cast, mask }, item) {
    const from = cuts[item],
      to = cuts[item + 1];
    clearFrame(frame, from, to);
    if (from < to) rasterise(mesh, view, frame, { from, to });
    const bands = cuts.length - 1;
    const perBand = Math.ceil(mesh.positions.length / 9 / bands);
    castShadow(cast, mesh, mask, item * perBand, (item + 1) * perBand);
  },
};

interface EdgeArgs {
  frame: Frame;
  radius: number;
  bandRows: number;
  parity: number;
}

export const edgeBand: SharedPhase<EdgeArgs> = {
  name: 'preview.edges',
  run({ frame, radius, bandRows, parity }, item) {
    const y0 = (item * 2 + parity) * bandRows;
    detectEdges(frame, radius, Math.min(y0, frame.height), Math.min(y0 + bandRows, frame.height));
  },
};

interface DownsampleArgs {
  frame: Frame;
  shadow: Shadow;
  out: Uint8Array;
  size: number;
  light: boolean;
  bandRows: number;
}

export const downsampleBand: SharedPhase<DownsampleArgs> = {
  name: 'preview.downsample',
  run({ frame, shadow, out, size, light, bandRows }, item) {
    const y0 = Math.min(size, item * bandRows);
    downsample(frame, shadow, out, size, light, y0, Math.min(size, y0 + bandRows));
  },
};

/** Every phase of a shared preview, for a helper thread to serve. */
export const previewPhases = [drawBand, edgeBand, downsampleBand];

// Kept between renders, as renderPreview keeps its frame (a thread renders one preview at a time): fresh memory is paid
// for again in page faults, 13 MB at 512 px.
const keptFrames = new Map<number, Frame>();
const keptAlphas = new Map<number, Float32Array>();
const keptOutputs = new Map<number, Uint8Array>();

function sharedFrame(ss: number): Frame {
  let frame = keptFrames.get(ss);
  if (!frame) keptFrames.set(ss, (frame = createFrame(ss, ss, true)));
  return frame;
}

function sharedAlpha(size: number): Float32Array {
  let a = keptAlphas.get(size);
  if (!a) keptAlphas.set(size, (a = new Float32Array(new SharedArrayBuffer(size * size * 4))));
  else a.fill(0);
  return a;
}

function sharedOutput(size: number): Uint8Array {
  let o = keptOutputs.get(size);
  // cleared: a transparent preview leaves the pixels no part or shadow covers as they are
  if (!o) keptOutputs.set(size, (o = new Uint8Array(new SharedArrayBuffer(size * size * 4))));
  else o.fill(0);
  return o;
}
