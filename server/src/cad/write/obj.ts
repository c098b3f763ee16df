// Wavefront OBJ writer: welded vertices, one `o` object (and `g` group) per part.
import type { Mesh } from '../types.js';
import { partPositions } from '../mesh.js';
import { weldVertices } from '../weld.js';

export function writeObj(mesh: Mesh): string {
  const out: string[] = ['# Andecha OBJ export, units: mm'];
  let base = 1;
  for (const part of mesh.parts) {
    const { vertices, index } = weldVertices(partPositions(mesh, part));
    const name = part.name.replace(/\s+/g, '_') || 'part';
    out.push(`o ${name}`, `g ${name}`);
    for (let i = 0; i < vertices.length; i += 3) out.push(`v ${vertices[i]} ${vertices[i + 1]} ${vertices[i + 2]}`);
    for (let i = 0; i < index.length; i += 3) {
      out.push(`f ${index[i] + base} ${index[i + 1] + base} ${index[i + 2] + base}`);
    }
    base += vertices.length / 3;
  }
  return out.join('\n') + '\n';
}
