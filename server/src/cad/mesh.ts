// Building and combining Mesh values: three.js geometries → flat non-indexed triangles, merging parts, bounds.
import type { BufferGeometry } from 'three';
import type { Mesh, MeshPart } from './types.js';

export interface GeometryPart {
  name: string;
  geometry: BufferGeometry;
  color?: [number, number, number];
}

/** Flatten three.js geometries (indexed or not) into one Mesh, one part per geometry. */
export function meshFromGeometry(parts: GeometryPart[]): Mesh {
  let total = 0;
  for (const p of parts) total += triangleCount(p.geometry);
  const positions = new Float32Array(total * 9);
  const out: MeshPart[] = [];
  let tri = 0;
  for (const p of parts) {
    const pos = p.geometry.getAttribute('position');
    const index = p.geometry.getIndex();
    const n = triangleCount(p.geometry);
    let o = tri * 9;
    for (let i = 0; i < n * 3; i++) {
      const v = index ? index.getX(i) : i;
      positions[o++] = pos.getX(v);
      positions[o++] = pos.getY(v);
      positions[o++] = pos.getZ(v);
    }
    const part: MeshPart = { name: p.name, start: tri, count: n };
    if (p.color) part.color = p.color;
    out.push(part);
    tri += n;
  }
  return { positions, parts: out };
}

function triangleCount(g: BufferGeometry): number {
  const index = g.getIndex();
  const pos = g.getAttribute('position');
  if (!pos) return 0;
  return Math.floor((index ? index.count : pos.count) / 3);
}

/** Concatenate meshes; parts keep their names and are renumbered. */
export function mergeMeshes(meshes: Mesh[]): Mesh {
  let floats = 0;
  let pts = 0;
  for (const m of meshes) {
    floats += m.positions.length;
    pts += m.points?.length ?? 0;
  }
  const positions = new Float32Array(floats);
  const points = pts > 0 ? new Float32Array(pts) : undefined;
  const parts: MeshPart[] = [];
  // per-triangle colours survive a merge; triangles of meshes without them keep their parts' colours (alpha 0)
  const colors = meshes.some((m) => m.colors) ? new Uint8Array((floats / 9) * 4) : undefined;
  let fo = 0;
  let po = 0;
  for (const m of meshes) {
    positions.set(m.positions, fo);
    if (colors && m.colors) colors.set(m.colors, (fo / 9) * 4);
    if (m.points && points) points.set(m.points, po);
    for (const p of m.parts) {
      const isPoints = m.positions.length === 0 && m.points !== undefined;
      parts.push({ ...p, start: p.start + (isPoints ? po / 3 : fo / 9) });
    }
    fo += m.positions.length;
    po += m.points?.length ?? 0;
  }
  const out: Mesh = points ? { positions, parts, points } : { positions, parts };
  if (colors) out.colors = colors;
  return out;
}

export interface Bounds {
  min: [number, number, number];
  max: [number, number, number];
}

/** Bounds worked out once per mesh: a preview of each size and the facts all ask, and meshes do not change once read. */
const knownBounds = new WeakMap<Mesh, Bounds>();

/** Axis-aligned bounds of every triangle vertex and point; zeros for an empty mesh. */
export function meshBounds(mesh: Mesh): Bounds {
  let b = knownBounds.get(mesh);
  if (!b) {
    const scanned = scanBounds(mesh);
    // every reader refuses such a file first (finishRead), with the vertex
    if ('nonFinite' in scanned)
      throw new Error(`the mesh has a coordinate that is not a finite number (vertex ${scanned.nonFinite})`);
    b = scanned;
    knownBounds.set(mesh, b);
  }
  return { min: [...b.min], max: [...b.max] };
}

/** Bounds the caller already knows for exactly these coordinates (a reader's check pass): meshBounds answers with them. */
export function rememberBounds(mesh: Mesh, bounds: Bounds): void {
  knownBounds.set(mesh, { min: [...bounds.min], max: [...bounds.max] });
}

/**
 * Bounds in one pass that also checks every coordinate is a finite number: the bounds, or the 1-based vertex (within
 * the triangles or the points) of the first coordinate that is not.
 */
export function scanBounds(mesh: Mesh): Bounds | { nonFinite: number } {
  const box = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
  for (const arr of [mesh.positions, mesh.points]) {
    if (!arr) continue;
    const nonFinite = widenBounds(arr, 0, arr.length, box);
    if (nonFinite) return { nonFinite };
  }
  if (box[0] === Infinity) return { min: [0, 0, 0], max: [0, 0, 0] };
  return { min: [box[0], box[1], box[2]], max: [box[3], box[4], box[5]] };
}

/**
 * Widens `box` (min x, y, z, then max x, y, z) by the vertices of coords[from, to) and returns 0, or the 1-based
 * vertex (counted from the array's start) of the first coordinate that is not a finite number, where it stops. One
 * loop for a whole mesh (scanBounds) and for a thread's run of triangles (cad/stl-shared.ts).
 */
export function widenBounds(coords: Float32Array, from: number, to: number, box: number[]): number {
  let x0 = box[0],
    y0 = box[1],
    z0 = box[2],
    x1 = box[3],
    y1 = box[4],
    z1 = box[5],
    nonFinite = 0;
  for (let i = from; i < to; i += 3) {
    const x = coords[i],
      y = coords[i + 1],
      z = coords[i + 2];
    // x − x is 0 for every finite x, NaN for NaN and ±Infinity
    if (!(x - x === 0 && y - y === 0 && z - z === 0)) {
      nonFinite = i / 3 + 1;
      break;
    }
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
  }
  box[0] = x0;
  box[1] = y0;
  box[2] = z0;
  box[3] = x1;
  box[4] = y1;
  box[5] = z1;
  return nonFinite;
}

/** The triangle slice of one part. */
export function partPositions(mesh: Mesh, part: MeshPart): Float32Array {
  return mesh.positions.subarray(part.start * 9, (part.start + part.count) * 9);
}
