// Preview images of a mesh: frame, rasterise at 2×, mark edges, downsample onto a background, encode with sharp.
import sharp from 'sharp';
import { meshBounds } from '../cad/mesh.js';
import type { Mesh } from '../cad/types.js';
import { frameBounds } from './camera.js';
import { BG_BOTTOM, BG_TOP, EDGE_RGB } from './palette.js';
import { createFrame, detectEdges, lights, rasterise, type Frame } from './rasterise.js';
import { groundShadow } from './shadow.js';

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
}

const SUPERSAMPLE = 2;
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
  downsample(frame, shadow, rgba, size, opts.background !== 'transparent');
  return { rgba, width: size, height: size };
}

let scratch: Frame | null = null;

/**
 * One supersampled frame reused between renders (renders are synchronous, one per thread), cleared
 * each time: allocating 4 × 16 MB per 1024² preview costs more in GC than the drawing itself.
 */
function scratchFrame(ss: number): Frame {
  if (!scratch || scratch.width !== ss) scratch = createFrame(ss, ss);
  else {
    scratch.invW.fill(0);
    scratch.color.fill(0);
    scratch.normal.fill(0);
    scratch.edge.fill(0);
    scratch.rows = [ss, -1];
  }
  return scratch;
}

/** 2×2 box filter: covered samples average their colour (darkened by edges), empty ones show the background. */
function downsample(frame: Frame, shadow: Float32Array, out: Uint8Array, size: number, light: boolean): void {
  const { width: W, color, invW, edge } = frame;
  const [er, eg, eb] = EDGE_RGB;
  for (let y = 0; y < size; y++) {
    const t = y / (size - 1);
    const bgR = BG_TOP[0] + (BG_BOTTOM[0] - BG_TOP[0]) * t;
    const bgG = BG_TOP[1] + (BG_BOTTOM[1] - BG_TOP[1]) * t;
    const bgB = BG_TOP[2] + (BG_BOTTOM[2] - BG_TOP[2]) * t;
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 4;
      const i0 = y * SUPERSAMPLE * W + x * SUPERSAMPLE;
      if (invW[i0] === 0 && invW[i0 + 1] === 0 && invW[i0 + W] === 0 && invW[i0 + W + 1] === 0 && edge[i0] === 0 && edge[i0 + 1] === 0 && edge[i0 + W] === 0 && edge[i0 + W + 1] === 0) {
        // plain background (the common case)
        const s = 1 - shadow[y * size + x] * SHADOW_OPACITY;
        if (light) {
          out[o] = Math.round(bgR * s);
          out[o + 1] = Math.round(bgG * s);
          out[o + 2] = Math.round(bgB * s);
          out[o + 3] = 255;
        } else if (s < 1) {
          out[o] = SHADOW_RGB[0];
          out[o + 1] = SHADOW_RGB[1];
          out[o + 2] = SHADOW_RGB[2];
          out[o + 3] = Math.round((1 - s) * 255);
        }
        continue;
      }
      let r = 0, g = 0, b = 0, cover = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        let i = (y * SUPERSAMPLE + sy) * W + x * SUPERSAMPLE;
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
      const s = shadow[y * size + x] * SHADOW_OPACITY;
      if (light) {
        const rest = (n - cover) * (1 - s);
        out[o] = Math.round((r + bgR * rest) / n);
        out[o + 1] = Math.round((g + bgG * rest) / n);
        out[o + 2] = Math.round((b + bgB * rest) / n);
        out[o + 3] = 255;
      } else {
        // transparent: the shadow is a translucent dark slate, under the part
        const a = cover / n + (1 - cover / n) * s;
        if (a <= 0) continue;
        const shade = (1 - cover / n) * s;
        out[o] = Math.round((r / n + SHADOW_RGB[0] * shade) / a);
        out[o + 1] = Math.round((g / n + SHADOW_RGB[1] * shade) / a);
        out[o + 2] = Math.round((b / n + SHADOW_RGB[2] * shade) / a);
        out[o + 3] = Math.round(a * 255);
      }
    }
  }
}

export async function encodePreview(rgba: Uint8Array, size: number, format: 'png' | 'webp'): Promise<Buffer> {
  const img = sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width: size, height: size, channels: 4 } });
  return format === 'png' ? img.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer() : img.webp({ quality: 88, alphaQuality: 90 }).toBuffer();
}
