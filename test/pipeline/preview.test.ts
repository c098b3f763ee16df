// Previews asserted by pixels, determinism, encodings; writes a contact sheet of every fixture to look at.
import { mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readCad } from '../../server/src/cad/read.js';
import { defaultReadLimits, type Mesh } from '../../server/src/cad/types.js';
import { encodePreview, renderPreview, RENDERER_VERSION } from '../../server/src/render/preview.js';
import { fixtureFiles, fixtureMeshes } from '../fixtures/cad.js';

const pixel = (rgba: Uint8Array, size: number, x: number, y: number) =>
  Array.from(rgba.subarray((y * size + x) * 4, (y * size + x) * 4 + 4));
const isBackground = ([r, g, b, a]: number[]) => a === 255 && r > 225 && g > 225 && b > 225;

describe('renderPreview', () => {
  it('the part covers the centre, the corners are background', () => {
    for (const [name, mesh] of Object.entries(fixtureMeshes())) {
      const { rgba, width, height } = renderPreview(mesh, { size: 256 });
      expect([width, height]).toEqual([256, 256]);
      expect(rgba.length).toBe(256 * 256 * 4);
      expect(isBackground(pixel(rgba, 256, 128, 128)), `${name} centre`).toBe(false);
      for (const [x, y] of [
        [0, 0],
        [255, 0],
        [0, 255],
        [255, 255],
      ])
        expect(isBackground(pixel(rgba, 256, x, y)), `${name} corner`).toBe(true);
    }
  });

  it('is deterministic: two renders are byte-identical, whatever was drawn between them', () => {
    const { assembly: mesh, gear } = fixtureMeshes();
    const a = renderPreview(mesh, { size: 128 });
    // each size keeps its frame between renders: another part drawn at this size and another leaves nothing behind
    renderPreview(gear, { size: 128 });
    renderPreview(gear, { size: 256 });
    const b = renderPreview(mesh, { size: 128 });
    expect(Buffer.from(a.rgba).equals(Buffer.from(b.rgba))).toBe(true);
  });

  it('transparent background: corners fully transparent, part opaque', () => {
    const { rgba } = renderPreview(fixtureMeshes().cube, { size: 128, background: 'transparent' });
    expect(pixel(rgba, 128, 0, 0)[3]).toBe(0);
    expect(pixel(rgba, 128, 64, 64)[3]).toBe(255);
  });

  it('a thin part stays visible', () => {
    // a 0.2 mm wire across a 100 mm span: a fraction of a pixel wide at 128 px
    const wire: Mesh = {
      positions: new Float32Array([0, 0, 0, 100, 0, 0, 100, 0, 0.2, 0, 0, 0, 100, 0, 0.2, 0, 0, 0.2]),
      parts: [{ name: 'wire', start: 0, count: 2 }],
    };
    const { rgba } = renderPreview(wire, { size: 128 });
    let dark = 0;
    for (let i = 0; i < rgba.length; i += 4) if (rgba[i] < 200) dark++;
    expect(dark).toBeGreaterThan(40);
  });

  it('points are drawn as dots', () => {
    const pts = new Float32Array(300);
    for (let i = 0; i < 100; i++) pts.set([Math.cos(i) * 10, Math.sin(i) * 10, i / 10], i * 3);
    const { rgba } = renderPreview(
      { positions: new Float32Array(0), points: pts, parts: [{ name: 'points', start: 0, count: 100 }] },
      { size: 128 },
    );
    let dark = 0;
    for (let i = 0; i < rgba.length; i += 4) if (rgba[i] < 200) dark++;
    expect(dark).toBeGreaterThan(100);
  });

  it('encodes PNG and WebP', async () => {
    const { rgba } = renderPreview(fixtureMeshes().gear, { size: 128 });
    const png = await encodePreview(rgba, 128, 'png');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const webp = await encodePreview(rgba, 128, 'webp');
    expect(webp.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(typeof RENDERER_VERSION).toBe('string');
  });

  it('writes an opaque picture without an alpha channel, pixel for pixel', async () => {
    const { rgba, opaque } = renderPreview(fixtureMeshes().gear, { size: 128 });
    expect(opaque).toBe(true);
    const { data, info } = await sharp(await encodePreview(rgba, 128, 'png', opaque))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    const rgb = Buffer.alloc(128 * 128 * 3);
    for (let i = 0; i < 128 * 128; i++) rgb.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
    expect(data.equals(rgb)).toBe(true);
    expect(renderPreview(fixtureMeshes().gear, { size: 128, background: 'transparent' }).opaque).toBe(false);
  });

  it('writes a contact sheet of every fixture file (test/artifacts/contact-sheet.png)', async () => {
    const tiles: Buffer[] = [];
    const size = 256;
    for (const [name, mesh] of Object.entries(fixtureMeshes())) {
      for (const f of await fixtureFiles(name, mesh)) {
        if (!/\.(stl|3mf|glb|ply)$/.test(f.name) || f.name.includes('ascii') || f.name.includes('binary')) continue;
        const r = await readCad(f.bytes, f.name, defaultReadLimits, { siblings: (p) => f.siblings?.[p] });
        tiles.push(await encodePreview(renderPreview(r.mesh, { size }).rgba, size, 'png'));
      }
    }
    const cols = 4;
    const rows = Math.ceil(tiles.length / cols);
    const sheet = await sharp({
      create: { width: cols * size, height: rows * size, channels: 4, background: '#ffffff' },
    })
      .composite(tiles.map((input, i) => ({ input, left: (i % cols) * size, top: Math.floor(i / cols) * size })))
      .png()
      .toBuffer();
    mkdirSync(new URL('../artifacts/', import.meta.url), { recursive: true });
    writeFileSync(new URL('../artifacts/contact-sheet.png', import.meta.url), sheet);
    expect(tiles.length).toBe(16);
  });
});
