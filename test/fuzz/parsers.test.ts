// fast-check over every parser that reads what strangers upload: mesh readers (and DXF when present), the BOM
// parser, the centroid (pick-and-place) reader, manifest validation, OKH/Kitspace manifest import and the path check every uploaded name goes through.
// Each may refuse, with its own error type, never crash with another error or hang. Bounded and seeded in the suite; `npm run fuzz` runs FUZZ_RUNS of each.
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { readCad } from '../../server/src/cad/read.js';
import { CadReadError, defaultReadLimits, type ReadLimits } from '../../server/src/cad/types.js';
import { parseBom, BomUnreadableError } from '../../server/src/bom/kernel/parse.js';
import { CentroidReadError, isCentroidFile, readCentroid } from '../../server/src/electronics/centroid.js';
import { validateManifest } from '../../server/src/registry/manifest.js';
import { detectManifest } from '../../server/src/interop/detect.js';
import { readOkhLosh } from '../../server/src/interop/okh-losh.js';
import { readOkhV1 } from '../../server/src/interop/okh-v1.js';
import { readKitspace } from '../../server/src/interop/kitspace.js';
import { AppError } from '../../server/src/errors.js';
import { checkFilePath, maxPathBytes } from '../../server/src/registry/paths.js';
import { threeMfModelXml, writeStlAscii, writeStlBinary, zip3mf } from '../../server/src/cad/write/index.js';
import { cubeMesh } from '../fixtures/cad.js';
import { dxf, dxfDocument } from '../fixtures/dxf.js';

const runs = Number(process.env.FUZZ_RUNS ?? 150);
const seed = Number(process.env.FUZZ_SEED ?? 20251123);
const params = { numRuns: runs, seed, endOnFailure: true };
const timeout = Math.max(60_000, runs * 20);
const limits: ReadLimits = { ...defaultReadLimits, maxTriangles: 50_000, maxUncompressedBytes: 8 * 1024 * 1024 };

/** Runs fn; ok, or one of the allowed error classes; anything else fails the property. */
async function refusesCleanly(fn: () => unknown, ...allowed: (new (...a: any[]) => Error)[]): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    if (allowed.some((k) => e instanceof k)) return true;
    throw new Error(`unexpected ${(e as Error)?.name}: ${(e as Error)?.stack ?? String(e)}`, { cause: e });
  }
}

/** Valid seeds, then mutated: flipped bytes, truncated, spliced. */
function mutated(seeds: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 16 }),
        fc.nat(),
      )
      .map(([s, flips, cut]) => {
        const b = new Uint8Array(s);
        for (const [at, v] of flips) b[at % Math.max(1, b.length)] = v;
        return b.subarray(0, b.length ? cut % (b.length + 1) : 0);
      }),
  );
}

const cube = cubeMesh();
const meshSeeds: Record<string, Uint8Array[]> = {
  'model.stl': [writeStlBinary(cube), strToU8(writeStlAscii(cube))],
  'model.obj': [strToU8('v 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 1\nf 1//1 2//1 3//1\no part\nf -1 -2 -3\n')],
  'model.ply': [
    strToU8(
      'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n',
    ),
  ],
  'model.3mf': [zip3mf(threeMfModelXml(cube))],
  'model.glb': [strToU8('glTF')],
  'model.FCStd': [zipSync({ 'Document.xml': strToU8('<Document SchemaVersion="4"><Objects Count="0"/></Document>') })],
};
const dxfPresent = existsSync(new URL('../../server/src/cad/dxf.ts', import.meta.url));

describe('fuzz: every upload parser refuses cleanly', () => {
  it.each(Object.keys(meshSeeds))(
    'mesh reader for %s: a result or a CadReadError',
    async (name) => {
      await fc.assert(
        fc.asyncProperty(mutated(meshSeeds[name]!), (bytes) =>
          refusesCleanly(() => readCad(bytes, name, limits), CadReadError),
        ),
        params,
      );
    },
    timeout,
  );

  it.skipIf(!dxfPresent)(
    'DXF reader: a drawing or a CadReadError',
    async () => {
      const { readDxf } = await import('../../server/src/cad/dxf.js');
      // dxf-parser reports what it skips on the console
      for (const m of ['log', 'warn', 'error', 'info', 'debug'] as const)
        vi.spyOn(console, m).mockImplementation(() => {});
      const seedDxf = strToU8(
        '0\nSECTION\n2\nENTITIES\n0\nLINE\n8\n0\n10\n0\n20\n0\n11\n10\n21\n10\n0\nCIRCLE\n8\n0\n10\n5\n20\n5\n40\n2\n0\nENDSEC\n0\nEOF\n',
      );
      try {
        await fc.assert(
          fc.asyncProperty(mutated([seedDxf]), (bytes) => refusesCleanly(() => readDxf(bytes, limits), CadReadError)),
          params,
        );
      } finally {
        vi.restoreAllMocks();
      }
    },
    timeout,
  );

  it.skipIf(!dxfPresent)(
    'DXF reader: blocks of insert arrays, nested and crossed, are drawn or refused quickly, never expanded blindly',
    async () => {
      const { readDxf } = await import('../../server/src/cad/dxf.js');
      const count = fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 1000 }), fc.constant(1000));
      const entity = (blocks: number) =>
        fc.oneof(
          fc.constant(dxf.point(0, 0)),
          fc.constant(dxf.text(0, 0, 1, 'x')),
          fc.constant(dxf.line(0, 0, 1, 1)),
          fc.constant(dxf.circle(0, 0, 1)),
          fc
            .tuple(fc.integer({ min: 0, max: blocks - 1 }), count, count)
            .map(([b, cols, rows]) => dxf.insertArray(`B${b}`, cols, rows)),
        );
      const drawing = fc
        .integer({ min: 1, max: 6 })
        .chain((n) =>
          fc.tuple(
            fc.array(fc.array(entity(n), { minLength: 1, maxLength: 4 }), { minLength: n, maxLength: n }),
            fc.array(entity(n), { minLength: 1, maxLength: 4 }),
          ),
        );
      await fc.assert(
        fc.asyncProperty(drawing, async ([blocks, model]) => {
          const doc = dxfDocument(model, { blocks: blocks.map((entities, i) => ({ name: `B${i}`, entities })) });
          const t0 = performance.now();
          await refusesCleanly(() => readDxf(strToU8(doc), limits), CadReadError);
          expect(performance.now() - t0).toBeLessThan(3_000);
        }),
        { ...params, numRuns: Math.min(runs, 2_000) },
      );
    },
    timeout,
  );

  it(
    'BOM parser: lines or a BomUnreadableError',
    async () => {
      const cells = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom(
          'Qty',
          'Part Number',
          'Description',
          'Unit',
          '1',
          '2.5',
          '1,5',
          '"a,b"',
          '"',
          '1.2.3',
          '-',
          'EUR',
          '€3,20',
          'Designator',
          'Reference',
          'Comment',
          'DNP',
          'Alt MPN',
          'R1-R8',
          'C1–C3',
          'R1-R99999999999999999999',
          '"R1, R2,R5"',
        ),
      );
      const csv = fc
        .tuple(fc.array(fc.array(cells, { maxLength: 8 }), { maxLength: 12 }), fc.constantFrom(',', ';', '\t'))
        .map(([rows, d]) => strToU8(rows.map((r) => r.join(d)).join('\n')));
      const seeds = [
        strToU8('Level,Part Number,Description,Qty,Unit\n1,A,Frame,1,pcs\n1.1,B,Tube,2.5,m\n'),
        strToU8('{"lines":[{"name":"Bolt","quantity":4}]}'),
        strToU8('Comment,Designator,Footprint,LCSC Part #\n100nF,"C1,C2,C3",C0603,C14663\n10k,R1-R4,R0603,C25804\n'),
        strToU8('Reference,Value,Qty,DNP,MPN,Alt MPN\nR1–R3,10k,2,DNP,RC0603,ERJ-3 / ERJ-4\n'),
        strToU8('{"lines":[{"name":"10k","quantity":3,"designators":"R1-R3","fitted":false}]}'),
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(csv, mutated(seeds)),
          fc.constantFrom('bom.csv', 'bom.tsv', 'bom.json'),
          (bytes, name) => refusesCleanly(() => parseBom(Buffer.from(bytes), name), BomUnreadableError),
        ),
        params,
      );
    },
    timeout,
  );

  it(
    'centroid reader: placements in mm or a CentroidReadError, within its limits',
    async () => {
      const cells = fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('Ref', 'Designator', 'PosX', 'Mid X', 'PosY', 'Mid Y', 'Rot', 'Side', 'Layer', 'T', 'B'),
        fc.constantFrom('12.5mm', '1,5', '-0.5in', '1000mil', '1e400', 'NaN', '"', '# Ref Val PosX PosY Rot Side'),
      );
      const table = fc
        .tuple(fc.array(fc.array(cells, { maxLength: 8 }), { maxLength: 12 }), fc.constantFrom(',', ';', '\t', '  '))
        .map(([rows, d]) => strToU8(rows.map((r) => r.join(d)).join('\n')));
      const seeds = [
        strToU8(
          '## Unit = mm, Angle = deg.\n# Ref Val Package PosX PosY Rot Side\nC1 100n C0603 120.0 -80.5 90.0 top\n## End\n',
        ),
        strToU8('Designator,Mid X,Mid Y,Layer,Rotation\nC1,12.5mm,30mm,T,180\nU1,1000mil,-0.5in,B,270\n'),
      ];
      const limits = { maxChars: 4096, maxLines: 64, maxLineChars: 256 };
      await fc.assert(
        fc.asyncProperty(fc.oneof(table, mutated(seeds)), fc.constantFrom('board.pos', 'cpl.csv'), (bytes, name) =>
          refusesCleanly(() => {
            const text = new TextDecoder().decode(bytes);
            isCentroidFile(name, text);
            for (const placement of readCentroid(text, limits).placements) {
              expect(placement.designator).not.toBe('');
              expect([placement.x, placement.y, placement.rotation].every(Number.isFinite)).toBe(true);
              expect(placement.rotation >= 0 && placement.rotation < 360).toBe(true);
              expect(['top', 'bottom']).toContain(placement.side);
            }
          }, CentroidReadError),
        ),
        params,
      );
    },
    timeout,
  );

  it(
    'manifest validation: a manifest or a 400 AppError',
    async () => {
      const manifest = fc.oneof(
        fc.anything(),
        fc.record(
          {
            version: fc.oneof(fc.string(), fc.constantFrom('1.0.0', '1.0.0-rc.1', 'v1', '01.0.0')),
            changelog: fc.anything(),
            licenses: fc.anything(),
            readme: fc.anything(),
          },
          { requiredKeys: [] },
        ),
      );
      await fc.assert(
        fc.asyncProperty(manifest, async (m) => {
          try {
            validateManifest(m);
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            expect(e.status).toBe(400);
          }
          return true;
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'OKH / Kitspace import: detection and mapping give a project or an AppError',
    async () => {
      const seeds = [
        strToU8('okhv = "OKH-LOSHv1.0"\nname = "Loom"\nversion = "0.1.0"\nlicense = "CC-BY-SA-4.0"\nlicensor = "x"\n'),
        strToU8(
          '%Open Know-How Manifest 1.0\n---\ntitle: Press\nlicense:\n  hardware: CERN-OHL-S-2.0\nversion: 1.0.0\n',
        ),
        strToU8('summary: A board\nsite: https://example.org\nbom: bom.csv\n'),
        strToU8('a: &a [*a, *a]\nb: [*a, *a, *a]\n'),
      ];
      await fc.assert(
        fc.asyncProperty(mutated(seeds), async (bytes) => {
          const found = detectManifest(bytes);
          if (!found) return true;
          const read =
            found.kind === 'okh-losh'
              ? () => readOkhLosh(found.doc)
              : found.kind === 'okh-v1'
                ? () => readOkhV1(found.doc)
                : () => readKitspace(found.doc);
          return refusesCleanly(read, AppError);
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'the path check: a name is refused with a bad-path AppError or stored inside the version, never disguised',
    async () => {
      const pieces = [
        '..',
        '.',
        '',
        'a',
        'cad',
        'x.stl',
        '\u202e',
        '\u2066',
        '\u200f',
        '\\',
        'C:',
        '\u0000',
        'é',
        'e\u0301',
      ];
      const names = fc.oneof(
        fc.string({ maxLength: 80 }),
        fc
          .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 8 })
          .map((p) => p.join('/')),
      );
      await fc.assert(
        fc.property(names, (raw) => {
          let path: string;
          try {
            path = checkFilePath(raw, 'bom');
          } catch (e) {
            return e instanceof AppError && e.code === 'bad-path' && e.errors?.[0]?.field === 'bom';
          }
          const segments = path.split('/');
          return (
            !path.startsWith('/') &&
            !segments.some((s) => s === '' || s === '.' || s === '..') &&
            // eslint-disable-next-line no-control-regex -- control characters are what the check refuses
            !/[\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\]/.test(path) &&
            Buffer.byteLength(path) <= maxPathBytes &&
            path === path.normalize('NFC')
          );
        }),
        params,
      );
    },
    timeout,
  );
});
