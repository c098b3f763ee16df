// A worker thread reads a binary STL's positions into an array it keeps: each mesh reads as exactly its own triangles
// (never the rest of a larger mesh read before), with the same facts and pictures as a mesh read into fresh memory.
import { afterAll, describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { keptPositions } from '../../server/src/pipeline/thread-positions.js';
import { ThreadPool } from '../../server/src/pipeline/pool.js';
import { readStl } from '../../server/src/cad/stl.js';
import { defaultReadLimits } from '../../server/src/cad/types.js';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { writeStlBinary } from '../../server/src/cad/write/stl.js';
import { cubeStl } from '../helpers/meshes.js';

const knotStl = (tubular: number) =>
  writeStlBinary(meshFromGeometry([{ name: 'knot', geometry: new THREE.TorusKnotGeometry(20, 6, tubular, 24) }]));

describe('keptPositions', () => {
  it('hands out views of one kept array, exactly as long as asked', () => {
    const a = keptPositions(900);
    const b = keptPositions(90);
    expect(a.length).toBe(900);
    expect(b.length).toBe(90);
    expect(b.buffer).toBe(a.buffer);
  });

  it('gives a mesh over 2 M triangles memory of its own, so the kept array stays small', () => {
    const small = keptPositions(9);
    const huge = keptPositions(2_000_001 * 9);
    expect(huge.buffer).not.toBe(small.buffer);
    expect(keptPositions(9).buffer).toBe(small.buffer);
  });
});

describe('readStl into kept positions', () => {
  it('reads a small mesh after a large one as exactly its own triangles, facts as from fresh memory', () => {
    const large = readStl(knotStl(400), defaultReadLimits, { allocatePositions: keptPositions });
    expect(large.facts.triangles).toBe(400 * 24 * 2);
    const cube = cubeStl(10);
    const kept = readStl(cube, defaultReadLimits, { allocatePositions: keptPositions });
    const fresh = readStl(cube, defaultReadLimits);
    expect(kept.mesh.positions.length).toBe(12 * 9);
    expect(Array.from(kept.mesh.positions)).toEqual(Array.from(fresh.mesh.positions));
    expect(kept.facts).toEqual(fresh.facts);
    expect(kept.facts).toMatchObject({ triangles: 12, watertight: true, volume: 1000 });
  });
});

describe('ThreadPool.processFile reading meshes into kept positions', () => {
  const pool = new ThreadPool(1, 60_000);
  const reference = new ThreadPool(1, 60_000);
  afterAll(() => Promise.all([pool.close(), reference.close()]));

  it('draws each mesh of a series read into what larger ones left as a thread drawing it into fresh memory', async () => {
    const run = (p: ThreadPool, bytes: Uint8Array) =>
      p.processFile({ filename: 'part.stl', sizes: [128], formats: ['png'], bytes: new Uint8Array(bytes) });
    // largest first: each mesh goes into the array the one before left, longer than itself
    const series = [knotStl(600), knotStl(200), cubeStl(10)];
    const kept = [];
    for (const bytes of series) kept.push(await run(pool, bytes));
    // smallest first in the reference thread: each mesh is larger than the kept array, so it gets fresh memory
    const fresh = [];
    for (const bytes of [...series].reverse()) fresh.unshift(await run(reference, bytes));
    expect(kept.map((r) => r.ok && r.facts.triangles)).toEqual([28_800, 9_600, 12]);
    for (let i = 0; i < series.length; i++) {
      const [a, b] = [kept[i], fresh[i]];
      if (!a.ok || !b.ok) throw new Error('a mesh was refused');
      expect(a.facts).toEqual(b.facts);
      expect(Buffer.from(a.previews[0].bytes).equals(Buffer.from(b.previews[0].bytes))).toBe(true);
    }
  });
});
