// Preview images of a mesh: frame, rasterise at 2×, mark edges, downsample onto a background, encode with sharp.
import sharp from 'sharp';
import { meshBounds } from '../cad/mesh.js';
import type { Mesh } from '../cad/types.js';
import { frameBounds } from './camera.js';
import { BG_BOTTOM, BG_TOP, EDGE_RGB } from './palette.js';
import { clearFrame, createFrame, detectEdges, lights, rasterise, type Frame } from './rasterise.js';
import { groundShadow, type Shadow } from './shadow.js';

/** Bump when the look of previews changes: it is part of every derivative's cache key. */
export const RENDERER_VERSION = 'andecha-cpu-raster-2';

export type PreviewSize = 128 | 256 | 512 | 1024;
export interface PreviewOptions {
  size: PreviewSize;
  background?: 'light' | 'transparent';
}
export interface Preview {
  rgba: Uint8Array;
  width: number;
  height: number;
  /** every pixel has alpha 255 (the light background): encoded without an alpha channel */
  opaque: boolean;
}

export const SUPERSAMPLE = 2;
const SHADOW_OPACITY = 0.3;
const SHADOW_RGB = [30, 36, 46];

export function renderPreview(mesh: Mesh, opts: PreviewOptions): Preview {
  const size = opts.size;
  const ss = size * SUPERSAMPLE;
  const bounds = meshBounds(mesh);
  const view = frameBounds(bounds, 1, 0.12);
  const frame = scratchFrame(ss);
  rasterise(mesh, view, frame);
  detectEdges(frame, view.radius);
  const shadow = groundShadow(mesh, view, bounds.min[2], size, lights(view).key);
  const rgba = new Uint8Array(size * size * 4);
  const opaque = opts.background !== 'transparent';
  downsample(frame, shadow, rgba, size, opaque);
  return { rgba, width: size, height: size, opaque };
}

const scratch = new Map<number, Frame>();

/**
 * One supersampled frame per size, kept between renders (renders are synchronous, one per thread) and cleared each
 * time: allocating 4 × 16 MB per 1024² preview costs more in GC than the drawing itself, and fresh memory is paid for
 * again in page faults as it is first drawn on (a file drawn at 512 then 256 px would otherwise renew both frames
 * for every file).
 */
function scratchFrame(ss: number): Frame {
  let frame = scratch.get(ss);
  if (!frame) {
    frame = createFrame(ss, ss);
    scratch.set(ss, frame);
    return frame;
  }
  clearFrame(frame);
  return frame;
}

// Module functions, not closures made per call: a new closure each render is a new call target, and V8 throws away
// the optimised downsample, edge and shadow code on every render it sees one (a fresh thread's first renders).
const rgba = (r: number, g: number, b: number, a: number) =>
  ((Math.round(a) << 24) | (Math.round(b) << 16) | (Math.round(g) << 8) | Math.round(r)) >>> 0;
const shadowPixel = (s: number) => rgba(SHADOW_RGB[0], SHADOW_RGB[1], SHADOW_RGB[2], (1 - s) * 255);

/**
 * 2×2 box filter (of output rows rowFrom…rowTo − 1): covered samples average their colour (darkened by edges), empty ones show the background.
 * Pixels are written as one little-endian RGBA word each (every platform Node runs on here is little-endian).
 */
export function downsample(
  frame: Frame,
  shade: Shadow,
  out: Uint8Array,
  size: number,
  light: boolean,
  rowFrom = 0,
  rowTo = size,
): void {
  const { width: W, height: H, color, invW, edge, lo, hi } = frame;
  const shadow = shade.alpha;
  const [er, eg, eb] = EDGE_RGB;
  const out32 = new Uint32Array(out.buffer, out.byteOffset, size * size);
  for (let y = rowFrom; y < rowTo; y++) {
    const t = y / (size - 1);
    const bgR = BG_TOP[0] + (BG_BOTTOM[0] - BG_TOP[0]) * t;
    const bgG = BG_TOP[1] + (BG_BOTTOM[1] - BG_TOP[1]) * t;
    const bgB = BG_TOP[2] + (BG_BOTTOM[2] - BG_TOP[2]) * t;
    // the row's plain background, where no shadow falls (most pixels)
    const plain = light ? rgba(bgR, bgG, bgB, 255) : 0;
    const top = y * SUPERSAMPLE * W;
    // drawn pixels and their edges lie within the drawn runs of these rows and the rows beside them, one pixel wider
    let sLo = W,
      sHi = -1;
    for (let r = Math.max(0, y * SUPERSAMPLE - 1); r <= Math.min(H - 1, (y + 1) * SUPERSAMPLE); r++) {
      if (lo[r] < sLo) sLo = lo[r];
      if (hi[r] > sHi) sHi = hi[r];
    }
    const xa = Math.floor((sLo - 1) / SUPERSAMPLE),
      xb = Math.floor((sHi + 1) / SUPERSAMPLE);
    // outside the drawn pixels and the shadow the row is its plain background: filled, not computed
    let from = xa <= xb ? Math.max(0, xa) : size,
      to = xa <= xb ? Math.min(size - 1, xb) : -1;
    if (y >= shade.y0 && y <= shade.y1 && shade.x0 <= shade.x1) {
      from = Math.min(from, shade.x0);
      to = Math.max(to, shade.x1);
    }
    if (to < from) {
      out32.fill(plain, y * size, (y + 1) * size);
      continue;
    }
    out32.fill(plain, y * size, y * size + from);
    out32.fill(plain, y * size + to + 1, (y + 1) * size);
    for (let x = from; x <= to; x++) {
      const o = y * size + x;
      const i0 = top + x * SUPERSAMPLE;
      if (
        x < xa ||
        x > xb ||
        (invW[i0] === 0 &&
          invW[i0 + 1] === 0 &&
          invW[i0 + W] === 0 &&
          invW[i0 + W + 1] === 0 &&
          edge[i0] === 0 &&
          edge[i0 + 1] === 0 &&
          edge[i0 + W] === 0 &&
          edge[i0 + W + 1] === 0)
      ) {
        // plain background (the common case)
        const sh = shadow[o];
        if (sh === 0) {
          out32[o] = plain;
          continue;
        }
        const s = 1 - sh * SHADOW_OPACITY;
        if (light) out32[o] = rgba(bgR * s, bgG * s, bgB * s, 255);
        else if (s < 1) out32[o] = shadowPixel(s);
        continue;
      }
      let r = 0,
        g = 0,
        b = 0,
        cover = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        let i = i0 + sy * W;
        for (let sx = 0; sx < SUPERSAMPLE; sx++, i++) {
          const e = edge[i] / 255;
          if (invW[i] > 0) {
            const c = color[i];
            r += (c & 255) * (1 - e) + er * e;
            g += ((c >>> 8) & 255) * (1 - e) + eg * e;
            b += ((c >>> 16) & 255) * (1 - e) + eb * e;
            cover += 1;
          } else if (e > 0) {
            // the outer half of a silhouette line lies on the background
            r += er * e;
            g += eg * e;
            b += eb * e;
            cover += e;
          }
        }
      }
      const n = SUPERSAMPLE * SUPERSAMPLE;
      const s = shadow[o] * SHADOW_OPACITY;
      if (light) {
        const rest = (n - cover) * (1 - s);
        out32[o] = rgba((r + bgR * rest) / n, (g + bgG * rest) / n, (b + bgB * rest) / n, 255);
      } else {
        // transparent: the shadow is a translucent dark slate, under the part
        const a = cover / n + (1 - cover / n) * s;
        if (a <= 0) continue;
        const shade = (1 - cover / n) * s;
        out32[o] = rgba(
          (r / n + SHADOW_RGB[0] * shade) / a,
          (g / n + SHADOW_RGB[1] * shade) / a,
          (b / n + SHADOW_RGB[2] * shade) / a,
          a * 255,
        );
      }
    }
  }
}

/** PNG or WebP of a square RGBA picture; an opaque one is written as RGB (PNG ~5 % smaller, ~1 ms less per encode). */
export async function encodePreview(
  rgba: Uint8Array,
  size: number,
  format: 'png' | 'webp',
  opaque = false,
): Promise<Buffer> {
  let img = sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
    raw: { width: size, height: size, channels: 4 },
  });
  if (opaque) img = img.removeAlpha();
  return format === 'png'
    ? img.png({ compressionLevel: 4, adaptiveFiltering: false }).toBuffer()
    : img.webp({ quality: 88, alphaQuality: 90 }).toBuffer();
}
