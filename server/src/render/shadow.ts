// Soft ground shadow: the mesh dropped onto its lowest plane, rasterised coarsely and blurred.
import type { Mesh } from '../cad/types.js';
import type { Framing } from './camera.js';

/** Shadow opacity 0..1 per pixel of a `size`² image (`alpha`), 0 outside the box x0..x1, y0..y1 (empty: x1 < x0). */
export interface Shadow {
  alpha: Float32Array;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * The soft shadow under a mesh. Drawn at quarter resolution; very large meshes are sampled (every k-th triangle)
 * since the blur hides the gaps.
 */
export function groundShadow(
  mesh: Mesh,
  view: Framing,
  groundZ: number,
  size: number,
  light: [number, number, number],
): Shadow {
  const cast = shadowCast(mesh, view, groundZ, size, light);
  const mask = new Float32Array(cast.S * cast.S);
  castShadow(cast, mesh, mask, 0, Infinity);
  return softenShadow(mask, cast.S, size, keptAlpha(size));
}

/** How a mesh's shadow is cast into the S² mask: the same for every thread that casts part of it. */
export interface ShadowCast {
  m: ArrayLike<number>;
  groundZ: number;
  sx: number;
  sy: number;
  hw: number;
  /** the mask's side */
  S: number;
  /** every `every`-th triangle (or point) is cast */
  every: number;
}

export function shadowCast(
  mesh: Mesh,
  view: Framing,
  groundZ: number,
  size: number,
  light: [number, number, number],
): ShadowCast {
  // cast away from the light, but steeply: a soft shadow that peeks out beside the part
  const lz = Math.max(0.35, light[2]);
  const S = Math.max(16, size >> 2);
  const count = mesh.positions.length ? mesh.positions.length / 9 : (mesh.points?.length ?? 0) / 3;
  return {
    m: view.viewProj,
    groundZ,
    sx: (-light[0] / lz) * 0.2,
    sy: (-light[1] / lz) * 0.2,
    hw: S / 2,
    S,
    every: Math.max(1, Math.ceil(count / 150_000)),
  };
}

/**
 * Marks the mask under the cast triangles (or points) `from` ≤ t < `to`. Marks only ever set 1, so threads casting
 * different ranges into one mask make the same mask as one thread casting all.
 */
export function castShadow(cast: ShadowCast, mesh: Mesh, mask: Float32Array, from: number, to: number): void {
  const S = cast.S;
  const p = mesh.positions.length ? mesh.positions : (mesh.points ?? new Float32Array(0));
  const stride = mesh.positions.length ? 9 : 3;
  const step = cast.every * stride;
  const first = Math.ceil(from / cast.every) * step;
  const end = Math.min(p.length, to * stride);
  const v = [0, 0, 0, 0, 0, 0];
  for (let o = first; o < end; o += step) {
    if (stride === 3) {
      proj(cast, p[o], p[o + 1], p[o + 2], v, 0);
      const x = Math.floor(v[0]),
        y = Math.floor(v[1]);
      if (x >= 0 && y >= 0 && x < S && y < S) mask[y * S + x] = 1;
      continue;
    }
    proj(cast, p[o], p[o + 1], p[o + 2], v, 0);
    proj(cast, p[o + 3], p[o + 4], p[o + 5], v, 2);
    proj(cast, p[o + 6], p[o + 7], p[o + 8], v, 4);
    fillTriangle(mask, S, v);
  }
}

/** The cast mask blurred (in place) and upsampled into `out` (size², cleared), with the box where it is not 0. */
export function softenShadow(mask: Float32Array, S: number, size: number, out: Float32Array): Shadow {
  const radius = Math.max(1, Math.round(S / 40));
  for (let pass = 0; pass < 3; pass++) blur(mask, S, radius);
  // where the blurred shadow is: the output outside it stays 0 without being computed (most of the picture)
  let mx0 = S,
    mx1 = -1,
    my0 = S,
    my1 = -1;
  for (let y = 0; y < S; y++) {
    for (let x = 0, i = y * S; x < S; x++, i++) {
      if (mask[i] === 0) continue;
      if (x < mx0) mx0 = x;
      if (x > mx1) mx1 = x;
      if (y < my0) my0 = y;
      my1 = y;
    }
  }
  const shadow: Shadow = { alpha: out, x0: size, x1: -1, y0: size, y1: -1 };
  if (mx1 < 0) return shadow;
  // bilinear upsample to the output size; a column's source pixel and weight are the same on every row
  const f = S / size;
  const col0 = new Int32Array(size),
    colT = new Float32Array(size);
  let xa = size,
    xb = -1;
  for (let x = 0; x < size; x++) {
    const fx = Math.min(S - 1.001, Math.max(0, (x + 0.5) * f - 0.5));
    col0[x] = Math.floor(fx);
    colT[x] = fx - col0[x];
    // this column blends mask columns col0 and col0 + 1
    if (col0[x] + 1 >= mx0 && col0[x] <= mx1) {
      if (x < xa) xa = x;
      xb = x;
    }
  }
  for (let y = 0; y < size; y++) {
    const fy = Math.min(S - 1.001, Math.max(0, (y + 0.5) * f - 0.5));
    const y0 = Math.floor(fy),
      ty = fy - y0;
    if (y0 + 1 < my0 || y0 > my1) continue;
    if (y < shadow.y0) shadow.y0 = y;
    shadow.y1 = y;
    const row = y * size;
    for (let x = xa; x <= xb; x++) {
      const tx = colT[x];
      const i = y0 * S + col0[x];
      const top = mask[i] + (mask[i + 1] - mask[i]) * tx;
      const bottom = mask[i + S] + (mask[i + S + 1] - mask[i + S]) * tx;
      out[row + x] = top + (bottom - top) * ty;
    }
  }
  shadow.x0 = xa;
  shadow.x1 = xb;
  return shadow;
}

const kept = new Map<number, Float32Array>();

/**
 * The alpha plane of a size, kept between renders and cleared: fresh memory is paid for in page faults as it is first
 * written (1 MB at 512 px, ~1 ms here). Valid until the next shadow of the same size — the preview's downsampling
 * reads it at once.
 */
function keptAlpha(size: number): Float32Array {
  let a = kept.get(size);
  if (!a) kept.set(size, (a = new Float32Array(size * size)));
  else a.fill(0);
  return a;
}

/** A point dropped along the light onto the ground, projected into the mask (a module function, not a closure per call:
 *  see preview.ts). */
function proj(c: ShadowCast, px: number, py: number, pz: number, out: number[], k: number): void {
  const { m, groundZ } = c;
  const h = pz - groundZ;
  const x = px + h * c.sx,
    y = py + h * c.sy;
  const iw = 1 / (m[3] * x + m[7] * y + m[11] * groundZ + m[15]);
  out[k] = (m[0] * x + m[4] * y + m[8] * groundZ + m[12]) * iw * c.hw + c.hw;
  out[k + 1] = c.hw - (m[1] * x + m[5] * y + m[9] * groundZ + m[13]) * iw * c.hw;
}

function fillTriangle(mask: Float32Array, S: number, v: number[]): void {
  const [x0, y0, x1, y1, x2, y2] = v;
  const minX = Math.max(0, Math.floor(Math.min(x0, x1, x2))),
    maxX = Math.min(S - 1, Math.ceil(Math.max(x0, x1, x2)));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1, y2))),
    maxY = Math.min(S - 1, Math.ceil(Math.max(y0, y1, y2)));
  if (minX > maxX || minY > maxY) return;
  if (maxX - minX <= 1 && maxY - minY <= 1) {
    mask[minY * S + minX] = 1; // sub-pixel triangle: one dot
    return;
  }
  const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  if (area === 0) return;
  const s = area > 0 ? 1 : -1;
  for (let y = minY; y <= maxY; y++) {
    const py = y + 0.5;
    for (let x = minX; x <= maxX; x++) {
      const px = x + 0.5;
      const w0 = ((x2 - x1) * (py - y1) - (y2 - y1) * (px - x1)) * s;
      const w1 = ((x0 - x2) * (py - y2) - (y0 - y2) * (px - x2)) * s;
      const w2 = ((x1 - x0) * (py - y0) - (y1 - y0) * (px - x0)) * s;
      if (w0 >= 0 && w1 >= 0 && w2 >= 0) mask[y * S + x] = 1;
    }
  }
}

/** Separable box blur in place (rows, then columns). */
function blur(a: Float32Array, S: number, r: number): void {
  const tmp = new Float32Array(S);
  const norm = 1 / (2 * r + 1);
  for (let pass = 0; pass < 2; pass++) {
    const step = pass === 0 ? 1 : S;
    for (let line = 0; line < S; line++) {
      const base = pass === 0 ? line * S : line;
      let acc = 0;
      for (let i = -r; i <= r; i++) acc += a[base + Math.min(S - 1, Math.max(0, i)) * step];
      for (let i = 0; i < S; i++) {
        tmp[i] = acc * norm;
        acc += a[base + Math.min(S - 1, i + r + 1) * step] - a[base + Math.max(0, i - r) * step];
      }
      for (let i = 0; i < S; i++) a[base + i * step] = tmp[i];
    }
  }
}
