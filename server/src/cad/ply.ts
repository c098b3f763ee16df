// PLY reader: ASCII and binary (little/big endian) vertices and faces; faceless files are point clouds.
import { checkBytes, finishRead, tooManyTriangles, type ReadOptions } from './result.js';
import { latin1 } from './text.js';
import { CadReadError, type Mesh, type ReadLimits, type ReadResult } from './types.js';

type Scalar = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
const SCALARS: Record<string, Scalar> = {
  char: 'int8',
  int8: 'int8',
  uchar: 'uint8',
  uint8: 'uint8',
  short: 'int16',
  int16: 'int16',
  ushort: 'uint16',
  uint16: 'uint16',
  int: 'int32',
  int32: 'int32',
  uint: 'uint32',
  uint32: 'uint32',
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
};
const SIZE: Record<Scalar, number> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
};

interface Property {
  name: string;
  type: Scalar;
  countType?: Scalar;
}
interface Element {
  name: string;
  count: number;
  props: Property[];
}

const MAX_HEADER = 64 * 1024;

export function readPly(bytes: Uint8Array, limits: ReadLimits, opts: ReadOptions = {}): ReadResult {
  checkBytes(bytes, limits.maxBytes, 'PLY');
  const { format, elements, bodyStart } = parseHeader(bytes);
  checkCounts(elements, bytes.length - bodyStart, format, limits);
  const warnings: string[] = [];
  const mesh =
    format === 'ascii'
      ? readAsciiBody(bytes, bodyStart, elements, limits, warnings)
      : readBinaryBody(bytes, bodyStart, elements, format === 'binary_little_endian', limits);
  return finishRead(mesh, 'ply', opts.units ?? 'mm', 'PLY', warnings);
}

function parseHeader(bytes: Uint8Array) {
  const head = latin1(bytes, 0, Math.min(bytes.length, MAX_HEADER));
  if (!/^ply\r?\n/.test(head)) throw new CadReadError('not a PLY file: it must start with the line "ply"');
  const m = /\r?\nend_header\r?\n/.exec(head);
  if (!m) throw new CadReadError(`the PLY header has no "end_header" line within its first ${MAX_HEADER / 1024} kB`);
  const bodyStart = m.index + m[0].length;
  const lines = head.slice(0, m.index).split(/\r?\n/).slice(1);
  let format = '';
  const elements: Element[] = [];
  for (const raw of lines) {
    const f = raw.trim().split(/\s+/);
    if (f[0] === 'format') {
      format = f[1];
      if (!['ascii', 'binary_little_endian', 'binary_big_endian'].includes(format)) {
        throw new CadReadError(
          `unknown PLY format "${format}"; expected ascii, binary_little_endian or binary_big_endian`,
        );
      }
    } else if (f[0] === 'element') {
      const count = Number(f[2]);
      if (!f[1] || !Number.isSafeInteger(count) || count < 0)
        throw new CadReadError(`PLY header: "${raw.slice(0, 60)}" needs a name and a count`);
      elements.push({ name: f[1], count, props: [] });
    } else if (f[0] === 'property') {
      const el = elements.at(-1);
      if (!el) throw new CadReadError('PLY header: a property before any element');
      if (f[1] === 'list') {
        const countType = SCALARS[f[2]],
          type = SCALARS[f[3]];
        if (!countType || !type || !f[4])
          throw new CadReadError(`PLY header: unknown list property "${raw.slice(0, 60)}"`);
        el.props.push({ name: f[4], type, countType });
      } else {
        const type = SCALARS[f[1]];
        if (!type || !f[2]) throw new CadReadError(`PLY header: unknown property type in "${raw.slice(0, 60)}"`);
        el.props.push({ name: f[2], type });
      }
    }
  }
  if (!format) throw new CadReadError('the PLY header has no "format" line');
  return { format, elements, bodyStart };
}

/** Each element row takes at least a known number of bytes: refuse counts the file cannot hold. */
function checkCounts(elements: Element[], bodyBytes: number, format: string, limits: ReadLimits): void {
  let need = 0;
  for (const el of elements) {
    const perRow =
      format === 'ascii' ? el.props.length * 2 : el.props.reduce((s, p) => s + SIZE[p.countType ?? p.type], 0);
    need += el.count * perRow;
    if (el.name === 'vertex' && el.count > limits.maxTriangles * 3) {
      throw new CadReadError(
        `the PLY header declares ${el.count.toLocaleString('en')} vertices, over the limit of ${(limits.maxTriangles * 3).toLocaleString('en')}`,
      );
    }
    if (el.name === 'face' && el.count > limits.maxTriangles)
      throw tooManyTriangles(el.count, limits.maxTriangles, 'PLY');
  }
  if (need > bodyBytes) {
    const what = elements.map((e) => `${e.count.toLocaleString('en')} ${e.name}`).join(', ');
    throw new CadReadError(
      `the PLY header declares ${what}, which needs at least ${need.toLocaleString('en')} bytes, but the file has ${bodyBytes.toLocaleString('en')} after the header: it is truncated`,
    );
  }
}

class FaceSink {
  tris: Float32Array;
  n = 0;
  constructor(
    readonly vertices: Float32Array,
    faces: number,
    readonly limits: ReadLimits,
  ) {
    this.tris = new Float32Array(Math.min(faces, limits.maxTriangles) * 9);
  }
  add(idx: number[]): void {
    const nv = this.vertices.length / 3;
    for (const i of idx) {
      if (!(i >= 0 && i < nv)) throw new CadReadError(`a PLY face refers to vertex ${i}, but there are ${nv} vertices`);
    }
    for (let k = 1; k + 1 < idx.length; k++) {
      if (this.n + 1 > this.limits.maxTriangles) throw tooManyTriangles(this.n + 1, this.limits.maxTriangles, 'PLY');
      if ((this.n + 1) * 9 > this.tris.length) {
        const next = new Float32Array(Math.min(this.limits.maxTriangles, Math.max(16, this.n * 2)) * 9);
        next.set(this.tris);
        this.tris = next;
      }
      const o = this.n * 9;
      const v = this.vertices;
      const a = idx[0] * 3,
        b = idx[k] * 3,
        c = idx[k + 1] * 3;
      this.tris[o] = v[a];
      this.tris[o + 1] = v[a + 1];
      this.tris[o + 2] = v[a + 2];
      this.tris[o + 3] = v[b];
      this.tris[o + 4] = v[b + 1];
      this.tris[o + 5] = v[b + 2];
      this.tris[o + 6] = v[c];
      this.tris[o + 7] = v[c + 1];
      this.tris[o + 8] = v[c + 2];
      this.n++;
    }
  }
}

function toMesh(vertices: Float32Array, sink: FaceSink | null): Mesh {
  if (!sink || sink.n === 0) {
    return {
      positions: new Float32Array(0),
      points: vertices,
      parts: vertices.length ? [{ name: 'points', start: 0, count: vertices.length / 3 }] : [],
    };
  }
  return { positions: sink.tris.slice(0, sink.n * 9), parts: [{ name: 'model', start: 0, count: sink.n }] };
}

function xyzIndex(el: Element): [number, number, number] {
  const ix = el.props.findIndex((p) => p.name === 'x' && !p.countType);
  const iy = el.props.findIndex((p) => p.name === 'y' && !p.countType);
  const iz = el.props.findIndex((p) => p.name === 'z' && !p.countType);
  if (ix < 0 || iy < 0 || iz < 0) throw new CadReadError('the PLY vertex element has no x, y and z properties');
  return [ix, iy, iz];
}

function faceListIndex(el: Element): number {
  const i = el.props.findIndex((p) => p.countType && (p.name === 'vertex_indices' || p.name === 'vertex_index'));
  if (i < 0) throw new CadReadError('the PLY face element has no vertex_indices list');
  return i;
}

/**
 * The body, element by element, whatever its encoding: `read` gives the next scalar of a type, `endRow` is told
 * when a row's declared properties are read. Vertex positions and the face lists are kept, every other property
 * is read past.
 */
function readElements(
  elements: Element[],
  limits: ReadLimits,
  read: (type: Scalar) => number,
  endRow?: (el: Element, row: number) => void,
): Mesh {
  let vertices = new Float32Array(0);
  let sink: FaceSink | null = null;
  for (const el of elements) {
    const isVertex = el.name === 'vertex';
    const isFace = el.name === 'face';
    const xyz = isVertex ? xyzIndex(el) : null;
    const fl = isFace ? faceListIndex(el) : -1;
    if (isVertex) vertices = new Float32Array(el.count * 3);
    if (isFace) sink = new FaceSink(vertices, el.count, limits);
    const idx: number[] = [];
    for (let r = 0; r < el.count; r++) {
      for (let p = 0; p < el.props.length; p++) {
        const prop = el.props[p];
        if (prop.countType) {
          const n = read(prop.countType);
          if (!Number.isInteger(n) || n < 0 || n > 1024)
            throw new CadReadError(`a PLY list has ${n} items; expected 0 to 1024`);
          idx.length = 0;
          for (let k = 0; k < n; k++) idx.push(read(prop.type));
          if (p === fl) sink!.add(idx);
        } else {
          const v = read(prop.type);
          if (xyz) {
            if (p === xyz[0]) vertices[r * 3] = v;
            else if (p === xyz[1]) vertices[r * 3 + 1] = v;
            else if (p === xyz[2]) vertices[r * 3 + 2] = v;
          }
        }
      }
      endRow?.(el, r);
    }
  }
  return toMesh(vertices, sink);
}

/**
 * ASCII PLY is one element per line. Tools built on VCG (MeshLab's library) write more values on a line than the
 * header declares — a face's colour or quality after its vertex indices — so what trails a row's declared
 * properties on its line is read past, and said in a warning. A row that runs short continues on the next line.
 */
function readAsciiBody(
  bytes: Uint8Array,
  start: number,
  elements: Element[],
  limits: ReadLimits,
  warnings: string[],
): Mesh {
  const text = latin1(bytes, start, bytes.length);
  // values, and line ends (\n, \r\n or a lone \r) as tokens of their own
  const re = /\S+|\r\n?|\n/g;
  let ended = false;
  // a global regex that finds nothing starts again from the top: past the end stays past the end
  const token = (): string | undefined => {
    const m = ended ? null : re.exec(text);
    if (!m) ended = true;
    return m?.[0];
  };
  const isLineEnd = (t: string) => t[0] === '\n' || t[0] === '\r';
  const next = (): number => {
    let t = token();
    while (t !== undefined && isLineEnd(t)) t = token();
    if (t === undefined)
      throw new CadReadError('the PLY file ends before all declared elements were read: it is truncated');
    const v = Number(t);
    if (Number.isNaN(v)) throw new CadReadError(`the PLY body has "${t.slice(0, 24)}" where a number was expected`);
    return v;
  };
  const trailing = new Map<string, { rows: number; first: number; values: number }>();
  const endRow = (el: Element, row: number) => {
    let values = 0;
    for (let t = token(); t !== undefined && !isLineEnd(t); t = token()) values++;
    if (!values) return;
    const seen = trailing.get(el.name);
    if (seen) seen.rows++;
    else trailing.set(el.name, { rows: 1, first: row, values });
  };
  const mesh = readElements(elements, limits, next, endRow);
  for (const [name, t] of trailing) {
    warnings.push(
      `${t.rows.toLocaleString('en')} ${name} line(s) carry values the PLY header does not declare (${name} ${t.first}: ${t.values} more); they were ignored`,
    );
  }
  return mesh;
}

function readBinaryBody(
  bytes: Uint8Array,
  start: number,
  elements: Element[],
  little: boolean,
  limits: ReadLimits,
): Mesh {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = start;
  const read = (t: Scalar): number => {
    const s = SIZE[t];
    if (o + s > bytes.length)
      throw new CadReadError('the PLY file ends before all declared elements were read: it is truncated');
    let v: number;
    switch (t) {
      case 'int8':
        v = dv.getInt8(o);
        break;
      case 'uint8':
        v = dv.getUint8(o);
        break;
      case 'int16':
        v = dv.getInt16(o, little);
        break;
      case 'uint16':
        v = dv.getUint16(o, little);
        break;
      case 'int32':
        v = dv.getInt32(o, little);
        break;
      case 'uint32':
        v = dv.getUint32(o, little);
        break;
      case 'float32':
        v = dv.getFloat32(o, little);
        break;
      default:
        v = dv.getFloat64(o, little);
    }
    o += s;
    return v;
  };
  return readElements(elements, limits, read);
}
