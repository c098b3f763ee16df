// STL writers (binary and ASCII) for a Mesh; one ASCII `solid` per part.
import type { Mesh } from '../types.js';
import { partPositions } from '../mesh.js';

function normalOf(p: Float32Array, o: number): [number, number, number] {
  const ux = p[o + 3] - p[o],
    uy = p[o + 4] - p[o + 1],
    uz = p[o + 5] - p[o + 2];
  const vx = p[o + 6] - p[o],
    vy = p[o + 7] - p[o + 1],
    vz = p[o + 8] - p[o + 2];
  const nx = uy * vz - uz * vy,
    ny = uz * vx - ux * vz,
    nz = ux * vy - uy * vx;
  const len = Math.hypot(nx, ny, nz) || 1;
  return [nx / len, ny / len, nz / len];
}

/** Binary STL: 80-byte header, triangle count, 50 bytes per triangle. */
export function writeStlBinary(mesh: Mesh, header = 'Andecha binary STL'): Buffer {
  const n = mesh.positions.length / 9;
  const buf = Buffer.alloc(84 + 50 * n);
  buf.write(header.slice(0, 80), 0, 'latin1');
  buf.writeUInt32LE(n, 80);
  const p = mesh.positions;
  let o = 84;
  for (let t = 0; t < n; t++) {
    const nn = normalOf(p, t * 9);
    buf.writeFloatLE(nn[0], o);
    buf.writeFloatLE(nn[1], o + 4);
    buf.writeFloatLE(nn[2], o + 8);
    for (let k = 0; k < 9; k++) buf.writeFloatLE(p[t * 9 + k], o + 12 + k * 4);
    o += 50;
  }
  return buf;
}

/** ASCII STL, one solid per part (names with spaces replaced). */
export function writeStlAscii(mesh: Mesh): string {
  const out: string[] = [];
  for (const part of mesh.parts) {
    const name = part.name.replace(/\s+/g, '_') || 'part';
    const p = partPositions(mesh, part);
    out.push(`solid ${name}`);
    for (let o = 0; o < p.length; o += 9) {
      const nn = normalOf(p, o);
      out.push(`  facet normal ${nn[0]} ${nn[1]} ${nn[2]}`, '    outer loop');
      for (let k = 0; k < 9; k += 3) out.push(`      vertex ${p[o + k]} ${p[o + k + 1]} ${p[o + k + 2]}`);
      out.push('    endloop', '  endfacet');
    }
    out.push(`endsolid ${name}`);
  }
  return out.join('\n') + '\n';
}
