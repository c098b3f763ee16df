// CPU rasteriser: z-buffered flat-shaded triangles and point dots into supersampled buffers, then edges.
import type { Mesh } from '../cad/types.js';
import type { Framing } from './camera.js';
import { CREASE_STRENGTH, PALETTE, SILHOUETTE_STRENGTH } from './palette.js';

/** Pixel centres this close outside an edge still count, so shared edges leave no cracks. */
const EPS = 1e-7;

/** Supersampled frame: inverse depth (0 = empty), packed RGBA colour, packed normal+part, edge strength. */
export interface Frame {
  width: number;
  height: number;
  invW: Float32Array;
  color: Uint32Array;
  normal: Uint32Array;
  edge: Uint8Array;
  /** per row, the first and last drawn pixel (W and -1 when none): edges and downsampling skip the rest */
  lo: Int32Array;
  hi: Int32Array;
}

/** A cleared frame; `shared`: in shared memory, so other threads can draw into it or read it. */
export function createFrame(width: number, height: number, shared = false): Frame {
  const n = width * height;
  const Memory = shared ? SharedArrayBuffer : ArrayBuffer;
  return {
    width,
    height,
    invW: new Float32Array(new Memory(n * 4)),
    color: new Uint32Array(new Memory(n * 4)),
    normal: new Uint32Array(new Memory(n * 4)),
    edge: new Uint8Array(new Memory(n)),
    lo: new Int32Array(new Memory(height * 4)).fill(width),
    hi: new Int32Array(new Memory(height * 4)).fill(-1),
  };
}

/** Empties a frame drawn before (or its rows `from` ≤ y < `to`, one thread's band), to be drawn again. */
export function clearFrame(frame: Frame, from = 0, to = frame.height): void {
  const W = frame.width;
  frame.invW.fill(0, from * W, to * W);
  frame.color.fill(0, from * W, to * W);
  frame.normal.fill(0, from * W, to * W);
  frame.edge.fill(0, from * W, to * W);
  frame.lo.fill(W, from, to);
  frame.hi.fill(-1, from, to);
}

/**
 * Rows `from` ≤ y < `to` of a frame, drawn by one of several threads: each draws every triangle in the same order, but
 * only where it falls on its own rows, so every pixel sees the same triangles in the same order as on one thread.
 */
export interface RowBand {
  from: number;
  to: number;
}

/** Draw every triangle and point of `mesh` into `frame` (only on the rows of `band`), seen through `view`. */
export function rasterise(mesh: Mesh, view: Framing, frame: Frame, band?: RowBand): void {
  const { width: W, height: H, invW, color, normal, lo, hi } = frame;
  const rowFrom = band?.from ?? 0,
    rowTo = band?.to ?? H;
  const m = view.viewProj;
  const m0 = m[0],
    m4 = m[4],
    m8 = m[8],
    m12 = m[12];
  const m1 = m[1],
    m5 = m[5],
    m9 = m[9],
    m13 = m[13];
  const m3 = m[3],
    m7 = m[7],
    m11 = m[11],
    m15 = m[15];
  const hw = W / 2,
    hh = H / 2;
  // lights fixed to the viewer: key from upper left, fill from the right, a little from the sky
  const { key, fill } = lights(view);
  const ex = view.eye.x,
    ey = view.eye.y,
    ez = view.eye.z;
  const p = mesh.positions;
  const parts = mesh.parts.length ? mesh.parts : [{ name: 'model', start: 0, count: p.length / 9 }];
  const isPoints = p.length === 0;

  for (let pi = 0; pi < parts.length; pi++) {
    const part = parts[pi];
    const base = part.color ?? PALETTE[pi % PALETTE.length];
    const pr = base[0] * 255,
      pg = base[1] * 255,
      pb = base[2] * 255;
    let br = pr,
      bg = pg,
      bb = pb;
    const faceColors = mesh.colors;
    const partBits = (pi & 0xff) << 24;
    if (isPoints) {
      if (mesh.points) drawPoints(mesh.points, part.start, part.count, view, frame, br, bg, bb, partBits);
      lo.fill(0);
      hi.fill(W - 1);
      continue;
    }
    const end = (part.start + part.count) * 9;
    for (let o = part.start * 9; o < end; o += 9) {
      if (faceColors) {
        // a face's own colour (FreeCAD, STEP), else the part's
        const c = (o / 9) * 4;
        if (faceColors[c + 3] > 0) {
          br = faceColors[c];
          bg = faceColors[c + 1];
          bb = faceColors[c + 2];
        } else {
          br = pr;
          bg = pg;
          bb = pb;
        }
      }
      const ax = p[o],
        ay = p[o + 1],
        az = p[o + 2];
      const bx = p[o + 3],
        by = p[o + 4],
        bz = p[o + 5];
      const cx = p[o + 6],
        cy = p[o + 7],
        cz = p[o + 8];
      // project to supersampled pixels; 1/w is linear in screen space, so it is the depth we interpolate
      const wa = 1 / (m3 * ax + m7 * ay + m11 * az + m15);
      const wb = 1 / (m3 * bx + m7 * by + m11 * bz + m15);
      const wc = 1 / (m3 * cx + m7 * cy + m11 * cz + m15);
      const y0 = hh - (m1 * ax + m5 * ay + m9 * az + m13) * wa * hh;
      const y1 = hh - (m1 * bx + m5 * by + m9 * bz + m13) * wb * hh;
      const y2 = hh - (m1 * cx + m5 * cy + m9 * cz + m13) * wc * hh;
      let minY = Math.ceil(Math.min(y0, y1, y2) - 0.5);
      let maxY = Math.floor(Math.max(y0, y1, y2) - 0.5);
      // wholly above or below the rows drawn (a band's thread skips most triangles here, before any other work)
      if (maxY < rowFrom || minY >= rowTo) continue;
      const x0 = (m0 * ax + m4 * ay + m8 * az + m12) * wa * hw + hw;
      const x1 = (m0 * bx + m4 * by + m8 * bz + m12) * wb * hw + hw;
      const x2 = (m0 * cx + m4 * cy + m8 * cz + m12) * wc * hw + hw;
      let area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
      if (!(area > 1e-12 || area < -1e-12)) continue;
      let minX = Math.ceil(Math.min(x0, x1, x2) - 0.5);
      let maxX = Math.floor(Math.max(x0, x1, x2) - 0.5);
      if (minX > maxX) continue;
      if (minY > maxY) continue;
      if (minX < 0) minX = 0;
      if (minY < 0) minY = 0;
      if (maxX >= W) maxX = W - 1;
      if (maxY >= H) maxY = H - 1;
      if (minX > maxX || minY > maxY) continue;

      // flat shading on the face normal, turned towards the viewer (meshes are not always consistently wound)
      const ux = bx - ax,
        uy = by - ay,
        uz = bz - az;
      const vx = cx - ax,
        vy = cy - ay,
        vz = cz - az;
      let nx = uy * vz - uz * vy,
        ny = uz * vx - ux * vz,
        nz = ux * vy - uy * vx;
      const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
      if (len === 0) continue;
      let inv = 1 / len;
      if (nx * (ex - ax) + ny * (ey - ay) + nz * (ez - az) < 0) inv = -inv;
      nx *= inv;
      ny *= inv;
      nz *= inv;
      const dk = nx * key[0] + ny * key[1] + nz * key[2];
      const df = nx * fill[0] + ny * fill[1] + nz * fill[2];
      const light = 0.36 + 0.62 * (dk > 0 ? dk : 0) + 0.14 * (df > 0 ? df : 0) + 0.08 * (nz * 0.5 + 0.5);
      const r = Math.min(255, br * light) | 0,
        g = Math.min(255, bg * light) | 0,
        b = Math.min(255, bb * light) | 0;
      const rgba = (r | (g << 8) | (b << 16) | 0xff000000) >>> 0;
      const nbits =
        (partBits | (((nx * 127 + 128) | 0) << 16) | (((ny * 127 + 128) | 0) << 8) | ((nz * 127 + 128) | 0)) >>> 0;

      // edge functions, oriented so inside is positive; depth plane in 1/w
      if (area < 0) area = -area;
      const sgn = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0) > 0 ? 1 : -1;
      const e0x = -(y2 - y1) * sgn,
        e0y = (x2 - x1) * sgn;
      const e1x = -(y0 - y2) * sgn,
        e1y = (x0 - x2) * sgn;
      const e2x = -(y1 - y0) * sgn,
        e2y = (x1 - x0) * sgn;
      const invArea = 1 / area;
      const px0 = minX + 0.5,
        py0 = minY + 0.5;
      let r0 = e0x * (px0 - x1) + e0y * (py0 - y1);
      let r1 = e1x * (px0 - x2) + e1y * (py0 - y2);
      let r2 = e2x * (px0 - x0) + e2y * (py0 - y0);
      const dzdx = (e0x * wa + e1x * wb + e2x * wc) * invArea;
      const dzdy = (e0y * wa + e1y * wb + e2y * wc) * invArea;
      let rz = (r0 * wa + r1 * wb + r2 * wc) * invArea;
      // from the triangle's first row even in a band below it: the edge values step row by row as on one thread
      const lastY = maxY < rowTo ? maxY : rowTo - 1;
      for (let y = minY; y <= lastY; y++) {
        if (y < rowFrom) {
          r0 += e0y;
          r1 += e1y;
          r2 += e2y;
          rz += dzdy;
          continue;
        }
        // the run of this row inside all three edges, solved per edge instead of tested per pixel
        let xs = minX,
          xe = maxX;
        if (e0x > 0) xs = Math.max(xs, minX + Math.ceil((-r0 - EPS) / e0x));
        else if (e0x < 0) xe = Math.min(xe, minX + Math.floor((r0 + EPS) / -e0x));
        else if (r0 < -EPS) xe = -1;
        if (e1x > 0) xs = Math.max(xs, minX + Math.ceil((-r1 - EPS) / e1x));
        else if (e1x < 0) xe = Math.min(xe, minX + Math.floor((r1 + EPS) / -e1x));
        else if (r1 < -EPS) xe = -1;
        if (e2x > 0) xs = Math.max(xs, minX + Math.ceil((-r2 - EPS) / e2x));
        else if (e2x < 0) xe = Math.min(xe, minX + Math.floor((r2 + EPS) / -e2x));
        else if (r2 < -EPS) xe = -1;
        if (xs <= xe) {
          if (xs < lo[y]) lo[y] = xs;
          if (xe > hi[y]) hi[y] = xe;
          let z = rz + dzdx * (xs - minX);
          const rowEnd = y * W + xe;
          for (let idx = y * W + xs; idx <= rowEnd; idx++, z += dzdx) {
            if (z > invW[idx]) {
              invW[idx] = z;
              color[idx] = rgba;
              normal[idx] = nbits;
            }
          }
        }
        r0 += e0y;
        r1 += e1y;
        r2 += e2y;
        rz += dzdy;
      }
    }
  }
}

/** Key and fill light directions (towards the lights), fixed to the viewer. */
export function lights(view: Framing): { key: [number, number, number]; fill: [number, number, number] } {
  return { key: dirFrom(view, -0.9, 0.8, 0.7), fill: dirFrom(view, 1, -0.1, 0.5) };
}

function dirFrom(view: Framing, r: number, u: number, b: number): [number, number, number] {
  const x = view.right.x * r + view.up.x * u + view.back.x * b;
  const y = view.right.y * r + view.up.y * u + view.back.y * b;
  const z = view.right.z * r + view.up.z * u + view.back.z * b;
  const l = Math.hypot(x, y, z);
  return [x / l, y / l, z / l];
}

/** Points as small round dots (radius ~1.6 supersampled pixels), shaded flat. */
function drawPoints(
  pts: Float32Array,
  start: number,
  count: number,
  view: Framing,
  frame: Frame,
  br: number,
  bg: number,
  bb: number,
  partBits: number,
): void {
  const { width: W, height: H, invW, color, normal } = frame;
  const m = view.viewProj;
  const hw = W / 2,
    hh = H / 2;
  const rgba =
    (Math.min(255, br * 0.9) |
      0 |
      ((Math.min(255, bg * 0.9) | 0) << 8) |
      ((Math.min(255, bb * 0.9) | 0) << 16) |
      0xff000000) >>>
    0;
  const nbits = (partBits | (128 << 16) | (128 << 8) | 255) >>> 0;
  const R = Math.max(1.2, Math.min(3, W / 400));
  const r2 = R * R;
  for (let i = start * 3; i < (start + count) * 3; i += 3) {
    const x = pts[i],
      y = pts[i + 1],
      z = pts[i + 2];
    const iw = 1 / (m[3] * x + m[7] * y + m[11] * z + m[15]);
    const sx = (m[0] * x + m[4] * y + m[8] * z + m[12]) * iw * hw + hw;
    const sy = hh - (m[1] * x + m[5] * y + m[9] * z + m[13]) * iw * hh;
    const x0 = Math.max(0, Math.ceil(sx - R - 0.5)),
      x1 = Math.min(W - 1, Math.floor(sx + R - 0.5));
    const y0 = Math.max(0, Math.ceil(sy - R - 0.5)),
      y1 = Math.min(H - 1, Math.floor(sy + R - 0.5));
    for (let py = y0; py <= y1; py++) {
      for (let px = x0; px <= x1; px++) {
        const dx = px + 0.5 - sx,
          dy = py + 0.5 - sy;
        const idx = py * W + px;
        if (dx * dx + dy * dy <= r2 && iw > invW[idx]) {
          invW[idx] = iw;
          color[idx] = rgba;
          normal[idx] = nbits;
        }
      }
    }
  }
}

/**
 * Mark edges in the supersampled frame: silhouettes (covered next to empty, or a jump in depth)
 * and creases (normals more than ~40° apart, or a change of part). Both pixels of a pair are marked,
 * so a line is 2 supersampled = 1 output pixel wide.
 */
export function detectEdges(frame: Frame, radius: number, rowFrom = 0, rowTo = frame.height): void {
  const { width: W, height: H, invW, normal, lo, hi } = frame;
  const marks: EdgeMarks = {
    sil: Math.round(SILHOUETTE_STRENGTH * 255),
    crease: Math.round(CREASE_STRENGTH * 255),
    depthJump: radius * 0.04,
  };
  const depthJump = marks.depthJump;
  // rows rowFrom…rowTo − 1 mark pixels on rows rowFrom…rowTo: bands a row apart can be marked at the same time
  for (let y = rowFrom; y < rowTo; y++) {
    const row = y * W;
    // a pixel is compared with its right and lower neighbours: outside both rows' drawn runs all three are empty
    const below = y + 1 < H ? y + 1 : y;
    const xEnd = Math.min(W - 1, Math.max(hi[y], hi[below]));
    for (let x = Math.max(0, Math.min(lo[y], lo[below]) - 1); x <= xEnd; x++) {
      const i = row + x;
      const right = x + 1 < W ? i + 1 : i,
        down = y + 1 < H ? i + W : i;
      // most pixels: empty with empty neighbours, or inside one face
      if (invW[i] === 0 && invW[right] === 0 && invW[down] === 0) continue;
      const n = normal[i];
      if (invW[i] !== 0 && invW[right] !== 0 && invW[down] !== 0 && normal[right] === n && normal[down] === n) {
        // same face: only a depth step (one surface of the same orientation in front of another) can be an edge
        const d = 1 / invW[i],
          dr = 1 / invW[right],
          dd = 1 / invW[down];
        if (Math.abs(d - dr) <= depthJump && Math.abs(d - dd) <= depthJump) continue;
      }
      if (x + 1 < W) compareNeighbours(frame, marks, i, i + 1, x + 2 < W ? i + 2 : -1);
      if (y + 1 < H) compareNeighbours(frame, marks, i, i + W, y + 2 < H ? i + 2 * W : -1);
    }
  }
}

interface EdgeMarks {
  sil: number;
  crease: number;
  depthJump: number;
}

/** Normals more than ~40° apart make a crease. */
const CREASE_COS = 0.77;

function mark(edge: Uint8Array, i: number, v: number): void {
  if (edge[i] < v) edge[i] = v;
}

/** Neighbours i and j; k the pixel beyond j in the same direction (for the depth second difference), or -1. */
function compareNeighbours(frame: Frame, marks: EdgeMarks, i: number, j: number, k: number): void {
  const { invW, normal, edge } = frame;
  const zi = invW[i],
    zj = invW[j];
  if (zi === 0 && zj === 0) return;
  if (zi === 0 || zj === 0) {
    mark(edge, i, marks.sil);
    mark(edge, j, marks.sil);
    return;
  }
  const di = 1 / zi,
    dj = 1 / zj;
  const zk = k >= 0 ? invW[k] : 0;
  // depth second difference: planes seen at a slant change depth linearly and are not edges
  const bend = zk > 0 ? di - 2 * dj + 1 / zk : 0;
  if (Math.abs(di - dj) > marks.depthJump && Math.abs(bend) > marks.depthJump) {
    mark(edge, i, marks.sil);
    mark(edge, j, marks.sil);
    return;
  }
  const a = normal[i],
    b = normal[j];
  if (a === b) return;
  if (a >>> 24 !== b >>> 24) {
    mark(edge, i, marks.crease);
    mark(edge, j, marks.crease);
    return;
  }
  const dot =
    ((((a >>> 16) & 255) - 128) * (((b >>> 16) & 255) - 128) +
      (((a >>> 8) & 255) - 128) * (((b >>> 8) & 255) - 128) +
      ((a & 255) - 128) * ((b & 255) - 128)) /
    (127 * 127);
  if (dot < CREASE_COS) {
    mark(edge, i, marks.crease);
    mark(edge, j, marks.crease);
  }
}
