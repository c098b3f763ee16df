// Facts benchmark: facts (area, volume, bbox, watertight) of torus knots of 10 k / 100 k / 1 M triangles, against the
// algorithm before issue 32 (test/helpers/facts-before.ts) on the same meshes in the same run; also run by `render`.
import { computeFacts } from '../server/src/cad/facts.js';
import { readStl } from '../server/src/cad/stl.js';
import { defaultReadLimits, type Mesh } from '../server/src/cad/types.js';
import { computeFactsBefore } from '../test/helpers/facts-before.js';
import { knotStl } from './meshes.js';
import { formatMs, median } from './stats.js';

const RUNS = 7;

/** Wall and CPU milliseconds of one call (CPU: this process, so the machine's other work counts less). */
function timed(f: () => unknown): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** The same triangles in another order (a fixed shuffle): neighbours far apart, the weld's recent-vertex cache misses. */
function shuffled(mesh: Mesh): Mesh {
  const n = mesh.positions.length / 9;
  const positions = new Float32Array(n * 9);
  let seed = 1;
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  order.forEach((t, i) => positions.set(mesh.positions.subarray(t * 9, t * 9 + 9), i * 9));
  return { positions, parts: mesh.parts };
}

/** Median facts time now and before, alternated so both see the same load; prints one line per mesh. */
export function factsAgainstBefore(meshes: Map<string, Mesh>): void {
  for (const [name, mesh] of meshes) {
    const now: { wall: number; cpu: number }[] = [];
    const before: { wall: number; cpu: number }[] = [];
    // JIT warm-up
    for (let i = 0; i < 2; i++) {
      computeFacts(mesh, 'stl');
      computeFactsBefore(mesh, 'stl');
    }
    for (let i = 0; i < RUNS; i++) {
      now.push(timed(() => computeFacts(mesh, 'stl')));
      before.push(timed(() => computeFactsBefore(mesh, 'stl')));
    }
    const wall = (r: typeof now) => median(r.map((x) => x.wall));
    const cpu = (r: typeof now) => median(r.map((x) => x.cpu));
    console.log(
      `facts    ${name.padStart(20)}: ${formatMs(wall(now), 1).padStart(9)}  before ${formatMs(wall(before), 1).padStart(9)}  ratio ${(wall(before) / wall(now)).toFixed(1)}×  (CPU ${formatMs(cpu(now), 1)} against ${formatMs(cpu(before), 1)}, ${(cpu(before) / cpu(now)).toFixed(1)}×)`,
    );
  }
}

export async function run(): Promise<void> {
  console.log(
    `facts benchmark: area, volume, bbox, watertight; median of ${RUNS} (torus knots read from binary STL)\n`,
  );
  const meshes = new Map<string, Mesh>();
  for (const n of [10_000, 100_000, 1_000_000]) {
    const { mesh } = readStl(knotStl(n, 'facts'), defaultReadLimits);
    meshes.set(`${n.toLocaleString('en')} triangles`, mesh);
    if (n === 1_000_000) meshes.set('1 M shuffled', shuffled(mesh));
  }
  factsAgainstBefore(meshes);
}
