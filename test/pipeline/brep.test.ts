// STEP, IGES and BREP through OpenCascade: exact facts of hand-written boxes, units, a curves-only refusal,
// preview pixels, the GLB derivative read back, and a long read ended by the pool's time limit.
import { afterAll, describe, expect, it } from 'vitest';
import { readCad } from '../../server/src/cad/read.js';
import { readGltf } from '../../server/src/cad/gltf.js';
import { CadReadError, defaultReadLimits } from '../../server/src/cad/types.js';
import { igesLengthUnit } from '../../server/src/cad/iges.js';
import { stepLengthUnit } from '../../server/src/cad/step.js';
import { renderPreview } from '../../server/src/render/preview.js';
import processFileTask from '../../server/src/pipeline/thread.js';
import { ThreadPool, TaskTimeoutError } from '../../server/src/pipeline/pool.js';
import { brepBox, igesBox, igesCurvesOnly, stepBoxes, type BoxSpec } from '../fixtures/brep.js';

const enc = (s: string) => new TextEncoder().encode(s);
const plate: BoxSpec = { name: 'plate', min: [0, 0, 0], max: [40, 30, 5] };
const block: BoxSpec = { name: 'block', min: [0, 0, 5], max: [10, 10, 15] };
const pixel = (rgba: Uint8Array, size: number, x: number, y: number) =>
  Array.from(rgba.subarray((y * size + x) * 4, (y * size + x) * 4 + 3));
const isBackground = ([r, g, b]: number[]) => r > 225 && g > 225 && b > 225;

describe('STEP', () => {
  it('two solids: one named part each, exact facts in mm', async () => {
    const r = await readCad(enc(stepBoxes([plate, block])), 'frame.step', defaultReadLimits);
    expect(r.facts).toEqual({
      format: 'step',
      triangles: 24,
      parts: 2,
      bbox: { min: [0, 0, 0], max: [40, 30, 15] },
      area: 2 * (40 * 30 + 40 * 5 + 30 * 5) + 2 * (10 * 10 + 10 * 10 + 10 * 10),
      volume: 40 * 30 * 5 + 1000,
      watertight: true,
      units: 'mm',
    });
    expect(r.mesh.parts.map((p) => [p.name, p.count])).toEqual([
      ['plate', 12],
      ['block', 12],
    ]);
  });

  it('inch files are converted to mm and say so', async () => {
    const r = await readCad(
      enc(stepBoxes([{ name: 'bar', min: [0, 0, 0], max: [1, 2, 3] }], 'inch')),
      'bar.stp',
      defaultReadLimits,
    );
    expect(r.units).toBe('inch');
    expect(r.facts.bbox.max.map((v) => +v.toFixed(3))).toEqual([25.4, 50.8, 76.2]);
    expect(r.facts.volume).toBeCloseTo(25.4 * 50.8 * 76.2, 0);
  });

  it('reads the declared unit from the header text', () => {
    expect(stepLengthUnit(`#1=(LENGTH_UNIT() NAMED_UNIT(*) SI_UNIT($,.METRE.));`)).toBe('m');
    expect(stepLengthUnit(`#1=( LENGTH_UNIT() NAMED_UNIT(*) SI_UNIT(.CENTI.,.METRE.) );`)).toBe('cm');
    expect(stepLengthUnit('no units here')).toBe('mm');
  });

  it("a damaged STEP fails with the reader's reason", async () => {
    await expect(readCad(enc('ISO-10303-21;\nHEADER;\ngarbage'), 'x.step', defaultReadLimits)).rejects.toThrow(
      CadReadError,
    );
  });

  it('preview: the part covers the centre, corners are background', async () => {
    const r = await readCad(enc(stepBoxes([plate, block])), 'frame.step', defaultReadLimits);
    const { rgba } = renderPreview(r.mesh, { size: 128 });
    expect(isBackground(pixel(rgba, 128, 64, 64))).toBe(false);
    expect(isBackground(pixel(rgba, 128, 0, 0))).toBe(true);
    expect(isBackground(pixel(rgba, 128, 127, 127))).toBe(true);
  });
});

describe('IGES', () => {
  it('a box of six B-spline surfaces: one part named after the file, closed', async () => {
    const r = await readCad(
      enc(igesBox({ name: 'b', min: [0, 0, 0], max: [10, 20, 30] })),
      'cover.igs',
      defaultReadLimits,
    );
    expect(r.facts).toEqual({
      format: 'iges',
      triangles: 12,
      parts: 1,
      bbox: { min: [0, 0, 0], max: [10, 20, 30] },
      area: 2200,
      volume: 6000,
      watertight: true,
      units: 'mm',
    });
    expect(r.mesh.parts[0].name).toBe('cover');
  });

  it('inch IGES (unit flag 1) → mm', async () => {
    const text = igesBox({ name: 'b', min: [0, 0, 0], max: [1, 1, 1] }, 1);
    expect(igesLengthUnit(text)).toBe('inch');
    const r = await readCad(enc(text), 'b.iges', defaultReadLimits);
    expect(r.facts.bbox.max.map((v) => +v.toFixed(3))).toEqual([25.4, 25.4, 25.4]);
  });

  it('curves only: refused with the reason', async () => {
    await expect(readCad(enc(igesCurvesOnly()), 'wire.igs', defaultReadLimits)).rejects.toThrow(
      /^no surfaces to draw \(curves only\)/,
    );
  });
});

describe('BREP', () => {
  it('an OpenCascade BREP text box: exact facts, mm by default, manifest units honoured', async () => {
    const text = brepBox({ name: 'b', min: [0, 0, 0], max: [10, 20, 30] });
    const r = await readCad(enc(text), 'part.brep', defaultReadLimits);
    expect(r.facts).toEqual({
      format: 'brep',
      triangles: 12,
      parts: 1,
      bbox: { min: [0, 0, 0], max: [10, 20, 30] },
      area: 2200,
      volume: 6000,
      watertight: true,
    });
    const inch = await readCad(enc(text), 'part.brep', defaultReadLimits, { units: 'inch' });
    expect(inch.facts.bbox.max.map((v) => +v.toFixed(2))).toEqual([254, 508, 762]);
  });
});

describe('in the worker thread', () => {
  it('facts, previews and a compact GLB that reads back with its part names', async () => {
    const r = await processFileTask({
      bytes: enc(stepBoxes([plate, block])),
      filename: 'frame.step',
      sizes: [256],
      formats: ['png'],
      glb: true,
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.facts.triangles).toBe(24);
    expect(r.previews).toHaveLength(1);
    const back = await readGltf(r.glb!, defaultReadLimits);
    expect(back.mesh.parts.map((p) => p.name)).toEqual(['plate', 'block']);
    expect(back.facts.triangles).toBe(24);
    // quantised positions: within 0.01 mm of the source
    back.facts.bbox.max.forEach((v, k) => expect(Math.abs(v - [40, 30, 15][k])).toBeLessThan(0.01));
  });
});

describe('time limit', () => {
  const pool = new ThreadPool(1, 60_000);
  afterAll(() => pool.close());

  it('a read past the limit ends its thread with TaskTimeoutError; the pool keeps working', async () => {
    const many: BoxSpec[] = [];
    for (let i = 0; i < 400; i++) many.push({ name: `b${i}`, min: [i * 2, 0, 0], max: [i * 2 + 1, 1, 1] });
    const big = enc(stepBoxes(many));
    await expect(
      pool.processFile({ bytes: big, filename: 'big.step', sizes: [512], formats: ['png'], glb: true }, 150),
    ).rejects.toBeInstanceOf(TaskTimeoutError);
    const ok = await pool.processFile({
      bytes: enc(stepBoxes([plate])),
      filename: 'plate.step',
      sizes: [128],
      formats: ['png'],
    });
    expect(ok).toMatchObject({ ok: true, format: 'step', facts: { triangles: 12, parts: 1 } });
  });
});
