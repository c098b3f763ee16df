// The faster facts (issue 32) against the algorithm they replace: the same values, bit for bit, on the fixtures,
// the sample designs' meshes and the cases a weld or an edge count gets wrong.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { computeFacts, isWatertight } from '../../server/src/cad/facts.js';
import { meshBounds, meshFromGeometry, mergeMeshes } from '../../server/src/cad/mesh.js';
import { readCad } from '../../server/src/cad/read.js';
import { defaultReadLimits, type Mesh } from '../../server/src/cad/types.js';
import { weldVertices } from '../../server/src/cad/weld.js';
import { assemblyMesh, cubeMesh, fixtureFiles, fixtureMeshes, gearMesh, tubeMesh } from '../fixtures/cad.js';
import { computeFactsBefore, isWatertightBefore, weldVerticesBefore } from '../helpers/facts-before.js';

/** Facts, then the welds at bits and at the facts' tolerance, each equal to what the old code answers. */
function expectSameAsBefore(mesh: Mesh, what: string): void {
  expect(computeFacts(mesh, 'x'), what).toEqual(computeFactsBefore(mesh, 'x'));
  const bbox = meshBounds(mesh);
  const diag = Math.hypot(bbox.max[0] - bbox.min[0], bbox.max[1] - bbox.min[1], bbox.max[2] - bbox.min[2]);
  for (const tolerance of [0, Math.max(diag * 1e-6, 1e-9)]) {
    const now = weldVertices(mesh.positions, tolerance);
    const before = weldVerticesBefore(mesh.positions, tolerance);
    expect(now.index, `${what}, tolerance ${tolerance}`).toEqual(before.index);
    expect(now.vertices, `${what}, tolerance ${tolerance}`).toEqual(before.vertices);
  }
}

function meshOf(positions: number[] | Float32Array, parts = 1): Mesh {
  const p = positions instanceof Float32Array ? positions : new Float32Array(positions);
  const n = p.length / 9;
  const size = Math.ceil(n / parts);
  return {
    positions: p,
    parts: Array.from({ length: parts }, (_, i) => ({
      name: `part ${i}`,
      start: i * size,
      count: Math.max(0, Math.min(size, n - i * size)),
    })),
  };
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same triangles in another order: neighbours far apart, so the weld's cache of recent vertices misses. */
function shuffled(mesh: Mesh, seed: number): Mesh {
  const n = mesh.positions.length / 9;
  const order = Array.from({ length: n }, (_, i) => i);
  const next = random(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const p = new Float32Array(n * 9);
  order.forEach((t, i) => p.set(mesh.positions.subarray(t * 9, t * 9 + 9), i * 9));
  return meshOf(p);
}

function sphere(detail: number, radius = 10): Mesh {
  return meshFromGeometry([{ name: 'sphere', geometry: new THREE.IcosahedronGeometry(radius, detail) }]);
}

describe('facts as before', () => {
  it('of the fixtures, as made and as read back from every mesh format', async () => {
    for (const [name, mesh] of Object.entries(fixtureMeshes())) {
      expectSameAsBefore(mesh, name);
      for (const file of await fixtureFiles(name, mesh)) {
        const siblings = file.siblings;
        const { mesh: read } = await readCad(file.bytes, file.name, defaultReadLimits, {
          siblings: siblings && ((path) => siblings[path]),
        });
        expectSameAsBefore(read, file.name);
      }
    }
  });

  it("of the sample designs' meshes", async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (/\.(stl|obj|3mf|glb|ply)$/i.test(e.name) && !dir.includes('_forks')) files.push(join(dir, e.name));
      }
    };
    walk('designs');
    expect(files.length).toBeGreaterThan(20);
    const watertight = new Set<boolean>();
    for (const file of files) {
      const { mesh } = await readCad(readFileSync(file), file, defaultReadLimits);
      expectSameAsBefore(mesh, file);
      watertight.add(isWatertight(mesh.positions, meshBounds(mesh)));
    }
    // both answers occur among them, so the comparison covers each
    expect([...watertight].sort()).toEqual([false, true]);
  });

  it('of duplicate and degenerate triangles', () => {
    const cube = cubeMesh().positions;
    const first = Array.from(cube.subarray(0, 9));
    const [ax, ay, az, bx, by, bz] = first;
    const cases: Record<string, number[]> = {
      'a triangle twice': [...cube, ...first],
      'every triangle twice': [...cube, ...cube],
      'a triangle with two equal corners': [...cube, ax, ay, az, ax, ay, az, bx, by, bz],
      'a triangle that is one point': [...cube, ax, ay, az, ax, ay, az, ax, ay, az],
      'a sliver: three corners on a line': [...cube, 0, 0, 0, 5, 0, 0, 10, 0, 0],
      'only degenerate triangles': [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2],
    };
    for (const [what, p] of Object.entries(cases)) expectSameAsBefore(meshOf(p), what);
  });

  it('of vertices near one another at the weld tolerance, and of −0', () => {
    const base = gearMesh();
    const bbox = meshBounds(base);
    const diag = Math.hypot(bbox.max[0] - bbox.min[0], bbox.max[1] - bbox.min[1], bbox.max[2] - bbox.min[2]);
    const tolerance = diag * 1e-6;
    const next = random(7);
    // moved by up to 1.5 cells, and far from the origin where a float's step nears the cell
    for (const [offset, spread] of [
      [0, 0.3],
      [0, 1.5],
      [1000, 0.5],
      [1e5, 1],
    ]) {
      const p = base.positions.map((x) => x + offset + (next() - 0.5) * spread * tolerance);
      expectSameAsBefore(meshOf(p), `offset ${offset}, spread ${spread} cells`);
    }
    // half a cell apart, either side of a rounding boundary
    const half = cubeMesh().positions.map((x, i) => (i % 3 === 0 && x === 10 ? x + (i % 2 ? 0.49 : 0.51) * 1e-5 : x));
    expectSameAsBefore(meshOf(half), 'corners either side of half a cell');
    const signed = cubeMesh().positions.map((x, i) => (x === 0 && i % 2 ? -0 : x));
    expectSameAsBefore(meshOf(signed), '+0 and −0');
  });

  it('of open meshes, edges of three or four triangles, and several parts', () => {
    const cube = Array.from(cubeMesh().positions);
    const moved = (dx: number, dy: number) => cube.map((x, i) => x + (i % 3 === 0 ? dx : i % 3 === 1 ? dy : 0));
    const cases: Record<string, Mesh> = {
      'an open tube': tubeMesh(),
      'a cube without one triangle': meshOf(cube.slice(9)),
      // every vertex has an even count of edges, and yet two of the edges have one triangle
      'two triangles on one edge': meshOf([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
      'a fin on an edge of a cube': meshOf([...cube, 0, 0, 0, 0, 0, 10, -5, -5, 5]),
      'two cubes sharing an edge': meshOf([...cube, ...moved(10, 10)], 2),
      'two cubes sharing a face': meshOf([...cube, ...moved(10, 0)], 2),
      'two cubes apart': meshOf([...cube, ...moved(20, 0)], 2),
      'an assembly': assemblyMesh(),
      'parts merged': mergeMeshes([gearMesh(), sphere(3), tubeMesh()]),
    };
    for (const [what, mesh] of Object.entries(cases)) expectSameAsBefore(mesh, what);
  });

  it('of a mesh with more vertices than the cache of recent ones holds', () => {
    expectSameAsBefore(sphere(62), 'a sphere of 79,380 triangles');
  });

  it('of meshes in any order, where most vertices miss the cache of recent ones', () => {
    for (const [what, mesh] of Object.entries({ sphere: sphere(20), gear: gearMesh(), tube: tubeMesh() })) {
      for (const seed of [1, 2]) expectSameAsBefore(shuffled(mesh, seed), `${what} shuffled (${seed})`);
    }
  });

  it('of a fan: one vertex in 10,000 triangles', () => {
    const p: number[] = [];
    const n = 5000;
    for (let i = 0; i < n; i++) {
      const a = (i / n) * 2 * Math.PI,
        b = ((i + 1) / n) * 2 * Math.PI;
      p.push(0, 0, 1, Math.cos(a), Math.sin(a), 0, Math.cos(b), Math.sin(b), 0);
      p.push(0, 0, -1, Math.cos(b), Math.sin(b), 0, Math.cos(a), Math.sin(a), 0);
    }
    const mesh = meshOf(p);
    expectSameAsBefore(mesh, 'a double fan');
    expect(computeFacts(mesh, 'x').watertight).toBe(true);
  });

  it('of vertices whose hashes collide (a crafted file), welded at their bits', () => {
    // keys that all hash alike, repeated: the long runs of one sort key are sorted, not compared pairwise. Twice far
    // apart, most vertices miss the recent cache and the keys travel through the sort; six times in a row, most hit
    // and the keys stay; 20,000 of them overflow the cache, so the second round repeats ids either way
    for (const [vertices, inARow] of [
      [3000, 1],
      [20_000, 6],
    ]) {
      const mesh = meshOf(collidingPositions(vertices, inARow));
      const now = weldVertices(mesh.positions);
      const before = weldVerticesBefore(mesh.positions);
      expect(now.index).toEqual(before.index);
      expect(now.vertices).toEqual(before.vertices);
      expect(now.vertices.length / 3).toBe(vertices);
      // some of these bits are not finite numbers (no reader lets them through): bounds given, not scanned
      const bbox = { min: [0, 0, 0], max: [1, 1, 1] };
      expect(isWatertight(mesh.positions, bbox)).toBe(isWatertightBefore(mesh.positions, bbox));
    }
  });
});

/** murmur3's finaliser (the weld's hash) and its inverse. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
function unmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7ed1b41d);
  h ^= (h >>> 13) ^ (h >>> 26);
  h = Math.imul(h, 0xa5cb9243);
  return h ^ (h >>> 16);
}

/** Vertices whose bit patterns hash to one of four values, each `inARow` times in a row, in two rounds. */
function collidingPositions(vertices: number, inARow: number): Float32Array {
  const bits = new Int32Array(vertices * inARow * 2 * 3);
  for (let v = 0; v < vertices; v++) {
    // four hash values, so the sort interleaves the ids of four long runs
    const target = unmix(0x12345678 + ((v % 4) << 8));
    // small x and y (finite floats), z solved so that mix(mix(mix(x) ^ y) ^ z) is the target
    const x = 0x3f800000 + v,
      y = 0x40000000 + ((v * 7) % 1000);
    const z = target ^ mix(mix(x) ^ y);
    for (let round = 0; round < 2; round++)
      for (let k = 0; k < inARow; k++) bits.set([x, y, z], ((round * vertices + v) * inARow + k) * 3);
  }
  const hash = (at: number) => mix(mix(mix(bits[at]) ^ bits[at + 1]) ^ bits[at + 2]);
  expect(hash(0)).toBe(hash(4 * inARow * 3));
  return new Float32Array(bits.buffer);
}
