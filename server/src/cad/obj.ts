// Wavefront OBJ reader: `o`/`g` as parts, negative (relative) indices, polygons fan-triangulated.
import { checkBytes, finishRead, FloatList, tooManyTriangles, type ReadOptions } from './result.js';
import { CadReadError, type MeshPart, type ReadLimits, type ReadResult } from './types.js';

export function readObj(bytes: Uint8Array, limits: ReadLimits, opts: ReadOptions = {}): ReadResult {
  checkBytes(bytes, limits.maxBytes, 'OBJ');
  const text = new TextDecoder('utf-8').decode(bytes);
  const maxVertices = limits.maxTriangles * 3;
  const verts = new FloatList(4096);
  const out = new FloatList(4096);
  const parts: MeshPart[] = [];
  let partName = 'model';
  let part: MeshPart | null = null;
  let triangles = 0;
  let lineNo = 0;
  const face: number[] = [];
  const fail = (msg: string) => new CadReadError(`OBJ line ${lineNo}: ${msg}`);
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).trim();
    pos = end + 1;
    lineNo++;
    if (line.length < 2 || line.charCodeAt(0) === 35 /* # */) continue;
    const sp = line.search(/\s/);
    const kw = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1).trim();
    if (kw === 'v') {
      const f = rest.split(/\s+/);
      const x = Number(f[0]),
        y = Number(f[1]),
        z = Number(f[2]);
      if (f.length < 3 || !Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z))
        throw fail('a vertex needs three numbers');
      if (verts.length / 3 >= maxVertices)
        throw fail(`more than ${maxVertices.toLocaleString('en')} vertices, over the limit`);
      verts.push3(x, y, z);
    } else if (kw === 'f') {
      const f = rest.split(/\s+/);
      face.length = 0;
      const nv = verts.length / 3;
      for (const token of f) {
        const slash = token.indexOf('/');
        const raw = Number(slash < 0 ? token : token.slice(0, slash));
        if (!Number.isInteger(raw) || raw === 0) throw fail(`"${token.slice(0, 24)}" is not a vertex index`);
        const idx = raw < 0 ? nv + raw : raw - 1;
        if (idx < 0 || idx >= nv)
          throw fail(`vertex index ${raw} refers to a vertex that does not exist (there are ${nv} so far)`);
        face.push(idx);
      }
      if (face.length < 3) throw fail(`a face needs at least 3 vertices, this one has ${face.length}`);
      if (!part) {
        part = { name: partName, start: triangles, count: 0 };
        parts.push(part);
      }
      if (triangles + face.length - 2 > limits.maxTriangles)
        throw tooManyTriangles(triangles + face.length - 2, limits.maxTriangles, 'OBJ');
      const v = verts.data;
      for (let k = 1; k + 1 < face.length; k++) {
        for (const idx of [face[0], face[k], face[k + 1]]) out.push3(v[idx * 3], v[idx * 3 + 1], v[idx * 3 + 2]);
        triangles++;
      }
      part.count = triangles - part.start;
    } else if (kw === 'o' || kw === 'g') {
      partName = rest || `part ${parts.length + 1}`;
      part = null;
    }
    // vn, vt, usemtl, mtllib, s, l, p and others do not change the shape we draw
  }
  return finishRead({ positions: out.toArray(), parts }, 'obj', opts.units ?? 'mm', 'OBJ');
}
