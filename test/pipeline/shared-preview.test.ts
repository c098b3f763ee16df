// A big mesh read and drawn by several threads: the same coordinates, refusals and pixels as on one thread.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as THREE from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { readStl } from '../../server/src/cad/stl.js';
import { readBinaryStlShared } from '../../server/src/cad/stl-shared.js';
import { CadReadError, defaultReadLimits, type Mesh } from '../../server/src/cad/types.js';
import { writeStlBinary } from '../../server/src/cad/write/stl.js';
import { ThreadPool } from '../../server/src/pipeline/pool.js';
import { RenderHelpers } from '../../server/src/pipeline/render-helpers.js';
import processFileTask from '../../server/src/pipeline/thread.js';
import {
  encodePreview,
  RENDERER_VERSION,
  renderPreview,
  type PreviewOptions,
} from '../../server/src/render/preview.js';
import { renderPreviewShared, shareMesh } from '../../server/src/render/shared-preview.js';
import { WorkShare } from '../../server/src/render/work-share.js';
import { fixtureMeshes } from '../fixtures/cad.js';

/** A torus knot of ~n triangles, as the render bench draws (1 M there). */
function knot(n: number): Mesh {
  const radial = Math.round(Math.sqrt(n / 4));
  const tubular = Math.round(n / (2 * radial));
  return meshFromGeometry([{ name: 'knot', geometry: new THREE.TorusKnotGeometry(20, 6, tubular, radial) }]);
}

/** The bytes of an array, to compare exactly. */
const bytesOf = (a: Float32Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * Faces drawn twice at exactly the same depth in different colours, shuffled through several parts: which one shows
 * is decided by triangle order alone, so a merge that ignored the order would show the other colour.
 */
function doubledFaces(): Mesh {
  const plate = meshFromGeometry([{ name: 'plate', geometry: new THREE.BoxGeometry(40, 30, 4, 60, 40, 4) }]);
  const p = plate.positions;
  const n = p.length / 9;
  const positions = new Float32Array(p.length * 2);
  const colors = new Uint8Array(n * 2 * 4);
  for (let t = 0; t < n; t++) {
    // each face and its double, far apart in the triangle order (other chunks, other threads)
    positions.set(p.subarray(t * 9, t * 9 + 9), t * 9);
    positions.set(p.subarray(t * 9, t * 9 + 9), (n + t) * 9);
    colors.set([220, 40, 40, t % 3 === 0 ? 255 : 0], t * 4);
    colors.set([40, 40, 220, 255], (n + t) * 4);
  }
  return {
    positions,
    colors,
    parts: [
      { name: 'first', start: 0, count: n },
      { name: 'double', start: n, count: n },
    ],
  };
}

describe('a preview drawn by several threads', () => {
  let helpers: RenderHelpers;
  let twoHelpers: RenderHelpers;
  beforeAll(async () => {
    helpers = new RenderHelpers(1);
    twoHelpers = new RenderHelpers(2);
    await Promise.all([helpers.ready, twoHelpers.ready]);
    expect(helpers.count).toBe(1);
    expect(twoHelpers.count).toBe(2);
  });
  afterAll(async () => {
    await Promise.all([helpers.close(), twoHelpers.close()]);
  });

  /** Every way of sharing: the owner alone (the helpers busy elsewhere), one helper, two helpers. */
  const shares = () => [new WorkShare([]), new WorkShare(helpers.lend()), new WorkShare(twoHelpers.lend())];

  function expectSamePicture(mesh: Mesh, opts: PreviewOptions, what: string) {
    const alone = renderPreview(mesh, opts);
    const shared = shareMesh(mesh);
    for (const share of shares()) {
      const together = renderPreviewShared(shared, opts, share);
      share.close();
      expect(together.opaque).toBe(alone.opaque);
      expect(bytesOf(together.rgba).equals(bytesOf(alone.rgba)), `${what}, ${share.participants} threads`).toBe(true);
    }
    return alone;
  }

  it('keeps the renderer version: its pictures are the single-thread ones', () => {
    expect(RENDERER_VERSION).toBe('andecha-cpu-raster-2');
  });

  it('draws the fixtures, doubled faces and transparent backgrounds byte for byte as one thread does', () => {
    for (const [name, mesh] of Object.entries(fixtureMeshes())) {
      expectSamePicture(mesh, { size: 256 }, name);
      expectSamePicture(mesh, { size: 128, background: 'transparent' }, `${name} transparent`);
    }
    const doubled = doubledFaces();
    const picture = expectSamePicture(doubled, { size: 512 }, 'doubled faces');
    // the order decides the picture (on equal depth, and where Float32 rounding lets a later face through): the same
    // faces with the doubles first look different, so a drawing that lost the order could not pass
    const n = doubled.positions.length / 18;
    const swapped: Mesh = {
      positions: new Float32Array([...doubled.positions.subarray(n * 9), ...doubled.positions.subarray(0, n * 9)]),
      colors: new Uint8Array([...doubled.colors!.subarray(n * 4), ...doubled.colors!.subarray(0, n * 4)]),
      parts: [
        { name: 'double', start: 0, count: n },
        { name: 'first', start: n, count: n },
      ],
    };
    const other = expectSamePicture(swapped, { size: 512 }, 'doubled faces, doubles first');
    expect(bytesOf(other.rgba).equals(bytesOf(picture.rgba))).toBe(false);
  });

  it('reads and draws a 1 M-triangle binary STL as one thread does: coordinates, bounds, facts, RGBA and PNG', async () => {
    const stl = writeStlBinary(knot(1_000_000));
    const inShared = new Uint8Array(new SharedArrayBuffer(stl.length));
    inShared.set(stl);
    const alone = readStl(stl, defaultReadLimits);
    expect(alone.mesh.positions.length / 9).toBeGreaterThan(990_000);
    const share = new WorkShare(helpers.lend());
    try {
      const together = readBinaryStlShared(inShared, defaultReadLimits, {}, share);
      expect(bytesOf(together.mesh.positions).equals(bytesOf(alone.mesh.positions))).toBe(true);
      expect(together.facts.bbox).toEqual(alone.facts.bbox);
      for (const size of [512, 256] as const) {
        const a = renderPreview(alone.mesh, { size, background: 'light' });
        const b = renderPreviewShared(together.mesh, { size, background: 'light' }, share);
        expect(bytesOf(b.rgba).equals(bytesOf(a.rgba)), `${size} px`).toBe(true);
        const [pngA, pngB] = await Promise.all([
          encodePreview(a.rgba, size, 'png', a.opaque),
          encodePreview(b.rgba, size, 'png', b.opaque),
        ]);
        expect(pngB.equals(pngA)).toBe(true);
      }
    } finally {
      share.close();
    }
  });

  it('converts units and refuses a non-finite coordinate as the one-thread reader does', () => {
    const stl = writeStlBinary(knot(20_000));
    const inShared = () => {
      const b = new Uint8Array(new SharedArrayBuffer(stl.length));
      b.set(stl);
      return b;
    };
    const share = new WorkShare(twoHelpers.lend());
    try {
      const inches = readBinaryStlShared(inShared(), defaultReadLimits, { units: 'in' }, share);
      const alone = readStl(stl, defaultReadLimits, { units: 'in' });
      expect(bytesOf(inches.mesh.positions).equals(bytesOf(alone.mesh.positions))).toBe(true);
      expect(inches.facts.bbox).toEqual(alone.facts.bbox);

      // a NaN in a late triangle's second vertex and an Infinity in an early one's third: the early one is reported
      const broken = Buffer.from(stl);
      const late = 15_000,
        early = 7_000;
      broken.writeFloatLE(NaN, 84 + 50 * late + 12 + 12 + 4);
      broken.writeFloatLE(Infinity, 84 + 50 * early + 12 + 24 + 8);
      const sharedBroken = new Uint8Array(new SharedArrayBuffer(broken.length));
      sharedBroken.set(broken);
      const expected = (() => {
        try {
          readStl(broken, defaultReadLimits);
        } catch (err) {
          return err as Error;
        }
      })();
      expect(expected).toBeInstanceOf(CadReadError);
      expect(() => readBinaryStlShared(sharedBroken, defaultReadLimits, {}, share)).toThrow(expected!.message);
      expect(() => readBinaryStlShared(inShared(), { ...defaultReadLimits, maxTriangles: 10_000 }, {}, share)).toThrow(
        CadReadError,
      );
    } finally {
      share.close();
    }
  });

  it('the pipeline thread with helpers lent gives the same previews and facts for a big STL file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'andecha-shared-'));
    try {
      const file = join(dir, 'knot.stl');
      writeFileSync(file, writeStlBinary(knot(300_000)));
      const task = { file, filename: 'knot.stl', sizes: [512, 256] as const, formats: ['png', 'webp'] as const };
      const alone = await processFileTask({ ...task, sizes: [...task.sizes], formats: [...task.formats] });
      const together = await processFileTask({
        ...task,
        sizes: [...task.sizes],
        formats: [...task.formats],
        helpers: helpers.lend(),
      });
      expect(alone.ok && together.ok).toBe(true);
      if (!alone.ok || !together.ok) return;
      expect(together.facts).toEqual(alone.facts);
      expect(together.previews.map((p) => [p.size, p.format])).toEqual(alone.previews.map((p) => [p.size, p.format]));
      together.previews.forEach((p, i) => expect(bytesOf(p.bytes).equals(bytesOf(alone.previews[i].bytes))).toBe(true));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a pool with helpers lends them to its tasks through piscina, with the same previews as a pool without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'andecha-shared-pool-'));
    const withHelpers = new ThreadPool(1, 60_000, 1024, { helpers });
    const without = new ThreadPool(1, 60_000, 1024);
    try {
      const file = join(dir, 'knot.stl');
      writeFileSync(file, writeStlBinary(knot(250_000)));
      const task = () => ({ file, filename: 'knot.stl', sizes: [256 as const], formats: ['png' as const] });
      const [a, b] = [await without.processFile(task()), await withHelpers.processFile(task())];
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect(bytesOf(b.previews[0].bytes).equals(bytesOf(a.previews[0].bytes))).toBe(true);
      expect(b.facts).toEqual(a.facts);
    } finally {
      await Promise.all([withHelpers.close(), without.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
