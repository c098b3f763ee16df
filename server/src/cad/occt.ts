// OpenCascade (occt-import-js, WASM) for STEP, IGES and BREP: one warm instance per thread, results → a Mesh.
import { createRequire } from 'node:module';
import { CadReadError, type Mesh, type MeshPart, type ReadLimits } from './types.js';
import { tooManyTriangles } from './result.js';

export type OcctKind = 'step' | 'iges' | 'brep';

interface OcctMesh {
  name?: string;
  color?: [number, number, number];
  brep_faces?: { first: number; last: number; color: [number, number, number] | null }[];
  attributes: { position: { array: ArrayLike<number> } };
  index: { array: ArrayLike<number> };
}
interface OcctNode {
  name: string;
  meshes: number[];
  children: OcctNode[];
}
interface OcctResult {
  success: boolean;
  root?: OcctNode;
  meshes?: OcctMesh[];
}
interface OcctParams {
  linearUnit: 'millimeter';
  linearDeflectionType: 'bounding_box_ratio' | 'absolute_value';
  linearDeflection: number;
  angularDeflection: number;
}
interface OcctModule {
  ReadFile(format: OcctKind, content: Uint8Array, params: OcctParams | null): OcctResult;
}

/**
 * Tessellation: deflection as a ratio of the shape's bounding box, so a 2 mm screw and a 2 m frame get
 * the same look for their size; 0.3 rad keeps holes round. Output in mm (occt converts STEP/IGES units).
 */
const PARAMS: OcctParams = {
  linearUnit: 'millimeter',
  linearDeflectionType: 'bounding_box_ratio',
  linearDeflection: 0.002,
  angularDeflection: 0.3,
};

let instance: Promise<OcctModule> | null = null;

/** The thread's OpenCascade, started on first use (~0.1–0.4 s) and kept warm; its printing silenced. */
export function occt(): Promise<OcctModule> {
  if (!instance) {
    const factory = createRequire(import.meta.url)('occt-import-js') as (opts: object) => Promise<OcctModule>;
    instance = factory({ print: () => {}, printErr: () => {} });
    instance.catch(() => {
      instance = null;
    });
  }
  return instance;
}

const GENERIC_NAMES = new Set([
  '',
  'FACE',
  'SHELL',
  'SOLID',
  'COMPOUND',
  'COMPSOLID',
  'WIRE',
  'EDGE',
  'VERTEX',
  'SHAPE',
]);

export interface OcctReadOptions {
  /** name for parts the file leaves unnamed (IGES faces, a BREP shape) */
  fallbackName: string;
  /** "STEP", "IGES", "BREP" in messages */
  what: string;
}

export interface OcctMeshResult {
  mesh: Mesh;
  /** triangle ranges [start, count] of the B-rep faces, in the file's face order (for per-face colours) */
  faces: [number, number][];
}

/** Read one STEP/IGES/BREP text with OpenCascade; parts follow the file's named shapes. */
export async function readWithOcct(
  kind: OcctKind,
  bytes: Uint8Array,
  limits: ReadLimits,
  opts: OcctReadOptions,
): Promise<OcctMeshResult> {
  const module = await occt();
  let result: OcctResult;
  try {
    result = module.ReadFile(kind, bytes, PARAMS);
  } catch (e) {
    // a WASM abort leaves the instance unusable: the next read starts a fresh one
    instance = null;
    throw new CadReadError(
      `the ${opts.what} file could not be read by OpenCascade (${(e as Error).message ?? 'it crashed'})`,
    );
  }
  if (!result.success)
    throw new CadReadError(
      `the ${opts.what} file could not be read: OpenCascade found no valid ${opts.what} data in it`,
    );
  const meshes = result.meshes ?? [];
  if (meshes.length === 0 || meshes.every((m) => m.index.array.length === 0)) {
    throw new CadReadError(
      `no surfaces to draw (curves only): the ${opts.what} file holds wires, curves or points but no faces or solids`,
    );
  }
  return occtResultToMesh(result, limits, opts);
}

/** Nodes that carry meshes, in file order, named by their own name or their nearest named ancestor. */
function namedMeshes(root: OcctNode | undefined, count: number, fallback: string): { name: string; mesh: number }[] {
  const out: { name: string; mesh: number }[] = [];
  const seen = new Set<number>();
  const walk = (node: OcctNode, inherited: string) => {
    const own = GENERIC_NAMES.has(node.name.trim().toUpperCase()) ? '' : node.name.trim();
    const name = own || inherited;
    for (const m of node.meshes)
      if (m < count && !seen.has(m)) {
        seen.add(m);
        out.push({ name, mesh: m });
      }
    for (const c of node.children) walk(c, name);
  };
  if (root) walk(root, '');
  for (let m = 0; m < count; m++) if (!seen.has(m)) out.push({ name: '', mesh: m });
  for (const o of out) if (!o.name) o.name = fallback;
  return out;
}

/** OCCT's JSON arrays → one non-indexed Float32Array; one part per named shape (consecutive same names merge). */
export function occtResultToMesh(result: OcctResult, limits: ReadLimits, opts: OcctReadOptions): OcctMeshResult {
  const meshes = result.meshes ?? [];
  let triangles = 0;
  for (const m of meshes) triangles += Math.floor(m.index.array.length / 3);
  if (triangles > limits.maxTriangles) throw tooManyTriangles(triangles, limits.maxTriangles, opts.what);
  const positions = new Float32Array(triangles * 9);
  const faceColored = meshes.some((m) => m.brep_faces?.some((f) => f.color));
  const colors = faceColored ? new Uint8Array(triangles * 4) : undefined;
  const parts: MeshPart[] = [];
  const faces: [number, number][] = [];
  let t = 0;
  for (const { name, mesh } of namedMeshes(result.root, meshes.length, opts.fallbackName)) {
    const m = meshes[mesh];
    const pos = m.attributes.position.array;
    const idx = m.index.array;
    const start = t;
    const nv = pos.length / 3;
    for (let i = 0; i + 2 < idx.length; i += 3, t++) {
      for (let k = 0; k < 3; k++) {
        const v = idx[i + k];
        if (!(v >= 0 && v < nv))
          throw new CadReadError(`the ${opts.what} file tessellated into an invalid triangle (vertex ${v} of ${nv})`);
        positions[t * 9 + k * 3] = pos[v * 3];
        positions[t * 9 + k * 3 + 1] = pos[v * 3 + 1];
        positions[t * 9 + k * 3 + 2] = pos[v * 3 + 2];
      }
    }
    for (const f of m.brep_faces ?? []) faces.push([start + f.first, f.last - f.first + 1]);
    if (colors) {
      for (const f of m.brep_faces ?? []) {
        if (!f.color) continue;
        for (let k = start + f.first; k <= start + f.last && k < t; k++) {
          colors[k * 4] = Math.round(f.color[0] * 255);
          colors[k * 4 + 1] = Math.round(f.color[1] * 255);
          colors[k * 4 + 2] = Math.round(f.color[2] * 255);
          colors[k * 4 + 3] = 255;
        }
      }
    }
    const prev = parts.at(-1);
    const color = m.color ? ([m.color[0], m.color[1], m.color[2]] as [number, number, number]) : undefined;
    if (prev && prev.name === name && prev.start + prev.count === start && String(prev.color) === String(color)) {
      prev.count += t - start;
    } else if (t > start) {
      parts.push(color ? { name, start, count: t - start, color } : { name, start, count: t - start });
    }
  }
  const out: Mesh = { positions, parts };
  if (colors) out.colors = colors;
  return { mesh: out, faces };
}
