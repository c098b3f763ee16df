// Facts of generated fixtures, asserted exactly.
import { describe, expect, it } from 'vitest';
import { computeFacts } from '../../server/src/pipeline/cad/facts.js';
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
    const f = computeFacts({ positions: new Float32Array(0), points: new Float32Array([0, 0, 0, 1, 2, 3]), parts: [{ name: 'points', start: 0, count: 2 }] }, 'ply');
    expect(f.points).toBe(2);
    expect(f.triangles).toBeUndefined();
    expect(f.bbox).toEqual({ min: [0, 0, 0], max: [1, 2, 3] });
  });
});
