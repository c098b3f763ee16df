// glTF reader (GLB and .gltf with sibling or data: buffers, meshopt-compressed or not) via @gltf-transform/core: world
// transforms, metres → mm.
import { type Document, type GLTF, WebIO, type Node as GltfNode } from '@gltf-transform/core';
import { EXTMeshoptCompression } from '@gltf-transform/extensions';
import { MeshoptDecoder } from 'meshoptimizer';
import { checkBytes, finishRead, formatBytes, tooManyTriangles, type ReadOptions } from './result.js';
import { CadReadError, type MeshPart, type ReadLimits, type ReadResult } from './types.js';

const GLB_BUFFER = '@glb.bin'; // the key @gltf-transform/core uses for a GLB's binary chunk
const UNSUPPORTED = ['KHR_draco_mesh_compression', 'KHR_meshopt_compression'];
// meshopt-compressed buffers (what Andecha's own GLBs use) decode; their sizes are vetted like any other
const MESHOPT = 'EXT_meshopt_compression';
const isFallbackBuffer = (b: Json | undefined) => b?.extensions?.[MESHOPT]?.fallback === true;
const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };
const COMPONENT_BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };

// the file's own JSON, untrusted and of any shape: vetJson checks each field it reads before gltf-transform sees it
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export async function readGltf(bytes: Uint8Array, limits: ReadLimits, opts: ReadOptions = {}): Promise<ReadResult> {
  checkBytes(bytes, limits.maxBytes, 'glTF');
  const isGlb = bytes.length >= 4 && bytes[0] === 0x67 && bytes[1] === 0x6c && bytes[2] === 0x54 && bytes[3] === 0x46;
  const { json, resources } = isGlb ? splitGlb(bytes) : resolveGltf(bytes, opts);
  vetJson(json, resources, limits);
  let doc: Document;
  try {
    await MeshoptDecoder.ready;
    doc = await new WebIO()
      .registerExtensions([EXTMeshoptCompression])
      .registerDependencies({ 'meshopt.decoder': MeshoptDecoder })
      .readJSON({ json: json as GLTF.IGLTF, resources: resources as Record<string, Uint8Array<ArrayBuffer>> });
  } catch (e) {
    throw new CadReadError(`the glTF file is damaged and cannot be read (${(e as Error).message})`);
  }
  try {
    return finishRead(toMesh(doc, limits), isGlb ? 'glb' : 'gltf', 'meter', isGlb ? 'GLB' : 'glTF');
  } catch (e) {
    if (e instanceof CadReadError) throw e;
    throw new CadReadError(`the glTF file is damaged and cannot be read (${(e as Error).message})`);
  }
}

function parseJson(bytes: Uint8Array, what: string): Json {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
  } catch {
    throw new CadReadError(`the ${what} JSON is not valid JSON`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new CadReadError(`the ${what} JSON is not a glTF object`);
  const asset = (json as Json).asset;
  if (!asset || typeof asset !== 'object' || !String(asset.version ?? '').startsWith('2')) {
    throw new CadReadError(`the ${what} is not glTF 2.0 (asset.version "${String(asset?.version ?? '')}")`);
  }
  return json as Json;
}

/** GLB: 12-byte header, a JSON chunk, an optional BIN chunk; every length checked against the file. */
function splitGlb(bytes: Uint8Array): { json: Json; resources: Record<string, Uint8Array> } {
  if (bytes.length < 20) throw new CadReadError('the GLB file is shorter than its 20-byte header');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== 2) throw new CadReadError(`the GLB file is version ${version}; only glTF 2.0 is supported`);
  const length = dv.getUint32(8, true);
  if (length > bytes.length)
    throw new CadReadError(
      `the GLB header declares ${formatBytes(length)} but the file has ${formatBytes(bytes.length)}: it is truncated`,
    );
  const jsonLen = dv.getUint32(12, true);
  if (dv.getUint32(16, true) !== 0x4e4f534a) throw new CadReadError('the GLB file has no JSON chunk first');
  if (20 + jsonLen > length)
    throw new CadReadError(`the GLB JSON chunk declares ${formatBytes(jsonLen)}, beyond the end of the file`);
  const json = parseJson(bytes.subarray(20, 20 + jsonLen), 'GLB');
  const resources: Record<string, Uint8Array> = {};
  let o = 20 + jsonLen;
  o += (4 - (o % 4)) % 4;
  if (o + 8 <= length) {
    const binLen = dv.getUint32(o, true);
    if (dv.getUint32(o + 4, true) === 0x004e4942) {
      if (o + 8 + binLen > length)
        throw new CadReadError(`the GLB binary chunk declares ${formatBytes(binLen)}, beyond the end of the file`);
      resources[GLB_BUFFER] = bytes.subarray(o + 8, o + 8 + binLen);
    }
  }
  return { json, resources };
}

/** .gltf: buffers come from data: URIs or from files beside it (opts.siblings). */
function resolveGltf(bytes: Uint8Array, opts: ReadOptions): { json: Json; resources: Record<string, Uint8Array> } {
  const json = parseJson(bytes, '.gltf');
  const resources: Record<string, Uint8Array> = {};
  for (const [i, buf] of (Array.isArray(json.buffers) ? json.buffers : []).entries()) {
    const uri = buf?.uri;
    if (uri === undefined && isFallbackBuffer(buf)) continue;
    if (typeof uri !== 'string') throw new CadReadError(`buffer ${i} of the .gltf file has no uri`);
    if (uri.startsWith('data:')) continue;
    let rel: string;
    try {
      rel = decodeURIComponent(uri);
    } catch {
      rel = uri;
    }
    const data = opts.siblings?.(rel);
    if (!data)
      throw new CadReadError(
        `the .gltf file needs its buffer "${rel.slice(0, 120)}": publish it in the same version, next to the .gltf`,
      );
    resources[uri] = data;
  }
  return { json, resources };
}

function byteLengthOf(buf: Json, resources: Record<string, Uint8Array>): number {
  const uri = buf.uri;
  if (typeof uri === 'string' && uri.startsWith('data:')) {
    const comma = uri.indexOf(',');
    return /;base64$/.test(uri.slice(0, comma))
      ? Math.floor(((uri.length - comma - 1) * 3) / 4)
      : uri.length - comma - 1;
  }
  return (typeof uri === 'string' ? resources[uri] : resources[GLB_BUFFER])?.length ?? 0;
}

/**
 * Check every declared length against the bytes that exist, and the triangle count against the limit,
 * before @gltf-transform allocates anything. Textures are dropped: previews do not use them.
 */
function vetJson(json: Json, resources: Record<string, Uint8Array>, limits: ReadLimits): void {
  const required: string[] = Array.isArray(json.extensionsRequired) ? json.extensionsRequired : [];
  const bad = required.find((e) => UNSUPPORTED.includes(e));
  if (bad)
    throw new CadReadError(
      `the glTF file is compressed with ${bad}, which Andecha cannot read yet; export it without mesh compression`,
    );
  const meshopt = [...required, ...(Array.isArray(json.extensionsUsed) ? json.extensionsUsed : [])].includes(MESHOPT);
  delete json.extensionsRequired;
  delete json.extensionsUsed;
  if (meshopt) json.extensionsUsed = [MESHOPT];
  delete json.images;
  delete json.textures;
  delete json.samplers;
  for (const m of Array.isArray(json.materials) ? json.materials : []) {
    if (!m || typeof m !== 'object') continue;
    delete m.extensions;
    for (const k of Object.keys(m)) if (k.endsWith('Texture')) delete m[k];
    if (m.pbrMetallicRoughness) {
      delete m.pbrMetallicRoughness.baseColorTexture;
      delete m.pbrMetallicRoughness.metallicRoughnessTexture;
    }
  }
  const buffers: Json[] = Array.isArray(json.buffers) ? json.buffers : [];
  let decoded = 0;
  for (const [i, b] of buffers.entries()) {
    if (meshopt && isFallbackBuffer(b)) {
      // a placeholder the decoder fills: what it may allocate is bounded like an unzipped entry
      decoded += Number(b.byteLength);
      if (!Number.isSafeInteger(b.byteLength) || b.byteLength < 0 || decoded > limits.maxUncompressedBytes) {
        throw new CadReadError(
          `the glTF file's compressed buffers would decode to more than ${formatBytes(limits.maxUncompressedBytes)}`,
        );
      }
      continue;
    }
    const have = byteLengthOf(b ?? {}, resources);
    if (!b || typeof b.byteLength !== 'number' || b.byteLength < 0 || b.byteLength > have) {
      throw new CadReadError(
        `glTF buffer ${i} declares ${formatBytes(Number(b?.byteLength) || 0)} but only ${formatBytes(have)} are there: the file is truncated or damaged`,
      );
    }
  }
  const views: Json[] = Array.isArray(json.bufferViews) ? json.bufferViews : [];
  for (const [i, v] of views.entries()) {
    const b = buffers[v?.buffer];
    const end = (Number(v?.byteOffset) || 0) + Number(v?.byteLength);
    if (!b || !Number.isFinite(end) || end > b.byteLength)
      throw new CadReadError(`glTF bufferView ${i} reaches past the end of its buffer`);
    const packed = meshopt ? v?.extensions?.[MESHOPT] : undefined;
    if (packed) {
      const source = buffers[packed.buffer];
      const packedEnd = (Number(packed.byteOffset) || 0) + Number(packed.byteLength);
      if (!source || isFallbackBuffer(source) || !Number.isFinite(packedEnd) || packedEnd > source.byteLength) {
        throw new CadReadError(`glTF bufferView ${i}'s compressed data reaches past the end of its buffer`);
      }
      if (Number(packed.count) * Number(packed.byteStride) !== Number(v.byteLength)) {
        throw new CadReadError(
          `glTF bufferView ${i} declares ${Number(packed.count)}×${Number(packed.byteStride)} compressed bytes for a view of ${formatBytes(Number(v.byteLength) || 0)}`,
        );
      }
    } else if (isFallbackBuffer(b)) {
      throw new CadReadError(`glTF bufferView ${i} reads a compression placeholder buffer without being compressed`);
    }
  }
  const accessors: Json[] = Array.isArray(json.accessors) ? json.accessors : [];
  for (const [i, a] of accessors.entries()) {
    const count = Number(a?.count);
    const size = (COMPONENTS[a?.type] ?? 0) * (COMPONENT_BYTES[a?.componentType] ?? 0);
    if (!Number.isSafeInteger(count) || count < 0 || !size)
      throw new CadReadError(`glTF accessor ${i} has an invalid count, type or component type`);
    if (count > limits.maxTriangles * 3) throw tooManyTriangles(Math.floor(count / 3), limits.maxTriangles, 'glTF');
    if (a.bufferView !== undefined) {
      const v = views[a.bufferView];
      const stride = Number(v?.byteStride) || size;
      const need = (Number(a.byteOffset) || 0) + (count > 0 ? (count - 1) * stride + size : 0);
      if (!v || need > v.byteLength)
        throw new CadReadError(`glTF accessor ${i} reaches past the end of its bufferView`);
    }
  }
  // triangles as instanced by the node tree
  const meshes: Json[] = Array.isArray(json.meshes) ? json.meshes : [];
  const perMesh = meshes.map((m) => {
    let n = 0;
    for (const p of Array.isArray(m?.primitives) ? m.primitives : []) {
      const acc = accessors[p?.indices ?? p?.attributes?.POSITION];
      n += Math.max(0, (Number(acc?.count) || 0) - ((p?.mode ?? 4) === 4 ? 0 : 2)) / ((p?.mode ?? 4) === 4 ? 3 : 1);
    }
    return n;
  });
  const nodes: Json[] = Array.isArray(json.nodes) ? json.nodes : [];
  let total = 0;
  const visit = (i: number, depth: number) => {
    if (depth > 64) throw new CadReadError('the glTF node tree is deeper than 64 levels or refers to itself');
    const n = nodes[i];
    if (!n) return;
    if (typeof n.mesh === 'number') total += perMesh[n.mesh] ?? 0;
    if (total > limits.maxTriangles) throw tooManyTriangles(Math.round(total), limits.maxTriangles, 'glTF');
    for (const c of Array.isArray(n.children) ? n.children : []) visit(c, depth + 1);
  };
  for (const s of Array.isArray(json.scenes) ? json.scenes : [])
    for (const r of Array.isArray(s?.nodes) ? s.nodes : []) visit(r, 0);
}

function toMesh(doc: Document, limits: ReadLimits) {
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  const nodes: GltfNode[] = [];
  if (scene) scene.traverse((n) => nodes.push(n));
  else nodes.push(...root.listNodes());
  const pts: number[] = [];
  const parts: MeshPart[] = [];
  const pointParts: MeshPart[] = [];
  let triangles = 0;
  const chunks: Float32Array[] = [];
  for (const node of nodes) {
    const mesh = node.getMesh();
    if (!mesh) continue;
    const w = node.getWorldMatrix();
    const name = mesh.getName() || node.getName() || `mesh ${parts.length + 1}`;
    const start = triangles;
    let color: [number, number, number] | undefined;
    for (const prim of mesh.listPrimitives()) {
      const pos = prim.getAttribute('POSITION');
      if (!pos) continue;
      const c = prim.getMaterial()?.getBaseColorFactor();
      if (c && !color) color = [c[0], c[1], c[2]];
      const src = pos.getArray();
      if (!src) continue;
      const nv = pos.getCount();
      // world transform, then glTF (metres, Y up) → Andecha (Z up); mm scaling happens in finishRead
      const world = new Float32Array(nv * 3);
      const el = [0, 0, 0];
      const direct = !pos.getNormalized() && pos.getElementSize() === 3;
      for (let v = 0; v < nv; v++) {
        if (!direct) pos.getElement(v, el);
        const x = direct ? src[v * 3] : el[0],
          y = direct ? src[v * 3 + 1] : el[1],
          z = direct ? src[v * 3 + 2] : el[2];
        const wx = w[0] * x + w[4] * y + w[8] * z + w[12];
        const wy = w[1] * x + w[5] * y + w[9] * z + w[13];
        const wz = w[2] * x + w[6] * y + w[10] * z + w[14];
        world[v * 3] = wx;
        world[v * 3 + 1] = -wz;
        world[v * 3 + 2] = wy;
      }
      const mode = prim.getMode();
      const idxAcc = prim.getIndices();
      const idx = idxAcc ? idxAcc.getArray() : null;
      const count = idx ? idx.length : nv;
      const at = (i: number): number => {
        const v = idx ? idx[i] : i;
        if (!(v < nv)) throw new CadReadError(`a glTF primitive of "${name}" refers to vertex ${v}, but it has ${nv}`);
        return v;
      };
      if (mode === 0) {
        for (let i = 0; i < count; i++) {
          const v = at(i);
          pts.push(world[v * 3], world[v * 3 + 1], world[v * 3 + 2]);
        }
        continue;
      }
      const list: number[] = [];
      if (mode === 4) for (let i = 0; i + 2 < count; i += 3) list.push(at(i), at(i + 1), at(i + 2));
      else if (mode === 5)
        for (let i = 0; i + 2 < count; i++) list.push(at(i), at(i + 1 + (i & 1)), at(i + 2 - (i & 1)));
      else if (mode === 6) for (let i = 1; i + 1 < count; i++) list.push(at(0), at(i), at(i + 1));
      else continue; // lines: nothing to shade
      const n = list.length / 3;
      if (triangles + n > limits.maxTriangles) throw tooManyTriangles(triangles + n, limits.maxTriangles, 'glTF');
      const out = new Float32Array(list.length * 3);
      for (let i = 0; i < list.length; i++) {
        out[i * 3] = world[list[i] * 3];
        out[i * 3 + 1] = world[list[i] * 3 + 1];
        out[i * 3 + 2] = world[list[i] * 3 + 2];
      }
      chunks.push(out);
      triangles += n;
    }
    if (triangles > start) {
      const part: MeshPart = { name, start, count: triangles - start };
      if (color) part.color = color;
      parts.push(part);
    }
  }
  const positions = new Float32Array(triangles * 9);
  let o = 0;
  for (const c of chunks) {
    positions.set(c, o);
    o += c.length;
  }
  if (triangles === 0 && pts.length) {
    pointParts.push({ name: 'points', start: 0, count: pts.length / 3 });
    return { positions, parts: pointParts, points: Float32Array.from(pts) };
  }
  return { positions, parts };
}
