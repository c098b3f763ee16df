// STL reader: binary (84 + 50·n bytes) and ASCII (case-insensitive keywords, one part per solid).
import { checkBytes, finishRead, FloatList, tooManyTriangles, type ReadOptions } from './result.js';
import { isSpace, latin1, lineAt, parseNumber, wordAt } from './text.js';
import { CadReadError, type MeshPart, type ReadLimits, type ReadResult } from './types.js';

export function readStl(bytes: Uint8Array, limits: ReadLimits, opts: ReadOptions = {}): ReadResult {
  checkBytes(bytes, limits.maxBytes, 'STL');
  const units = opts.units ?? 'mm';
  if (bytes.length >= 84) {
    const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
    // binary iff the declared count matches the size exactly, even when the header starts with "solid"
    if (84 + 50 * n === bytes.length)
      return finishRead(readBinary(bytes, n, limits, opts.allocatePositions), 'stl', units, 'binary STL');
    if (!startsWithSolid(bytes) || looksBinary(bytes)) {
      if (n > limits.maxTriangles) throw tooManyTriangles(n, limits.maxTriangles, 'binary STL');
      throw new CadReadError(
        `the binary STL header declares ${n.toLocaleString('en')} triangles, which needs ${(84 + 50 * n).toLocaleString('en')} bytes, but the file has ${bytes.length.toLocaleString('en')} bytes: it is truncated or not an STL file`,
      );
    }
  } else if (!startsWithSolid(bytes)) {
    throw new CadReadError(
      `the STL file is ${bytes.length} bytes: too short for a binary STL (84-byte header) and it does not start with "solid"`,
    );
  }
  return finishRead(readAscii(bytes, limits), 'stl', units, 'ASCII STL');
}

function startsWithSolid(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i])) i++;
  return bytes.length - i >= 5 && wordAt(bytes, i, i + 5) === 'solid';
}

/** Binary files whose header says "solid": control bytes soon after the header give them away. */
function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 1024);
  for (let i = 0; i < end; i++) {
    const c = bytes[i];
    if (c < 9 || (c > 13 && c < 32) || c === 127) return true;
  }
  return false;
}

function readBinary(
  bytes: Uint8Array,
  n: number,
  limits: ReadLimits,
  allocate: (floats: number) => Float32Array = (floats) => new Float32Array(floats),
) {
  if (n > limits.maxTriangles) throw tooManyTriangles(n, limits.maxTriangles, 'binary STL');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const positions = allocate(n * 9);
  let o = 96;
  let k = 0;
  for (let t = 0; t < n; t++, o += 50) {
    for (let j = 0; j < 36; j += 4) positions[k++] = dv.getFloat32(o + j, true);
  }
  const parts: MeshPart[] = [{ name: 'model', start: 0, count: n }];
  return { positions, parts };
}

function readAscii(bytes: Uint8Array, limits: ReadLimits) {
  const len = bytes.length;
  // a facet takes at least ~60 bytes of text: a fair first guess that never over-allocates much
  const out = new FloatList(Math.min(limits.maxTriangles * 9, Math.ceil(len / 60) * 9));
  const parts: MeshPart[] = [];
  let part: MeshPart | null = null;
  const facet: number[] = [];
  let inFacet = false;
  let triangles = 0;
  let i = 0;
  const fail = (msg: string, at: number) => new CadReadError(`ASCII STL line ${lineAt(bytes, at)}: ${msg}`);
  const openPart = (name: string): MeshPart => {
    const p: MeshPart = { name: name || `solid ${parts.length + 1}`, start: triangles, count: 0 };
    parts.push(p);
    return p;
  };
  while (i < len) {
    while (i < len && isSpace(bytes[i])) i++;
    if (i >= len) break;
    const s = i;
    while (i < len && !isSpace(bytes[i])) i++;
    const c0 = bytes[s] | 0x20;
    if (c0 === 118 /* v */ && i - s === 6 && wordAt(bytes, s, i) === 'vertex') {
      if (!inFacet) throw fail('"vertex" outside a facet', s);
      for (let k = 0; k < 3; k++) {
        while (i < len && (bytes[i] === 32 || bytes[i] === 9)) i++;
        const ns = i;
        while (i < len && !isSpace(bytes[i])) i++;
        const v = parseNumber(bytes, ns, i);
        if (Number.isNaN(v) || ns === i) throw fail('a vertex needs three numbers', ns);
        facet.push(v);
      }
      if (facet.length > 3 * 64) throw fail('a facet with more than 64 vertices', s);
      continue;
    }
    const w = wordAt(bytes, s, i);
    if (w === 'facet') {
      if (inFacet) throw fail('"facet" before the previous facet ended', s);
      inFacet = true;
      facet.length = 0;
      if (!part) part = openPart('');
    } else if (w === 'endfacet') {
      if (!inFacet) throw fail('"endfacet" without "facet"', s);
      inFacet = false;
      const nv = facet.length / 3;
      if (nv < 3) throw fail(`a facet with ${nv} vertices; expected 3`, s);
      for (let k = 1; k + 1 < nv; k++) {
        if (++triangles > limits.maxTriangles) throw tooManyTriangles(triangles, limits.maxTriangles, 'ASCII STL');
        out.push3(facet[0], facet[1], facet[2]);
        out.push3(facet[k * 3], facet[k * 3 + 1], facet[k * 3 + 2]);
        out.push3(facet[k * 3 + 3], facet[k * 3 + 4], facet[k * 3 + 5]);
      }
      if (part) part.count = triangles - part.start;
    } else if (w === 'solid' || w === 'endsolid') {
      if (inFacet) throw fail(`"${w}" inside a facet`, s);
      const ls = i;
      while (i < len && bytes[i] !== 10 && bytes[i] !== 13) i++;
      if (w === 'solid') part = openPart(latin1(bytes, ls, Math.min(i, ls + 200)).trim());
      else part = null;
    } else if (w === 'normal' || w === 'outer' || w === 'loop' || w === 'endloop') {
      // structure words carry nothing we need
    } else if (Number.isNaN(parseNumber(bytes, s, i))) {
      throw fail(`unexpected word "${latin1(bytes, s, Math.min(i, s + 24))}"; expected facet, vertex or endsolid`, s);
    }
  }
  if (inFacet) throw new CadReadError('the ASCII STL file ends inside a facet: it looks truncated');
  return { positions: out.toArray(), parts: parts.filter((p) => p.count > 0) };
}
