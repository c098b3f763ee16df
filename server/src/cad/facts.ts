// Facts of a mesh: triangle/point counts, parts, bounding box, area, closed volume, watertightness.
import { meshBounds } from './mesh.js';
import type { Mesh, MeshFacts } from './types.js';
import { weldIds } from './weld.js';

export function computeFacts(mesh: Mesh, format: string): MeshFacts {
  const bbox = meshBounds(mesh);
  const triangles = mesh.positions.length / 9;
  if (triangles === 0) {
    return { format, points: mesh.points ? mesh.points.length / 3 : 0, parts: mesh.parts.length, bbox };
  }
  const p = mesh.positions;
  let area = 0;
  let volume6 = 0;
  for (let o = 0; o < p.length; o += 9) {
    const ax = p[o],
      ay = p[o + 1],
      az = p[o + 2];
    const bx = p[o + 3],
      by = p[o + 4],
      bz = p[o + 5];
    const cx = p[o + 6],
      cy = p[o + 7],
      cz = p[o + 8];
    const ux = bx - ax,
      uy = by - ay,
      uz = bz - az;
    const vx = cx - ax,
      vy = cy - ay,
      vz = cz - az;
    const nx = uy * vz - uz * vy,
      ny = uz * vx - ux * vz,
      nz = ux * vy - uy * vx;
    area += Math.sqrt(nx * nx + ny * ny + nz * nz);
    // signed volume of the tetrahedron (origin, a, b, c) × 6
    volume6 += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  }
  const watertight = isWatertight(p, bbox);
  const facts: MeshFacts = { format, triangles, parts: mesh.parts.length, bbox, area: area / 2, watertight };
  if (watertight) facts.volume = Math.abs(volume6 / 6);
  return facts;
}

/**
 * Every edge shared by exactly two triangles, after welding vertices closer than a tolerance
 * (1e-6 of the model's size) so float noise between neighbouring facets does not open seams.
 */
export function isWatertight(positions: Float32Array, bbox: { min: number[]; max: number[] }): boolean {
  const diag = Math.hypot(bbox.max[0] - bbox.min[0], bbox.max[1] - bbox.min[1], bbox.max[2] - bbox.min[2]);
  const { index, idBound } = weldIds(positions, Math.max(diag * 1e-6, 1e-9));
  return everyEdgePaired(index, idBound);
}

/**
 * Edges grouped by their lower vertex (a counting sort, CSR), then each vertex's list of higher neighbours checked
 * for pairs. The edges are read from the triangles twice (count, then fill) rather than stored: two fewer arrays of
 * every edge.
 */
function everyEdgePaired(index: Uint32Array, idBound: number): boolean {
  const start = new Uint32Array(idBound + 1);
  let edges = 0;
  for (let t = 0; t + 2 < index.length; t += 3) {
    const a = index[t],
      b = index[t + 1],
      c = index[t + 2];
    if (a === b || b === c || a === c) continue; // collapsed by welding: no area, no edges
    start[(a < b ? a : b) + 1]++;
    start[(b < c ? b : c) + 1]++;
    start[(a < c ? a : c) + 1]++;
    edges += 3;
  }
  if (edges === 0) return false;
  for (let v = 0; v < idBound; v++) {
    if (start[v + 1] & 1) return false; // an odd count cannot be pairs
    start[v + 1] += start[v];
  }
  const other = new Uint32Array(edges);
  // filled with start[v]++: afterwards start[v] is where the list of v ends (and v + 1's begins)
  for (let t = 0; t + 2 < index.length; t += 3) {
    const a = index[t],
      b = index[t + 1],
      c = index[t + 2];
    if (a === b || b === c || a === c) continue;
    if (a < b) other[start[a]++] = b;
    else other[start[b]++] = a;
    if (b < c) other[start[b]++] = c;
    else other[start[c]++] = b;
    if (a < c) other[start[a]++] = c;
    else other[start[c]++] = a;
  }
  // each list must hold every one of its vertices exactly twice. mark[w] says how often w was met in the list of
  // v: 2v + 1 once, 2v + 2 twice; anything else (a mark left by another list) not yet. One pass, nothing to reset
  const mark = new Uint32Array(idBound);
  let s = 0;
  for (let v = 0; v < idBound; v++) {
    const e = start[v];
    const once = 2 * v + 1;
    let pairs = 0;
    for (let i = s; i < e; i++) {
      const w = other[i];
      const m = mark[w];
      if (m === once) {
        mark[w] = once + 1;
        pairs++;
      } else if (m === once + 1) return false;
      else mark[w] = once;
    }
    if (2 * pairs !== e - s) return false;
    s = e;
  }
  return true;
}
