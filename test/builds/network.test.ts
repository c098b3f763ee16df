// The production network on generated maps with known answers: fewest workshops, then nearest; radius; who does what.
import { describe, expect, it } from 'vitest';
import { minimumCover, planNetwork, type NetworkWorkshop } from '../../server/src/builds/network.js';
import { haversineKm, roundCoordinate } from '../../server/src/builds/geo.js';

const center = { lat: 0, lon: 0 };
// 0.01° of longitude at the equator ≈ 1.11 km: workshops placed `km` east of the centre
const east = (slug: string, km: number, processes: string[]): NetworkWorkshop => ({
  slug,
  name: slug.toUpperCase(),
  lat: 0,
  lon: km / 111.19508,
  processes,
});

/** Deterministic pseudo-random numbers (mulberry32) so generated maps are the same on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('geo', () => {
  it('haversine: one degree along the equator, and Nairobi–Mombasa', () => {
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(111.195, 3);
    expect(haversineKm({ lat: -1.2864, lon: 36.8172 }, { lat: -4.0435, lon: 39.6682 })).toBeCloseTo(440, -1);
    expect(haversineKm({ lat: 10, lon: 10 }, { lat: 10, lon: 10 })).toBe(0);
  });
  it('rounds coordinates to two decimals (~1 km)', () => {
    expect([roundCoordinate(-1.286389), roundCoordinate(36.817223), roundCoordinate(43.5357)]).toEqual([
      -1.29, 36.82, 43.54,
    ]);
  });
});

describe('production network', () => {
  const needs = new Map([
    ['welding', ['1']],
    ['sawing', ['1.1']],
    ['lathe', ['3']],
    ['hydraulics', ['2']],
    ['painting', ['4']],
    ['casting', ['5']],
  ]);

  it('finds the 2-workshop answer where greedy would take 3', () => {
    // greedy takes BIG (4 processes) first and then needs two more; TWO-A + TWO-B cover everything between them
    const map = [
      east('big', 5, ['welding', 'sawing', 'lathe', 'hydraulics']),
      east('two-a', 20, ['welding', 'lathe', 'painting']),
      east('two-b', 30, ['sawing', 'hydraulics', 'casting']),
      east('far-all', 500, ['welding', 'sawing', 'lathe', 'hydraulics', 'painting', 'casting']),
    ];
    const plan = planNetwork(needs, map, center, 100);
    expect(plan.exact).toBe(true);
    expect(plan.covered).toBe(true);
    expect(plan.candidates).toBe(3);
    expect(plan.workshops.map((w) => [w.slug, w.processes, w.lines, w.distanceKm])).toEqual([
      ['two-a', ['welding', 'lathe', 'painting'], ['1', '3', '4'], 20],
      ['two-b', ['sawing', 'hydraulics', 'casting'], ['1.1', '2', '5'], 30],
    ]);
    // with a radius that reaches it, the one workshop that does everything wins
    const wide = planNetwork(needs, map, center, 600);
    expect(wide.workshops.map((w) => w.slug)).toEqual(['far-all']);
  });

  it('among smallest sets picks the nearest, and gives each process to the nearest chosen workshop', () => {
    const map = [
      east('a-far', 80, ['welding', 'sawing', 'lathe']),
      east('a-near', 10, ['welding', 'sawing', 'lathe']),
      east('b-far', 90, ['hydraulics', 'painting', 'casting', 'welding']),
      east('b-near', 15, ['hydraulics', 'painting', 'casting', 'welding']),
    ];
    const plan = planNetwork(needs, map, center, 100);
    expect(plan.workshops.map((w) => w.slug)).toEqual(['a-near', 'b-near']);
    // welding is offered by both chosen ones: the nearer does it
    expect(plan.workshops[0].processes).toEqual(['welding', 'sawing', 'lathe']);
    expect(plan.workshops[1].processes).toEqual(['hydraulics', 'painting', 'casting']);
  });

  it('names what nobody nearby can do, and ignores workshops without coordinates', () => {
    const map = [
      east('weld', 3, ['welding']),
      { slug: 'nowhere', name: 'N', lat: null, lon: null, processes: ['lathe'] },
    ];
    const plan = planNetwork(
      new Map([
        ['welding', ['1']],
        ['lathe', ['3', '3.1']],
      ]),
      map,
      center,
      50,
    );
    expect(plan.covered).toBe(false);
    expect(plan.uncovered).toEqual([{ process: 'lathe', lines: ['3', '3.1'] }]);
    expect(plan.workshops.map((w) => w.slug)).toEqual(['weld']);
  });

  it('matches a brute-force search on 40 generated maps', () => {
    const all = ['welding', 'sawing', 'lathe', 'hydraulics', 'painting', 'casting', 'bending', 'laser-cut'];
    for (let seed = 1; seed <= 40; seed++) {
      const rand = rng(seed);
      const map: NetworkWorkshop[] = Array.from({ length: 12 }, (_, i) => ({
        slug: `w${i}`,
        name: `W${i}`,
        lat: (rand() - 0.5) * 2,
        lon: (rand() - 0.5) * 2,
        processes: all.filter(() => rand() < 0.3),
      }));
      const need = new Map(all.map((p, i) => [p, [String(i + 1)]]));
      const plan = planNetwork(need, map, center, 200);
      // brute force: the smallest subset covering what the candidates can cover, then its least total distance
      const cands = map.filter((w) => w.processes.length && haversineKm(center, { lat: w.lat!, lon: w.lon! }) <= 200);
      const coverable = new Set(cands.flatMap((w) => w.processes));
      let best: { size: number; dist: number } = { size: Infinity, dist: Infinity };
      for (let mask = 1; mask < 1 << cands.length; mask++) {
        const chosen = cands.filter((_, i) => mask & (1 << i));
        if (!(chosen.length <= best.size)) continue;
        const covered = new Set(chosen.flatMap((w) => w.processes));
        if (covered.size !== coverable.size) continue;
        const dist = chosen.reduce((s, w) => s + haversineKm(center, { lat: w.lat!, lon: w.lon! }), 0);
        if (chosen.length < best.size || dist < best.dist - 1e-9) best = { size: chosen.length, dist };
      }
      expect(plan.workshops.length, `seed ${seed}`).toBe(best.size === Infinity ? 0 : best.size);
      const dist = plan.workshops.reduce(
        (s, w) =>
          s +
          haversineKm(center, {
            lat: map.find((m) => m.slug === w.slug)!.lat!,
            lon: map.find((m) => m.slug === w.slug)!.lon!,
          }),
        0,
      );
      if (best.size !== Infinity) expect(dist, `seed ${seed}`).toBeCloseTo(best.dist, 6);
      expect(plan.uncovered.map((u) => u.process).sort(), `seed ${seed}`).toEqual(
        all.filter((p) => !coverable.has(p)).sort(),
      );
    }
  });

  it('falls back to greedy (and says so) when the exact search would be too large', () => {
    const full = (1 << 23) - 1;
    const sets = [
      { mask: full, cost: 9, index: 0 },
      { mask: (1 << 12) - 1, cost: 1, index: 1 },
      { mask: full & ~((1 << 12) - 1), cost: 1, index: 2 },
    ];
    const r = minimumCover(full, sets);
    expect(r.exact).toBe(false);
    expect(r.chosen).toEqual([0]);
    // on a small universe the exact search runs; set 1 covers the same as set 0 for less
    expect(
      minimumCover(
        0b111,
        sets.map((s) => ({ ...s, mask: s.mask & 0b111 })),
      ),
    ).toEqual({ chosen: [1], exact: true });
  });
});
