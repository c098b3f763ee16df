// glTF writers (GLB and .gltf + .bin) via @gltf-transform/core: one node + mesh per part, metres, Y up.
import { Document, WebIO } from '@gltf-transform/core';
import type { Mesh } from '../types.js';
import { partPositions } from '../mesh.js';
import { weldVertices } from '../weld.js';

/**
 * Andecha meshes are millimetres with Z up (the convention of STL/3MF/CAD);
 * glTF is metres with Y up, so (x, y, z) mm → (x, z, −y) / 1000.
 */
function toDocument(mesh: Mesh, bufferUri?: string): Document {
  const doc = new Document();
  const buffer = doc.createBuffer('data');
  if (bufferUri) buffer.setURI(bufferUri);
  const scene = doc.createScene('model');
  for (const part of mesh.parts) {
    const { vertices, index } = weldVertices(partPositions(mesh, part));
    const gl = new Float32Array(vertices.length);
    for (let i = 0; i < vertices.length; i += 3) {
      gl[i] = vertices[i] / 1000;
      gl[i + 1] = vertices[i + 2] / 1000;
      gl[i + 2] = -vertices[i + 1] / 1000;
    }
    const position = doc.createAccessor(`${part.name}-position`).setType('VEC3').setArray(gl).setBuffer(buffer);
    const indices = doc.createAccessor(`${part.name}-indices`).setType('SCALAR').setArray(index).setBuffer(buffer);
    const material = doc.createMaterial(part.name).setBaseColorFactor([...(part.color ?? [0.62, 0.67, 0.74]), 1]).setMetallicFactor(0.1).setRoughnessFactor(0.6);
    const prim = doc.createPrimitive().setAttribute('POSITION', position).setIndices(indices).setMaterial(material);
    const m = doc.createMesh(part.name).addPrimitive(prim);
    scene.addChild(doc.createNode(part.name).setMesh(m));
  }
  doc.getRoot().setDefaultScene(scene);
  return doc;
}

export async function writeGlb(mesh: Mesh): Promise<Uint8Array> {
  return new WebIO().writeBinary(toDocument(mesh));
}

export async function writeGltfSeparate(mesh: Mesh, binName = 'model.bin'): Promise<{ gltf: string; bin: Uint8Array; binName: string }> {
  const { json, resources } = await new WebIO().writeJSON(toDocument(mesh, binName));
  const bin = resources[binName];
  if (!bin) throw new Error('glTF writer produced no buffer');
  return { gltf: JSON.stringify(json), bin, binName };
}
