// A worker thread reads a file-system blob itself into a buffer it keeps: each file reads as exactly its own bytes,
// whatever larger file the buffer held before, and gives the same facts and pictures as the bytes handed over.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { ThreadPool } from '../../server/src/pipeline/pool.js';
import { readFileKept } from '../../server/src/pipeline/thread-read.js';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { writeStlBinary } from '../../server/src/cad/write/stl.js';
import { cubeStl } from '../helpers/meshes.js';

const dir = mkdtempSync(join(tmpdir(), 'andecha-thread-read-'));
const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readFileKept', () => {
  it('reads each file as exactly its bytes, a small one after a large one included', () => {
    const large = write('large.bin', new Uint8Array(300_000).fill(7));
    const small = write('small.bin', Buffer.from('solid tiny\nendsolid tiny\n'));
    expect(readFileKept(large).length).toBe(300_000);
    const s = readFileKept(small);
    expect(Buffer.from(s).toString()).toBe('solid tiny\nendsolid tiny\n');
    expect(readFileKept(write('empty.bin', new Uint8Array(0))).length).toBe(0);
  });

  it('fails on a missing file (the job is retried, as for a missing blob)', () => {
    expect(() => readFileKept(join(dir, 'gone.bin'))).toThrow(/ENOENT/);
  });
});

describe('ThreadPool.processFile with a file path', () => {
  const pool = new ThreadPool(1, 60_000);
  afterAll(() => pool.close());

  it('gives the facts and pictures of the bytes themselves, file after file in one thread', async () => {
    const knot = writeStlBinary(
      meshFromGeometry([{ name: 'knot', geometry: new THREE.TorusKnotGeometry(20, 6, 200, 24) }]),
    );
    const cube = cubeStl(10);
    const task = { filename: 'part.stl', sizes: [128] as const, formats: ['png'] as ('png' | 'webp')[] };
    const byFile = [];
    for (const [name, bytes] of [
      ['knot.stl', knot],
      ['cube.stl', cube],
    ] as const)
      byFile.push(await pool.processFile({ ...task, sizes: [...task.sizes], file: write(name, bytes) }));
    const byBytes = await pool.processFile({ ...task, sizes: [...task.sizes], bytes: new Uint8Array(cube) });
    const [k, c] = byFile;
    expect(k).toMatchObject({ ok: true, facts: { triangles: 9600 } });
    // the cube read into the buffer the knot left: 12 triangles of its own, not the knot's rest
    expect(c).toMatchObject({ ok: true, facts: { triangles: 12, watertight: true, volume: 1000 } });
    expect(byBytes.ok && c.ok && Buffer.from(c.previews[0].bytes).equals(Buffer.from(byBytes.previews[0].bytes))).toBe(
      true,
    );
  });
});
