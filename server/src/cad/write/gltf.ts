// glTF writers (GLB and .gltf + .bin) via @gltf-transform/core: one node + mesh per part, metres, Y up.
import { Document, Logger, WebIO, type Material } from '@gltf-transform/core';
import { EXTMeshoptCompression, KHRMeshQuantization } from '@gltf-transform/extensions';
import { cloneDocument, dedup, meshopt, prune, quantize } from '@gltf-transform/functions';
import { MeshoptEncoder } from 'meshoptimizer';
import type { Mesh, MeshPart } from '../types.js';
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
  // one material per part (and per face colour): `compact` merges the identical ones with dedup()
  const material = (name: string, rgb: [number, number, number]): Material =>
    doc
      .createMaterial(name)
      .setBaseColorFactor([...rgb, 1])
      .setMetallicFactor(0.1)
      .setRoughnessFactor(0.6);
  for (const part of mesh.parts) {
    const m = doc.createMesh(part.name);
    for (const run of colourRuns(mesh, part)) {
      const { vertices, index } = weldVertices(run.positions);
      const gl = new Float32Array(vertices.length);
      for (let i = 0; i < vertices.length; i += 3) {
        gl[i] = vertices[i] / 1000;
        gl[i + 1] = vertices[i + 2] / 1000;
        gl[i + 2] = -vertices[i + 1] / 1000;
      }
      const position = doc.createAccessor(`${part.name}-position`).setType('VEC3').setArray(gl).setBuffer(buffer);
      const indices = doc.createAccessor(`${part.name}-indices`).setType('SCALAR').setArray(index).setBuffer(buffer);
      m.addPrimitive(
        doc
          .createPrimitive()
          .setAttribute('POSITION', position)
          .setIndices(indices)
          .setMaterial(material(part.name, run.color)),
      );
    }
    scene.addChild(doc.createNode(part.name).setMesh(m));
  }
  doc.getRoot().setDefaultScene(scene);
  return doc;
}

const DEFAULT_RGB: [number, number, number] = [0.62, 0.67, 0.74];

/** A part's triangles split by per-face colour (FreeCAD/STEP face colours), one run per colour. */
function colourRuns(mesh: Mesh, part: MeshPart): { color: [number, number, number]; positions: Float32Array }[] {
  const all = partPositions(mesh, part);
  const base = part.color ?? DEFAULT_RGB;
  const c = mesh.colors;
  if (!c) return [{ color: base, positions: all }];
  const groups = new Map<number, number[]>();
  for (let t = part.start; t < part.start + part.count; t++) {
    const key = c[t * 4 + 3] > 0 ? (c[t * 4] << 16) | (c[t * 4 + 1] << 8) | c[t * 4 + 2] : -1;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(t - part.start);
  }
  return [...groups].map(([key, tris]) => {
    const positions = new Float32Array(tris.length * 9);
    tris.forEach((t, i) => positions.set(all.subarray(t * 9, t * 9 + 9), i * 9));
    const color: [number, number, number] =
      key < 0 ? base : [((key >> 16) & 255) / 255, ((key >> 8) & 255) / 255, (key & 255) / 255];
    return { color, positions };
  });
}

export interface GlbOptions {
  /**
   * For the web viewer: shared materials merged, positions quantised to 16-bit integers
   * (KHR_mesh_quantization, which three's GLTFLoader reads natively), larger models meshopt-compressed.
   */
  compact?: boolean;
}

/** Below this a quantised GLB loads in one short request: meshopt's decoder would cost more than it saves. */
export const meshoptFromBytes = 32 * 1024;

/**
 * `compact`: identical materials merged, positions quantised to 16 bits (KHR_mesh_quantization), and from
 * `meshoptFromBytes` up also meshopt-compressed (EXT_meshopt_compression) when that comes out smaller.
 */
export async function writeGlb(mesh: Mesh, opts: GlbOptions = {}): Promise<Uint8Array> {
  if (!opts.compact) return new WebIO().writeBinary(toDocument(mesh));
  // built (vertices welded) and merged once; the meshopt variant starts from a copy of that, not from the mesh again
  const merged = toDocument(mesh);
  // the functions log what they prune to the console: nothing anyone reads in a worker thread
  merged.setLogger(new Logger(Logger.Verbosity.SILENT));
  await merged.transform(dedup(), prune({ keepLeaves: true }));
  const quantised = cloneDocument(merged).setLogger(new Logger(Logger.Verbosity.SILENT));
  await quantised.transform(quantize({ quantizePosition: 16 }));
  const plain = await new WebIO().registerExtensions([KHRMeshQuantization]).writeBinary(quantised);
  if (plain.length < meshoptFromBytes) return plain;
  await MeshoptEncoder.ready;
  await merged.transform(meshopt({ encoder: MeshoptEncoder, level: 'medium', quantizePosition: 16 }));
  const packed = await new WebIO()
    .registerExtensions([KHRMeshQuantization, EXTMeshoptCompression])
    .registerDependencies({ 'meshopt.encoder': MeshoptEncoder })
    .writeBinary(merged);
  return packed.length < plain.length ? packed : plain;
}

export async function writeGltfSeparate(
  mesh: Mesh,
  binName = 'model.bin',
): Promise<{ gltf: string; bin: Uint8Array; binName: string }> {
  const { json, resources } = await new WebIO().writeJSON(toDocument(mesh, binName));
  const bin = resources[binName];
  if (!bin) throw new Error('glTF writer produced no buffer');
  return { gltf: JSON.stringify(json), bin, binName };
}
