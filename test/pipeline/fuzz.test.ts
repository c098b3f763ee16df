// Property tests: random and truncated bytes end in CadReadError (or a successful read), never a hang or another error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readGltf } from '../../server/src/cad/gltf.js';
import { readObj } from '../../server/src/cad/obj.js';
import { readPly } from '../../server/src/cad/ply.js';
import { readStl } from '../../server/src/cad/stl.js';
import { readThreeMf } from '../../server/src/cad/threemf.js';
import { CadReadError, defaultReadLimits, type ReadLimits, type ReadResult } from '../../server/src/cad/types.js';
import { assemblyMesh } from '../fixtures/cad.js';
import { fixtureFiles } from '../fixtures/cad.js';

const limits: ReadLimits = { ...defaultReadLimits, maxTriangles: 100_000, maxUncompressedBytes: 16 * 1024 * 1024 };
type Reader = (b: Uint8Array) => ReadResult | Promise<ReadResult>;
const readers: Record<string, Reader> = {
  stl: (b) => readStl(b, limits),
  obj: (b) => readObj(b, limits),
  ply: (b) => readPly(b, limits),
  '3mf': (b) => readThreeMf(b, limits),
  gltf: (b) => readGltf(b, limits, { siblings: () => undefined }),
};

async function outcome(read: Reader, bytes: Uint8Array): Promise<'ok' | 'cad-error'> {
  try {
    await read(bytes);
    return 'ok';
  } catch (e) {
    if (e instanceof CadReadError) return 'cad-error';
    throw new Error(`not a CadReadError: ${(e as Error)?.stack ?? String(e)}`, { cause: e });
  }
}

describe('readers never fail with anything but CadReadError', async () => {
  const files = await fixtureFiles('assembly', assemblyMesh());
  const valid: Record<string, Uint8Array[]> = {
    stl: files.filter((f) => f.name.endsWith('.stl')).map((f) => f.bytes),
    obj: files.filter((f) => f.name.endsWith('.obj')).map((f) => f.bytes),
    ply: files.filter((f) => f.name.endsWith('.ply')).map((f) => f.bytes),
    '3mf': files.filter((f) => f.name.endsWith('.3mf')).map((f) => f.bytes),
    gltf: files.filter((f) => f.name.endsWith('.glb') || f.name.endsWith('.gltf')).map((f) => f.bytes),
  };
  for (const [name, read] of Object.entries(readers)) {
    it(`${name}: random bytes`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (b) => {
          expect(['ok', 'cad-error']).toContain(await outcome(read, b));
        }),
        { seed: 20240611, numRuns: 150 },
      );
    });

    it(`${name}: truncated and corrupted valid files`, async () => {
      const samples = valid[name];
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: samples.length - 1 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), {
            maxLength: 4,
          }),
          async (which, cut, flips) => {
            const src = samples[which];
            const b = src.slice(0, Math.floor(src.length * cut));
            for (const [at, v] of flips) if (b.length) b[Math.floor(at * (b.length - 1))] = v;
            expect(['ok', 'cad-error']).toContain(await outcome(read, b));
          },
        ),
        { seed: 7, numRuns: 120 },
      );
    });

    it(`${name}: a cleanly truncated file is refused`, async () => {
      for (const src of valid[name]) {
        const r = await outcome(read, src.slice(0, Math.floor(src.length * 0.6)));
        // text formats cut at a line boundary may still be whole shapes; binary ones must fail
        if (name !== 'obj') expect(r).toBe('cad-error');
      }
    });
  }
});
