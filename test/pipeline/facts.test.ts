// Facts of generated fixtures, asserted exactly.
import { describe, expect, it } from 'vitest';
import { computeFacts } from '../../server/src/cad/facts.js';
import { meshBounds, scanBounds } from '../../server/src/cad/mesh.js';
import { readCad } from '../../server/src/cad/read.js';
import { defaultReadLimits } from '../../server/src/cad/types.js';
import { writeStlBinary } from '../../server/src/cad/write/stl.js';
import { assemblyMesh, cubeMesh, gearMesh, tubeMesh } from '../fixtures/cad.js';

describe('computeFacts', () => {
  it('a 10 mm cube: 12 triangles, 1000 mm³, 600 mm², watertight', () => {
    const f = computeFacts(cubeMesh(), 'stl');
    expect(f.triangles).toBe(12);
    expect(f.parts).toBe(1);
    expect(f.volume).toBeCloseTo(1000, 6);
    expect(f.area).toBeCloseTo(600, 6);
    expect(f.watertight).toBe(true);
    expect(f.bbox).toEqual({ min: [0, 0, 0], max: [10, 10, 10] });
  });

  it('an open tube is not watertight and has no volume', () => {
    const f = computeFacts(tubeMesh(), 'stl');
    expect(f.watertight).toBe(false);
    expect(f.volume).toBeUndefined();
    expect(f.triangles).toBe(96);
  });

  it('a gear with a bore is closed; an assembly keeps its parts', () => {
    expect(computeFacts(gearMesh(), 'stl').watertight).toBe(true);
    const a = computeFacts(assemblyMesh(), '3mf');
    expect(a.parts).toBe(2);
    expect(a.bbox).toEqual({ min: [-20, -15, 0], max: [20, 15, 25] });
  });

  it('a point cloud reports points instead of triangles', () => {
    const f = computeFacts(
      {
        positions: new Float32Array(0),
        points: new Float32Array([0, 0, 0, 1, 2, 3]),
        parts: [{ name: 'points', start: 0, count: 2 }],
      },
      'ply',
    );
    expect(f.points).toBe(2);
    expect(f.triangles).toBeUndefined();
    expect(f.bbox).toEqual({ min: [0, 0, 0], max: [1, 2, 3] });
  });
});

describe('bounds worked out while reading', () => {
  it('are those of the coordinates as stored, after the unit conversion', async () => {
    const stl = writeStlBinary(gearMesh());
    for (const units of ['mm', 'inch', 'meter', 'micron']) {
      const { mesh, facts } = await readCad(stl, 'gear.stl', defaultReadLimits, { units });
      // a fresh pass over the scaled coordinates finds the same bounds the reader's check pass remembered
      const fresh = scanBounds({ ...mesh });
      expect(meshBounds(mesh), units).toEqual(fresh);
      expect(facts.bbox, units).toEqual(fresh);
    }
  });

  it("a coordinate that is not a finite number is the reader's error, with its vertex", async () => {
    const stl = writeStlBinary(cubeMesh(10));
    // triangle 2, second vertex, its y
    stl.writeFloatLE(NaN, 84 + 50 + 12 + 12 + 4);
    await expect(readCad(stl, 'cube.stl', defaultReadLimits)).rejects.toThrow(/not a finite number \(vertex 5\)/);
  });
});
