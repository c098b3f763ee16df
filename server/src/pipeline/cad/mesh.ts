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

/** Axis-aligned bounds of every triangle vertex and point; zeros for an empty mesh. */
export function meshBounds(mesh: Mesh): Bounds {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const arr of [mesh.positions, mesh.points]) {
    if (!arr) continue;
    for (let i = 0; i < arr.length; i += 3) {
      const x = arr[i], y = arr[i + 1], z = arr[i + 2];
      if (x < min[0]) min[0] = x;
      if (x > max[0]) max[0] = x;
      if (y < min[1]) min[1] = y;
      if (y > max[1]) max[1] = y;
      if (z < min[2]) min[2] = z;
      if (z > max[2]) max[2] = z;
    }
  }
  if (min[0] === Infinity) return { min: [0, 0, 0], max: [0, 0, 0] };
  return { min, max };
}

/** The triangle slice of one part. */
export function partPositions(mesh: Mesh, part: MeshPart): Float32Array {
  return mesh.positions.subarray(part.start * 9, (part.start + part.count) * 9);
}
