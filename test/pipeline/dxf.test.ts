// DXF drawings: every entity type read into 2D paths in mm, facts (counts, bounds, units, cut length),
// a to-scale preview with a scale bar, and the guards (nesting depth, empty drawings).
import { describe, expect, it } from 'vitest';
import { readDxf, splinePoints } from '../../server/src/cad/dxf.js';
import { CadReadError, defaultReadLimits } from '../../server/src/cad/types.js';
import { niceLength, renderDrawing } from '../../server/src/render/drawing.js';
import processFileTask from '../../server/src/pipeline/thread.js';
import { dxf, dxfDocument, g, plateDxf } from '../fixtures/dxf.js';

const enc = (s: string) => new TextEncoder().encode(s);
const pixel = (rgba: Uint8Array, size: number, x: number, y: number) =>
  Array.from(rgba.subarray((y * size + x) * 4, (y * size + x) * 4 + 3));
const isDark = ([r, g, b]: number[]) => r < 120 && g < 120 && b < 120;

/** Ellipse perimeter (Ramanujan) and the spline's own length, for the expected cut length. */
const ellipse = (a: number, b: number) => Math.PI * (3 * (a + b) - Math.sqrt((3 * a + b) * (a + 3 * b)));

describe('readDxf', () => {
  it('facts of a plate using every entity type', () => {
    const { facts, drawing } = readDxf(enc(plateDxf()), defaultReadLimits);
    expect(facts.entities).toEqual({
      LWPOLYLINE: 1,
      CIRCLE: 1,
      POLYLINE: 1,
      ARC: 1,
      ELLIPSE: 1,
      SPLINE: 1,
      LINE: 1,
      INSERT: 2,
      TEXT: 1,
      MTEXT: 1,
      DIMENSION: 1,
    });
    expect(facts.units).toBe('mm');
    expect(facts.bounds).toEqual({ min: [0, -10], max: [100, 60] });
    const s = splinePoints(
      3,
      [0, 0, 0, 0, 1, 1, 1, 1],
      [
        { x: 60, y: 45 },
        { x: 70, y: 55 },
        { x: 80, y: 35 },
        { x: 90, y: 45 },
      ],
      32,
    );
    let spline = 0;
    for (let i = 2; i < s.length; i += 2) spline += Math.hypot(s[i] - s[i - 2], s[i + 1] - s[i - 1]);
    const expected =
      320 +
      2 * Math.PI * 5 +
      (20 + Math.PI * 6) +
      Math.PI * 8 +
      ellipse(8, 4) +
      spline +
      20 +
      2 * Math.PI * 3 +
      2 * (2 * Math.PI * 1.5);
    // arcs are polygons of 96 sides per turn: a few hundredths of a percent short
    expect(facts.cutLength).toBeGreaterThan(expected * 0.998);
    expect(facts.cutLength).toBeLessThan(expected * 1.0005);
    expect(drawing.texts.map((t) => t.text)).toEqual(['PLATE 3 mm', 'S235 Qty 2', '100']);
    // dimension lines are annotation, not cut
    expect(drawing.paths.filter((p) => p.annotation)).toHaveLength(3);
  });

  it('a dimension without its block is drawn through its definition point, wherever a writer put it', () => {
    const plate = (anchor: [number, number], type: number, angle?: number) =>
      dxfDocument([
        dxf.line(0, 0, 433.1, 0),
        g([
          [0, 'DIMENSION'],
          [8, 'DIM'],
          [10, anchor[0]],
          [20, anchor[1]],
          [30, 0],
          [70, type],
          ...(angle === undefined ? [] : ([[50, angle]] as [number, number][])),
          [13, 0],
          [23, 0],
          [33, 0],
          [14, 433.1],
          [24, 0],
          [34, 0],
        ]),
      ]);
    const rounded = (points: ArrayLike<number>) => Array.from(points).map((v) => +v.toFixed(6));
    for (const anchor of [
      [0, -25],
      [433.1, -25],
      [200, -25],
    ] as [number, number][]) {
      for (const type of [0, 1]) {
        const { drawing, facts } = readDxf(enc(plate(anchor, type)), defaultReadLimits);
        expect(rounded(drawing.paths.find((p) => p.annotation)!.points)).toEqual([0, 0, 0, -25, 433.1, -25, 433.1, 0]);
        expect(facts.bounds).toEqual({ min: [0, -25], max: [433.1, 0] });
      }
    }
    // a vertical (rotated 90°) dimension of the same points measures nothing along y: its line stands at x = -20
    const vertical = readDxf(enc(plate([-20, 0], 0, 90)), defaultReadLimits).drawing.paths.find((p) => p.annotation)!;
    expect(rounded(vertical.points)).toEqual([0, 0, -20, 0, -20, 0, 433.1, 0]);
  });

  it('a B-spline passes through its clamped end points', () => {
    const s = splinePoints(
      3,
      [0, 0, 0, 0, 1, 1, 1, 1],
      [
        { x: 0, y: 0 },
        { x: 1, y: 2 },
        { x: 3, y: 2 },
        { x: 4, y: 0 },
      ],
      10,
    );
    expect(s.slice(0, 2)).toEqual([0, 0]);
    expect(s.slice(-2)).toEqual([4, 0]);
  });

  it('$INSUNITS inch scales to mm; the manifest decides when it is absent', () => {
    expect(readDxf(enc(plateDxf(1)), defaultReadLimits).facts).toMatchObject({
      units: 'inch',
      bounds: { min: [0, -254], max: [2540, 1524] },
    });
    expect(readDxf(enc(plateDxf()), defaultReadLimits, { units: 'cm' }).facts).toMatchObject({
      units: 'cm',
      bounds: { max: [1000, 600] },
    });
  });

  it('blocks inserted with scale and rotation', () => {
    const doc = dxfDocument([dxf.insert('L', 10, 0, { rotation: 90, scale: 2 })], {
      blocks: [{ name: 'L', entities: [dxf.line(0, 0, 5, 0)] }],
    });
    const { drawing, facts } = readDxf(enc(doc), defaultReadLimits);
    expect(Array.from(drawing.paths[0].points).map((v) => +v.toFixed(9))).toEqual([10, 0, 10, 10]);
    expect(facts.cutLength).toBe(10);
  });

  it('a block that inserts itself is refused, not followed forever', () => {
    const doc = dxfDocument([dxf.insert('LOOP', 0, 0)], {
      blocks: [{ name: 'LOOP', entities: [dxf.line(0, 0, 1, 0), dxf.insert('LOOP', 1, 0)] }],
    });
    expect(() => readDxf(enc(doc), defaultReadLimits)).toThrow(/nests blocks more than 8 deep/);
  });

  it('nested 1000 × 1000 insert arrays (10^12 copies of a point or a text) are refused before any is expanded', () => {
    for (const inner of [dxf.point(0, 0), dxf.text(0, 0, 1, 'x')]) {
      const doc = dxfDocument([dxf.insertArray('B', 1000, 1000)], {
        blocks: [
          { name: 'A', entities: [inner] },
          { name: 'B', entities: [dxf.insertArray('A', 1000, 1000)] },
        ],
      });
      const t0 = performance.now();
      expect(() => readDxf(enc(doc), defaultReadLimits)).toThrow(/expands to more than 5,000,000 points/);
      expect(performance.now() - t0).toBeLessThan(500);
    }
  });

  it('an insert array within the limits is drawn, one copy per cell', () => {
    const doc = dxfDocument([dxf.insertArray('HOLE', 10, 20, 5)], {
      blocks: [{ name: 'HOLE', entities: [dxf.circle(0, 0, 1)] }],
    });
    const { drawing } = readDxf(enc(doc), defaultReadLimits);
    expect(drawing.paths).toHaveLength(200);
    expect(drawing.bounds.max.map((v) => Math.round(v))).toEqual([46, 96]);
  });

  it('a drawing with nothing in model space fails with the reason', () => {
    expect(() => readDxf(enc(dxfDocument([])), defaultReadLimits)).toThrow(CadReadError);
  });
});

describe('renderDrawing', () => {
  it('dark lines on a light background, to scale, with a scale bar', async () => {
    const { drawing } = readDxf(enc(plateDxf()), defaultReadLimits);
    const { rgba, width } = await renderDrawing(drawing, { size: 256 });
    expect(width).toBe(256);
    expect(pixel(rgba, 256, 2, 2)).toEqual([248, 249, 251]);
    let dark = 0;
    for (let i = 0; i < rgba.length; i += 4) if (isDark([rgba[i], rgba[i + 1], rgba[i + 2]])) dark++;
    expect(dark).toBeGreaterThan(1000);
    // the scale bar's filled half, bottom left
    let bar = 0;
    for (let y = 230; y < 246; y++) for (let x = 15; x < 40; x++) if (isDark(pixel(rgba, 256, x, y))) bar++;
    expect(bar).toBeGreaterThan(20);
    expect(niceLength(37)).toBe(20);
    expect(niceLength(0.7)).toBe(0.5);
  });

  it('deterministic, and through the worker thread as a drawing file', async () => {
    const a = await processFileTask({
      bytes: enc(plateDxf()),
      filename: 'cut/plate.dxf',
      sizes: [256],
      formats: ['png'],
    });
    const b = await processFileTask({
      bytes: enc(plateDxf()),
      filename: 'cut/plate.dxf',
      sizes: [256],
      formats: ['png'],
    });
    if (!a.ok || !b.ok) throw new Error('not ok');
    expect(a.format).toBe('dxf');
    expect(a.facts).toMatchObject({ format: 'dxf', units: 'mm' });
    expect(Buffer.from(a.previews[0].bytes).equals(Buffer.from(b.previews[0].bytes))).toBe(true);
  });
});
