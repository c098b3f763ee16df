// The production network: the smallest set of nearby workshops that together cover every process a design needs,
// and which of them makes which BOM lines. Pure functions over plain data; buildability.ts feeds them.
import { haversineKm, type Point } from './geo.js';

export interface NetworkWorkshop {
  slug: string;
  name: string;
  /** a workshop of another instance (known here from its build reports): that instance; `slug` is its slug there */
  instance?: string | null;
  lat: number | null;
  lon: number | null;
  processes: readonly string[];
}

export interface NetworkMember {
  slug: string;
  name: string;
  instance?: string;
  distanceKm: number;
  /** the needed processes this workshop is asked to do */
  processes: string[];
  /** BOM line positions it makes */
  lines: string[];
}

export interface NetworkPlan {
  /** every process the BOM needs, in vocabulary order of first appearance */
  needs: string[];
  workshops: NetworkMember[];
  /** needed processes no workshop within the radius offers */
  uncovered: { process: string; lines: string[] }[];
  covered: boolean;
  /** workshops within the radius offering at least one needed process */
  candidates: number;
  /** true when the set is provably the smallest (then the nearest among the smallest); false for the greedy fallback */
  exact: boolean;
}

interface CoverSet {
  mask: number;
  cost: number;
  index: number;
}

// Above this many DP steps (2^processes × distinct workshops) the exact search gives way to greedy.
const maxExactSteps = 4_000_000;

/**
 * Minimum set cover of `full` by `sets`: fewest sets first, then least total cost. Exact by dynamic programming over
 * subsets of the needed processes (a BOM rarely needs more than a dozen), greedy beyond that.
 * Returns the chosen indexes and whether the answer is exact.
 */
export function minimumCover(full: number, sets: readonly CoverSet[]): { chosen: number[]; exact: boolean } {
  // the same coverage twice: only the cheaper one can be in an optimal answer
  const best = new Map<number, CoverSet>();
  for (const s of sets) {
    const m = s.mask & full;
    if (!m) continue;
    const prev = best.get(m);
    if (!prev || s.cost < prev.cost) best.set(m, { ...s, mask: m });
  }
  const distinct = [...best.values()];
  const size = full + 1;
  if (size * distinct.length > maxExactSteps) return { chosen: greedyCover(full, distinct), exact: false };

  const count = new Int32Array(size).fill(0x7fffffff);
  const cost = new Float64Array(size).fill(Infinity);
  const from = new Int32Array(size).fill(-1);
  const pick = new Int32Array(size).fill(-1);
  count[0] = 0;
  cost[0] = 0;
  // every step only adds processes, so a mask is final before any larger mask is reached from it
  for (let mask = 0; mask < size; mask++) {
    if (count[mask] === 0x7fffffff || mask & ~full) continue;
    for (let i = 0; i < distinct.length; i++) {
      const next = mask | distinct[i].mask;
      if (next === mask) continue;
      const c = count[mask] + 1;
      const d = cost[mask] + distinct[i].cost;
      if (c < count[next] || (c === count[next] && d < cost[next] - 1e-9)) {
        count[next] = c;
        cost[next] = d;
        from[next] = mask;
        pick[next] = i;
      }
    }
  }
  const chosen: number[] = [];
  for (let mask = full; mask !== 0; mask = from[mask]) chosen.push(distinct[pick[mask]].index);
  return { chosen, exact: true };
}

/** Classic greedy: the set covering most of what is left, nearer first on ties (within ln n of the optimum). */
function greedyCover(full: number, sets: readonly CoverSet[]): number[] {
  const chosen: number[] = [];
  let left = full;
  while (left) {
    let bestSet: CoverSet | undefined;
    let bestGain = 0;
    for (const s of sets) {
      const gain = popcount(s.mask & left);
      if (gain > bestGain || (gain === bestGain && gain > 0 && bestSet && s.cost < bestSet.cost)) {
        bestSet = s;
        bestGain = gain;
      }
    }
    if (!bestSet) break;
    chosen.push(bestSet.index);
    left &= ~bestSet.mask;
  }
  return chosen;
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x; x &= x - 1) c++;
  return c;
}

/**
 * Plans who builds what: `needs` maps each needed process to the BOM line positions that need it; workshops farther
 * than `radiusKm` from `center` (or without coordinates) are not considered. Each process goes to the nearest chosen
 * workshop that offers it.
 */
export function planNetwork(
  needs: ReadonlyMap<string, readonly string[]>,
  workshops: readonly NetworkWorkshop[],
  center: Point,
  radiusKm: number,
): NetworkPlan {
  const processes = [...needs.keys()];
  const bit = new Map(processes.map((p, i) => [p, 1 << i]));
  if (processes.length > 30) throw new Error('a network over more than 30 processes does not fit a bit mask');
  const nearby = workshops
    .filter((w) => w.lat !== null && w.lon !== null)
    .map((w) => ({
      w,
      distanceKm: haversineKm(center, { lat: w.lat!, lon: w.lon! }),
      mask: w.processes.reduce((m, p) => m | (bit.get(p) ?? 0), 0),
    }))
    .filter((c) => c.distanceKm <= radiusKm && c.mask !== 0)
    .sort((a, b) => a.distanceKm - b.distanceKm || a.w.slug.localeCompare(b.w.slug));
  const coverable = nearby.reduce((m, c) => m | c.mask, 0);
  const { chosen, exact } = minimumCover(
    coverable,
    nearby.map((c, index) => ({ mask: c.mask, cost: c.distanceKm, index })),
  );
  const team = chosen
    .map((i) => nearby[i])
    .sort((a, b) => a.distanceKm - b.distanceKm || a.w.slug.localeCompare(b.w.slug));
  const members: NetworkMember[] = team.map((c) => ({
    slug: c.w.slug,
    name: c.w.name,
    ...(c.w.instance ? { instance: c.w.instance } : {}),
    distanceKm: Math.round(c.distanceKm * 10) / 10,
    processes: [],
    lines: [],
  }));
  const uncovered: NetworkPlan['uncovered'] = [];
  for (const p of processes) {
    const lines = [...(needs.get(p) ?? [])];
    const at = team.findIndex((c) => c.mask & bit.get(p)!);
    if (at < 0) {
      uncovered.push({ process: p, lines });
      continue;
    }
    members[at].processes.push(p);
    members[at].lines.push(...lines);
  }
  for (const m of members) m.lines = [...new Set(m.lines)];
  return {
    needs: processes,
    workshops: members,
    uncovered,
    covered: uncovered.length === 0,
    candidates: nearby.length,
    exact,
  };
}
