// Facts of a mesh: triangle/point counts, parts, bounding box, area, closed volume, watertightness.
import { meshBounds } from './mesh.js';
import type { Mesh, MeshFacts } from './types.js';
import { weldVertices } from './weld.js';

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
  const { vertices, index } = weldVertices(positions, Math.max(diag * 1e-6, 1e-9));
  const nv = vertices.length / 3;
  // edges grouped by their lower vertex (CSR), then each short list checked for pairs
  const lo = new Uint32Array(index.length);
  const hi = new Uint32Array(index.length);
  let ne = 0;
  for (let t = 0; t < index.length; t += 3) {
    const a = index[t],
      b = index[t + 1],
      c = index[t + 2];
    if (a === b || b === c || a === c) continue; // collapsed by welding: no area, no edges
    lo[ne] = a < b ? a : b;
    hi[ne++] = a < b ? b : a;
    lo[ne] = b < c ? b : c;
    hi[ne++] = b < c ? c : b;
    lo[ne] = a < c ? a : c;
    hi[ne++] = a < c ? c : a;
  }
  if (ne === 0) return false;
  const start = new Uint32Array(nv + 1);
  for (let e = 0; e < ne; e++) start[lo[e] + 1]++;
  for (let v = 0; v < nv; v++) start[v + 1] += start[v];
  const fill = start.slice(0, nv);
  const other = new Uint32Array(ne);
  for (let e = 0; e < ne; e++) other[fill[lo[e]]++] = hi[e];
  for (let v = 0; v < nv; v++) {
    const s = start[v],
      e = start[v + 1];
    if ((e - s) & 1) return false;
    // lists are short (a vertex's higher neighbours, each twice): insertion sort in place, no allocation
    for (let i = s + 1; i < e; i++) {
      const x = other[i];
      let j = i - 1;
      while (j >= s && other[j] > x) {
        other[j + 1] = other[j];
        j--;
      }
      other[j + 1] = x;
    }
    for (let i = s; i < e; i += 2) {
      if (other[i] !== other[i + 1] || (i + 2 < e && other[i + 2] === other[i])) return false;
    }
  }
  return true;
}
