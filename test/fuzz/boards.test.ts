// fast-check over the reading and drawing of circuit boards in the worker-thread pool, as the pipeline runs them:
// mutated Gerber and Excellon files (flipped bytes, cuts, hostile commands spliced in) draw, are refused with a reason,
// or end their own task at the time limit; the pool then draws the next board. Bounded and seeded in the suite;
// `npm run fuzz` runs FUZZ_RUNS.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBoard } from '../helpers/board-fixture.js';
import { ThreadPool, TaskTimeoutError } from '../../server/src/pipeline/pool.js';

const runs = Number(process.env.FUZZ_RUNS ?? 60);
const seed = Number(process.env.FUZZ_SEED ?? 20261207);
const params = { numRuns: runs, seed, endOnFailure: true };
const encoder = new TextEncoder();
const board = makeBoard({ pads: 4, traces: 3 });
const paths = Object.keys(board.files);
const options = { sizes: [128 as const], formats: ['png' as const] };

/** Commands a hostile file might carry: repeats, nested blocks, macros, far and malformed coordinates. */
const hostile = fc.constantFrom(
  '%SRX50Y50I0.1J0.1*%',
  '%SRX100000Y100000I1J1*%',
  '%ABD30*%\n%ABD31*%\n%ABD32*%\n%ABD33*%\n%ABD34*%\n%ABD35*%',
  '%AMM1*1,1,$1,0,0*%\n%ADD40M1,1.5*%\nD40*\nX0Y0D03*',
  '%AMM2*21,1,$1,$2,$3,$4,$5*%\n%ADD41M2,1e308,1e308,0,0,0*%\nD41*\nX0Y0D03*',
  'X99999999999999999999Y-9999999999999999999D01*',
  'G02X1Y1I-99999999J99999999D01*',
  '%ADD10C,-1*%\nD10*\nX1Y1D03*',
  '%FSLAX99Y99*%',
  'T1C999999\nX1Y1',
  'R999999X1Y1',
  '%LPC*%\nG36*\nX0Y0D02*\nX1Y1D01*',
  '\u0000\u0001\u0002',
);

const mutatedBoard = fc
  .tuple(
    fc.nat({ max: paths.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })), { maxLength: 12 }),
    fc.option(fc.nat()),
    fc.option(fc.tuple(fc.nat(), hostile)),
  )
  .map(([which, flips, cut, splice]) =>
    paths.map((path, i) => {
      let text = board.files[path];
      if (i !== which) return { path, bytes: encoder.encode(text) };
      if (splice) {
        const at = splice[0] % (text.length + 1);
        text = `${text.slice(0, at)}\n${splice[1]}\n${text.slice(at)}`;
      }
      const bytes = encoder.encode(text);
      for (const [at, v] of flips) bytes[at % bytes.length] = v;
      return { path, bytes: cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1)) };
    }),
  );

describe('fuzzing board files', () => {
  // in the pool, as the pipeline draws: a board the guard lets through but the plotter takes too long over (a few
  // mutated files do) ends its own task at the time limit, which fails its job with that reason
  const pool = new ThreadPool(1, 5_000, 256);
  afterAll(() => pool.close());

  it(
    'a mutated board draws, is refused with a reason, or stops at the time limit; the thread is never lost',
    async () => {
      await fc.assert(
        fc.asyncProperty(mutatedBoard, async (files) => {
          // copies: the pool transfers the bytes to its thread, and fast-check may look at a value again
          const copies = files.map((f) => ({ path: f.path, bytes: f.bytes.slice() }));
          const result = await pool.processBoard({ files: copies, options }).catch((err: unknown) => {
            if (err instanceof TaskTimeoutError) return null;
            throw err;
          });
          if (result?.ok) expect(result.views).toHaveLength(2);
          else if (result) expect(result.message.length).toBeGreaterThan(10);
        }),
        params,
      );
    },
    Math.max(120_000, runs * 2_000),
  );

  it('in the thread pool a board past the time limit ends its own task; the next board draws', async () => {
    // a copper layer of 40 000 flashed pads: each well inside the guard's limits, together past a 2 s budget
    const many = ['%FSLAX46Y46*%', '%MOMM*%', '%ADD10C,0.5*%', 'D10*'];
    for (let i = 0; i < 40_000; i++) many.push(`X${(i % 200) * 600_000}Y${Math.floor(i / 200) * 600_000}D03*`);
    many.push('M02*');
    const slow = pool.processBoard(
      {
        files: [{ path: 'slow-F_Cu.gbr', bytes: encoder.encode(many.join('\n')) }],
        options: { sizes: [1024], formats: ['png', 'webp'] },
      },
      2_000,
    );
    await expect(slow).rejects.toThrow(TaskTimeoutError);
    const next = await pool.processBoard({
      files: paths.map((path) => ({ path, bytes: encoder.encode(board.files[path]) })),
      options,
    });
    expect(next.ok && next.facts.holes).toBe(4);
    const refused = await pool.processBoard({
      files: [{ path: 'x-F_Cu.gbr', bytes: encoder.encode('%FSLAX46Y46*%\n%SRX9999Y9999*%\nM02*\n') }],
      options,
    });
    expect(refused).toEqual({
      ok: false,
      readerError: true,
      message: 'x-F_Cu.gbr repeats its pattern 99980001 times (step and repeat); at most 2500 are drawn',
    });
  }, 60_000);
});
