// Visual diff of two meshes: both drawn with one camera framing both, into depth buffers, then compared per
// pixel — only in the old red, only in the new green, both at the same depth grey. Where both cover a pixel
// at different depths, the nearer surface decides: new material in front is added, old material in front removed.
import { meshBounds, type Bounds } from '../cad/mesh.js';
import type { Mesh } from '../cad/types.js';
import { frameBounds } from './camera.js';
import { createFrame, rasterise } from './rasterise.js';

export const VISUAL_DIFF_VERSION = 'andecha-visual-diff-1';

export const DIFF_COLORS = { removed: [214, 48, 49], added: [39, 174, 96], background: [255, 255, 255] } as const;

export interface VisualDiff {
  rgba: Uint8Array;
  width: number;
  height: number;
  /** pixels of each kind, for tests and for a one-line summary */
  pixels: { removed: number; added: number; common: number };
}

function union(a: Bounds, b: Bounds): Bounds {
  const pick = (f: (x: number, y: number) => number, x: Bounds['min'], y: Bounds['min']): Bounds['min'] => [
    f(x[0], y[0]),
    f(x[1], y[1]),
    f(x[2], y[2]),
  ];
  return { min: pick(Math.min, a.min, b.min), max: pick(Math.max, a.max, b.max) };
}

/** Luminance of a packed RGBA colour from the rasteriser (its lighting), 0..1. */
function shade(c: number): number {
  return ((c & 255) * 0.3 + ((c >>> 8) & 255) * 0.59 + ((c >>> 16) & 255) * 0.11) / 255;
}

export function renderVisualDiff(before: Mesh, after: Mesh, size: number): VisualDiff {
  const bounds = union(meshBounds(before), meshBounds(after));
  const view = frameBounds(bounds, 1, 0.08);
  const a = createFrame(size, size);
  const b = createFrame(size, size);
  rasterise(before, view, a);
  rasterise(after, view, b);
  // depths closer than this are the same surface (a face both versions share)
  const tolerance = view.radius * 0.002;
  const rgba = new Uint8Array(size * size * 4);
  const pixels = { removed: 0, added: 0, common: 0 };
  for (let i = 0; i < size * size; i++) {
    const za = a.invW[i],
      zb = b.invW[i];
    const o = i * 4;
    rgba[o + 3] = 255;
    let kind: 'removed' | 'added' | 'common' | undefined;
    if (za > 0 && zb > 0) {
      const da = 1 / za,
        db = 1 / zb;
      kind = Math.abs(da - db) <= tolerance ? 'common' : db < da ? 'added' : 'removed';
    } else if (za > 0) kind = 'removed';
    else if (zb > 0) kind = 'added';
    if (!kind) {
      rgba.set(DIFF_COLORS.background, o);
      continue;
    }
    pixels[kind]++;
    // keep the rasteriser's lighting so faces stay readable, within a band that keeps the hue unmistakable
    const light = 0.75 + 0.25 * shade(kind === 'removed' ? a.color[i] : b.color[i]);
    if (kind === 'common') {
      const g = Math.round(90 + 110 * shade(b.color[i]));
      rgba[o] = g;
      rgba[o + 1] = g;
      rgba[o + 2] = g;
    } else {
      const c = DIFF_COLORS[kind];
      rgba[o] = Math.round(c[0] * light);
      rgba[o + 1] = Math.round(c[1] * light);
      rgba[o + 2] = Math.round(c[2] * light);
    }
  }
  return { rgba, width: size, height: size, pixels };
}
