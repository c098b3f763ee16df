// The facts algorithm as it was before issue 32 (commit 693c785): the reference the faster one is checked
// against (test/pipeline/facts-reference.test.ts) and its peer in `npm run bench -- render`. Not used by the server.
import { meshBounds } from '../../server/src/cad/mesh.js';
import type { Mesh, MeshFacts } from '../../server/src/cad/types.js';

export function computeFactsBefore(mesh: Mesh, format: string): MeshFacts {
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
  const watertight = isWatertightBefore(p, bbox);
  const facts: MeshFacts = { format, triangles, parts: mesh.parts.length, bbox, area: area / 2, watertight };
  if (watertight) facts.volume = Math.abs(volume6 / 6);
  return facts;
}

/**
 * Every edge shared by exactly two triangles, after welding vertices closer than a tolerance
 * (1e-6 of the model's size) so float noise between neighbouring facets does not open seams.
 */
export function isWatertightBefore(positions: Float32Array, bbox: { min: number[]; max: number[] }): boolean {
  const diag = Math.hypot(bbox.max[0] - bbox.min[0], bbox.max[1] - bbox.min[1], bbox.max[2] - bbox.min[2]);
  const { vertices, index } = weldVerticesBefore(positions, Math.max(diag * 1e-6, 1e-9));
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

interface Welded {
  vertices: Float32Array;
  index: Uint32Array;
}

/**
 * murmur3's 32-bit finaliser: float bit patterns and grid keys share their low bits (round numbers,
 * regular grids), so without a full mix a power-of-two table collides in long runs.
 */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const RECENT = 4096;

function rehash(uniqueKeys: Int32Array, unique: number, cap: number): Int32Array {
  const mask = cap - 1;
  const table = new Int32Array(cap).fill(-1);
  for (let u = 0; u < unique; u++) {
    let h = mix(mix(mix(uniqueKeys[u * 3]) ^ uniqueKeys[u * 3 + 1]) ^ uniqueKeys[u * 3 + 2]) & mask;
    while (table[h] !== -1) h = (h + 1) & mask;
    table[h] = u;
  }
  return table;
}

/**
 * Merge equal vertices. With `tolerance` 0 vertices merge when their float bits are equal;
 * otherwise when they fall into the same grid cell of that size (mm). Integer keys in a typed
 * open-addressing table: no strings, no Map, one pass.
 */
export function weldVerticesBefore(positions: Float32Array, tolerance = 0): Welded {
  const n = positions.length / 3;
  let keys: Int32Array<ArrayBufferLike>;
  if (tolerance > 0) {
    keys = new Int32Array(n * 3);
    const inv = 1 / tolerance;
    // Math.floor(x + 0.5) rounds like Math.round but V8 compiles it to one instruction (5× faster here)
    for (let i = 0; i < n * 3; i++) keys[i] = Math.floor(positions[i] * inv + 0.5);
  } else {
    // +0 and -0 are the same vertex: normalise them, then compare bits
    const copy = positions.slice(0, n * 3);
    for (let i = 0; i < copy.length; i++) if (copy[i] === 0) copy[i] = 0;
    keys = new Int32Array(copy.buffer, 0, n * 3);
  }
  // sized for a closed mesh (each vertex shared by ~6 triangles) and grown when half full: a small table
  // stays in cache, which matters more than anything else at millions of vertices
  let cap = 1024;
  while (cap < n / 2) cap <<= 1;
  let mask = cap - 1;
  let table: Int32Array<ArrayBufferLike> = new Int32Array(cap).fill(-1);
  const index = new Uint32Array(n);
  // keys of each unique vertex, contiguous: a probe compares against 12 bytes, not a random original
  const uniqueKeys = new Int32Array(n * 3);
  const firstOf = new Int32Array(n);
  let unique = 0;
  let limit = cap >> 1;
  // neighbouring triangles share vertices: a tiny direct-mapped cache of recent vertices answers most
  // lookups from L1 before the big table is touched
  const recent = new Int32Array(RECENT).fill(-1);
  for (let i = 0; i < n; i++) {
    const a = keys[i * 3],
      b = keys[i * 3 + 1],
      c = keys[i * 3 + 2];
    const full = mix(mix(mix(a) ^ b) ^ c);
    const r = full & (RECENT - 1);
    const hit = recent[r];
    if (hit !== -1 && uniqueKeys[hit * 3] === a && uniqueKeys[hit * 3 + 1] === b && uniqueKeys[hit * 3 + 2] === c) {
      index[i] = hit;
      continue;
    }
    let h = full & mask;
    for (;;) {
      const slot = table[h];
      if (slot === -1) {
        table[h] = unique;
        uniqueKeys[unique * 3] = a;
        uniqueKeys[unique * 3 + 1] = b;
        uniqueKeys[unique * 3 + 2] = c;
        firstOf[unique] = i;
        recent[r] = unique;
        index[i] = unique++;
        if (unique > limit) {
          cap <<= 1;
          mask = cap - 1;
          limit = cap >> 1;
          table = rehash(uniqueKeys, unique, cap);
        }
        break;
      }
      const j = slot * 3;
      if (uniqueKeys[j] === a && uniqueKeys[j + 1] === b && uniqueKeys[j + 2] === c) {
        recent[r] = slot;
        index[i] = slot;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  const vertices = new Float32Array(unique * 3);
  for (let u = 0; u < unique; u++) {
    const j = firstOf[u] * 3;
    vertices[u * 3] = positions[j];
    vertices[u * 3 + 1] = positions[j + 1];
    vertices[u * 3 + 2] = positions[j + 2];
  }
  return { vertices, index };
}
