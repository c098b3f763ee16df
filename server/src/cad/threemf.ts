// 3MF reader: guarded unzip, model XML (core + namespaced extensions), components, build transforms, units.
import { checkBytes, finishRead, FloatList, tooManyTriangles, type ReadOptions } from './result.js';
import { CadReadError, type MeshPart, type ReadLimits, type ReadResult } from './types.js';
import { walkXml } from './xml.js';
import { unzipGuarded } from './zip.js';

const CORE_NS = 'http://schemas.microsoft.com/3dmanufacturing/core/2015/02';
const WHAT = '3MF';

/** Row-vector affine transform as 3MF writes it: m00 m01 m02 m10 m11 m12 m20 m21 m22 m30 m31 m32. */
type Affine = number[];
const IDENTITY: Affine = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];

interface Ref {
  path: string;
  id: string;
  transform: Affine;
}
interface ObjectDef {
  name: string;
  vertices: FloatList;
  triangles: number[];
  components: Ref[];
  pid?: string;
  pindex: number;
}
interface ModelFile {
  unit: string;
  objects: Map<string, ObjectDef>;
  build: Ref[];
  colors: Map<string, [number, number, number][]>;
}

export function readThreeMf(bytes: Uint8Array, limits: ReadLimits, _opts: ReadOptions = {}): ReadResult {
  checkBytes(bytes, limits.maxBytes, WHAT);
  const files = unzipGuarded(bytes, limits, WHAT, (n) => /\.(model|rels)$/i.test(n));
  const rootPath = rootModelPath(files);
  const root = files[rootPath];
  if (!root) throw new CadReadError(`the 3MF archive has no model part (${rootPath}); is it really a 3MF file?`);
  const models = new Map<string, ModelFile>();
  const load = (path: string): ModelFile => {
    let m = models.get(path);
    if (!m) {
      const data = files[path];
      if (!data) throw new CadReadError(`the 3MF model refers to "${path}", which is not in the archive`);
      m = parseModel(new TextDecoder().decode(data), path, limits.maxTriangles);
      models.set(path, m);
    }
    return m;
  };
  const rootModel = load(rootPath);
  const resolve = (ref: Ref) => {
    const obj = load(ref.path).objects.get(ref.id);
    if (!obj) throw new CadReadError(`the 3MF model refers to object ${ref.id}, which is not defined`);
    return obj;
  };
  let build = rootModel.build;
  if (build.length === 0)
    build = [...rootModel.objects.keys()].map((id) => ({ path: rootPath, id, transform: IDENTITY }));

  // count first, so an assembly that repeats components exponentially is refused before allocating
  const counted = new Map<ObjectDef, number>();
  const count = (ref: Ref, depth: number, trail: Set<ObjectDef>): number => {
    const obj = resolve(ref);
    if (depth > 32 || trail.has(obj))
      throw new CadReadError('the 3MF components nest more than 32 deep or refer to themselves');
    const known = counted.get(obj);
    if (known !== undefined) return known;
    trail.add(obj);
    let n = obj.triangles.length / 3;
    for (const c of obj.components) n += count(c, depth + 1, trail);
    trail.delete(obj);
    counted.set(obj, n);
    return n;
  };
  let total = 0;
  for (const item of build) total += count(item, 0, new Set());
  if (total > limits.maxTriangles) throw tooManyTriangles(total, limits.maxTriangles, WHAT);

  const positions = new Float32Array(total * 9);
  const parts: MeshPart[] = [];
  let k = 0;
  const emit = (ref: Ref, parent: Affine, owner: string): void => {
    const obj = resolve(ref);
    const m = compose(ref.transform, parent);
    const name = obj.name || owner || `object ${ref.id}`;
    if (obj.triangles.length) {
      const v = obj.vertices.data;
      const nv = obj.vertices.length / 3;
      const start = k / 9;
      for (const idx of obj.triangles) {
        if (idx >= nv)
          throw new CadReadError(
            `a triangle of 3MF object ${ref.id} refers to vertex ${idx}, but the object has ${nv} vertices`,
          );
        const x = v[idx * 3],
          y = v[idx * 3 + 1],
          z = v[idx * 3 + 2];
        positions[k++] = x * m[0] + y * m[3] + z * m[6] + m[9];
        positions[k++] = x * m[1] + y * m[4] + z * m[7] + m[10];
        positions[k++] = x * m[2] + y * m[5] + z * m[8] + m[11];
      }
      const part: MeshPart = { name, start, count: k / 9 - start };
      const color = colorOf(load(ref.path), obj);
      if (color) part.color = color;
      parts.push(part);
    }
    for (const c of obj.components) emit(c, m, name);
  };
  for (const item of build) emit(item, IDENTITY, '');
  return finishRead({ positions, parts }, '3mf', rootModel.unit, WHAT);
}

function rootModelPath(files: Record<string, Uint8Array>): string {
  const rels = files['_rels/.rels'];
  if (rels) {
    let target = '';
    walkXml(
      new TextDecoder().decode(rels),
      {
        open(name, a) {
          if (name === 'Relationship' && /3dmodel$/.test(a.Type ?? '') && !target) target = a.Target ?? '';
        },
        close() {},
      },
      '3MF relationships',
    );
    if (target) return target.replace(/^\//, '');
  }
  return '3D/3dmodel.model';
}

function parseTransform(s: string | undefined): Affine {
  if (!s) return IDENTITY;
  const m = s.trim().split(/\s+/).map(Number);
  if (m.length !== 12 || m.some((v) => !Number.isFinite(v)))
    throw new CadReadError(`a 3MF transform "${s.slice(0, 80)}" does not have 12 numbers`);
  return m;
}

/** p·a then ·b (3MF row-vector convention). */
function compose(a: Affine, b: Affine): Affine {
  const r = new Array<number>(12);
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 3; col++) {
      let s = row === 3 ? b[9 + col] : 0;
      for (let k = 0; k < 3; k++) s += a[row * 3 + k] * b[k * 3 + col];
      r[row * 3 + col] = s;
    }
  }
  return r;
}

function parseColor(s: string | undefined): [number, number, number] | undefined {
  const m = /^#([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$/.exec(s ?? '');
  if (!m) return undefined;
  const n = parseInt(m[1], 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

function colorOf(model: ModelFile, obj: ObjectDef): [number, number, number] | undefined {
  if (!obj.pid) return undefined;
  return model.colors.get(obj.pid)?.[obj.pindex];
}

function parseModel(text: string, path: string, maxTriangles: number): ModelFile {
  let triangles = 0;
  const model: ModelFile = { unit: 'millimeter', objects: new Map(), build: [], colors: new Map() };
  const ns = new Map<string, string>();
  let obj: ObjectDef | null = null;
  let colorList: [number, number, number][] | null = null;
  let inBuild = false;
  const isCore = (prefix: string) => (ns.get(prefix) ?? (prefix === '' ? CORE_NS : '')) === CORE_NS;
  const toIndex = (s: string | undefined): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0)
      throw new CadReadError(`a 3MF triangle index "${String(s).slice(0, 20)}" is not a whole number`);
    return n;
  };
  walkXml(
    text,
    {
      open(name, a, prefix) {
        if (name === 'model' && isCore(prefix)) {
          for (const [k, v] of Object.entries(a)) {
            if (k === 'xmlns') ns.set('', v);
            else if (k.startsWith('xmlns:')) ns.set(k.slice(6), v);
          }
          if (a.unit) model.unit = a.unit;
          return;
        }
        // extension elements (m:colorgroup, p:…, slic3rpe:…) are read where useful and otherwise skipped;
        // they never hide the core elements around them
        if (!isCore(prefix)) {
          if (name === 'colorgroup' && a.id) model.colors.set(a.id, (colorList = []));
          else if (name === 'color' && colorList) colorList.push(parseColor(a.color) ?? [0.7, 0.7, 0.7]);
          return;
        }
        switch (name) {
          case 'basematerials':
            if (a.id) model.colors.set(a.id, (colorList = []));
            break;
          case 'base':
            colorList?.push(parseColor(a.displaycolor) ?? [0.7, 0.7, 0.7]);
            break;
          case 'object':
            if (!a.id) throw new CadReadError('a 3MF object has no id');
            obj = {
              name: a.name ?? '',
              vertices: new FloatList(256),
              triangles: [],
              components: [],
              pid: a.pid,
              pindex: Number(a.pindex ?? 0) || 0,
            };
            model.objects.set(a.id, obj);
            break;
          case 'vertex':
            if (obj) {
              const x = Number(a.x),
                y = Number(a.y),
                z = Number(a.z);
              if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z))
                throw new CadReadError('a 3MF vertex needs numeric x, y and z');
              obj.vertices.push3(x, y, z);
            }
            break;
          case 'triangle':
            if (obj) {
              if (++triangles > maxTriangles) throw tooManyTriangles(triangles, maxTriangles, WHAT);
              obj.triangles.push(toIndex(a.v1), toIndex(a.v2), toIndex(a.v3));
            }
            break;
          case 'component':
            if (obj && a.objectid)
              obj.components.push({ path: refPath(a, path), id: a.objectid, transform: parseTransform(a.transform) });
            break;
          case 'build':
            inBuild = true;
            break;
          case 'item':
            if (inBuild && a.objectid)
              model.build.push({ path: refPath(a, path), id: a.objectid, transform: parseTransform(a.transform) });
            break;
        }
      },
      close(name, prefix) {
        if (name === 'object' && isCore(prefix)) obj = null;
        else if (name === 'build' && isCore(prefix)) inBuild = false;
        else if (name === 'colorgroup' || name === 'basematerials') colorList = null;
      },
    },
    `3MF ${path}`,
  );
  return model;
}

/** The production extension's p:path names another model part of the archive. */
function refPath(a: Record<string, string>, own: string): string {
  const key = Object.keys(a).find((k) => k === 'path' || k.endsWith(':path'));
  return key ? a[key].replace(/^\//, '') : own;
}
