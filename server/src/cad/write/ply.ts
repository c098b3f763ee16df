// PLY writer (ASCII or binary little endian): welded vertices and triangle faces, or points.
import type { Mesh } from '../types.js';
import { weldVertices } from '../weld.js';

export function writePly(mesh: Mesh, opts: { binary?: boolean } = {}): Buffer {
  const pointCloud = mesh.positions.length === 0 && mesh.points !== undefined;
  const { vertices, index } = pointCloud
    ? { vertices: mesh.points as Float32Array, index: new Uint32Array(0) }
    : weldVertices(mesh.positions);
  const nv = vertices.length / 3;
  const nf = index.length / 3;
  const header = [
    'ply',
    `format ${opts.binary ? 'binary_little_endian' : 'ascii'} 1.0`,
    'comment Andecha PLY export, units: mm',
    `element vertex ${nv}`,
    'property float x',
    'property float y',
    'property float z',
  ];
  if (!pointCloud) header.push(`element face ${nf}`, 'property list uchar int vertex_indices');
  header.push('end_header', '');
  const head = Buffer.from(header.join('\n'), 'latin1');
  if (!opts.binary) {
    const lines: string[] = [];
    for (let i = 0; i < vertices.length; i += 3) lines.push(`${vertices[i]} ${vertices[i + 1]} ${vertices[i + 2]}`);
    for (let i = 0; i < index.length; i += 3) lines.push(`3 ${index[i]} ${index[i + 1]} ${index[i + 2]}`);
    return Buffer.concat([head, Buffer.from(lines.join('\n') + '\n', 'latin1')]);
  }
  const body = Buffer.alloc(nv * 12 + nf * 13);
  let o = 0;
  for (let i = 0; i < vertices.length; i++, o += 4) body.writeFloatLE(vertices[i], o);
  for (let i = 0; i < index.length; i += 3) {
    body.writeUInt8(3, o);
    body.writeInt32LE(index[i], o + 1);
    body.writeInt32LE(index[i + 1], o + 5);
    body.writeInt32LE(index[i + 2], o + 9);
    o += 13;
  }
  return Buffer.concat([head, body]);
}
