// Hostile and broken files fail fast with a CadReadError that says why.
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readCad } from '../../server/src/cad/read.js';
import { readStl } from '../../server/src/cad/stl.js';
import { readThreeMf } from '../../server/src/cad/threemf.js';
import { readPly } from '../../server/src/cad/ply.js';
import { readGltf } from '../../server/src/cad/gltf.js';
import { readObj } from '../../server/src/cad/obj.js';
import { CadReadError, defaultReadLimits, type ReadLimits } from '../../server/src/cad/types.js';
import { threeMfModelXml, writeStlAscii, writeStlBinary, zip3mf } from '../../server/src/cad/write/index.js';
import { cubeMesh } from '../fixtures/cad.js';
import { glbOf } from '../fixtures/glb.js';

const limits = defaultReadLimits;

function expectCadError(fn: () => unknown, pattern: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CadReadError);
  expect((err as Error).message).toMatch(pattern);
}

describe('limits and broken files', () => {
  it('a binary STL header claiming 2^31 triangles fails at once', () => {
    const buf = Buffer.alloc(84 + 50 * 10);
    buf.writeUInt32LE(2 ** 31, 80);
    const t = performance.now();
    expectCadError(() => readStl(buf, limits), /2,147,483,648 triangles/);
    expect(performance.now() - t).toBeLessThan(50);
  });

  it('a binary STL whose count matches its size but exceeds the limit is refused before allocating', () => {
    const small: ReadLimits = { ...limits, maxTriangles: 5 };
    expectCadError(() => readStl(writeStlBinary(cubeMesh()), small), /12 triangles, over the limit of 5/);
  });

  it('an empty binary STL has no triangles', () => {
    const buf = Buffer.alloc(84);
    expectCadError(() => readStl(buf, limits), /no triangles/);
  });

  it('an ASCII STL over the triangle limit stops early', () => {
    const big = writeStlAscii({ positions: new Float32Array(9 * 2000), parts: [{ name: 'x', start: 0, count: 2000 }] });
    expectCadError(() => readStl(strToU8(big), { ...limits, maxTriangles: 100 }), /over the limit of 100/);
  });

  it('a file over the byte limit is refused before parsing (a 2 GB ASCII STL)', () => {
    const head = strToU8('solid big\n');
    // the reader looks at bytes.length first: a view claiming 2 GB would be refused the same way
    expectCadError(() => readStl(head, { ...limits, maxBytes: 4 }), /over the limit/);
  });

  it('a 3MF zip bomb is refused from its directory, before inflating', () => {
    const bomb = zipSync({ '3D/3dmodel.model': new Uint8Array(16 * 1024 * 1024) }, { level: 9 });
    const t = performance.now();
    expectCadError(() => readThreeMf(bomb, limits), /compression ratio of \d+:1/);
    expect(performance.now() - t).toBeLessThan(200);
    expectCadError(() => readThreeMf(bomb, { ...limits, maxUncompressedBytes: 1024 * 1024 }), /over the limit/);
  });

  it('a 3MF with too many entries is refused', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 20; i++) files[`junk/${i}.txt`] = strToU8('x');
    expectCadError(
      () => readThreeMf(zip3mf(threeMfModelXml(cubeMesh()), files), { ...limits, maxZipEntries: 10 }),
      /entries, over the limit of 10/,
    );
  });

  it('a 3MF entry named ../x is refused', () => {
    expectCadError(
      () => readThreeMf(zip3mf(threeMfModelXml(cubeMesh()), { '../x': strToU8('x') }), limits),
      /"\.\.\/x"/,
    );
    expectCadError(
      () => readThreeMf(zip3mf(threeMfModelXml(cubeMesh()), { '/etc/x': strToU8('x') }), limits),
      /absolute/,
    );
  });

  it('a 3MF whose components repeat exponentially is refused before allocating', () => {
    let extra = '';
    for (let i = 0; i < 30; i++)
      extra += `<object id="${100 + i}" type="model"><components><component objectid="${i === 0 ? 2 : 99 + i}"/><component objectid="${i === 0 ? 2 : 99 + i}"/></components></object>`;
    const xml = threeMfModelXml(cubeMesh())
      .replace('</resources>', extra + '</resources>')
      .replace('<item objectid="2"/>', '<item objectid="129"/>');
    expectCadError(() => readThreeMf(zip3mf(xml), limits), /over the limit/);
  });

  it('a PLY declaring 10^12 vertices is refused from its header', () => {
    const ply =
      'ply\nformat binary_little_endian 1.0\nelement vertex 1000000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n';
    expectCadError(() => readPly(strToU8(ply), limits), /1,000,000,000,000 vertices/);
    const lying =
      'ply\nformat binary_little_endian 1.0\nelement vertex 1000\nproperty float x\nproperty float y\nproperty float z\nend_header\n';
    expectCadError(() => readPly(strToU8(lying), limits), /truncated/);
  });

  it('OBJ face indices out of range, and too many triangles', () => {
    expectCadError(() => readObj(strToU8('v 0 0 0\nf 1 2 3\n'), limits), /vertex index 2/);
    expectCadError(
      () => readObj(strToU8('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\nf 1 2 3\n'), { ...limits, maxTriangles: 1 }),
      /over the limit of 1/,
    );
  });

  it('a GLB declaring a buffer larger than the file is refused', async () => {
    const glb = glbOf(
      JSON.stringify({ asset: { version: '2.0' }, buffers: [{ byteLength: 2 ** 31 }] }).padEnd(80, ' '),
    );
    await expect(readGltf(glb, limits)).rejects.toThrow(/buffer 0 declares 2\.0 GB/);
  });

  it('a file that is no mesh format says what is accepted', async () => {
    await expect(readCad(strToU8('hello'), 'notes.txt', limits)).rejects.toThrow(/STL, OBJ, PLY, 3MF/);
  });
});
