// Images inside versions: previews turned upright, resized, re-encoded without EXIF/GPS; facts say whether GPS was there.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import processFileTask from '../../server/src/pipeline/thread.js';
import { exifHasGps } from '../../server/src/render/image.js';
import { jpegWithGps, plainPng } from '../fixtures/images.js';

describe('image previews', () => {
  it('a JPEG with GPS: facts flag it, previews carry no EXIF', async () => {
    const jpeg = await jpegWithGps();
    expect(exifHasGps((await sharp(jpeg).metadata()).exif)).toBe(true);
    const r = await processFileTask({
      bytes: new Uint8Array(jpeg),
      filename: 'photos/site.jpg',
      sizes: [512, 256],
      formats: ['png', 'webp'],
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.facts).toEqual({ format: 'jpeg', width: 64, height: 48, hasGps: true });
    expect(r.previews.map((p) => `${p.format}${p.size}`)).toEqual(['png512', 'webp512', 'png256', 'webp256']);
    for (const p of r.previews) {
      const meta = await sharp(p.bytes).metadata();
      expect(meta.exif).toBeUndefined();
      // never enlarged
      expect([meta.width, meta.height]).toEqual([64, 48]);
    }
  });

  it('a PNG without EXIF: hasGps false', async () => {
    const r = await processFileTask({
      bytes: new Uint8Array(await plainPng()),
      filename: 'render.png',
      sizes: [256],
      formats: ['png'],
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.facts).toEqual({ format: 'png', width: 40, height: 30, hasGps: false });
  });

  it("undecodable image bytes fail with the reader's reason", async () => {
    const bad = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]);
    const r = await processFileTask({
      bytes: new Uint8Array(bad),
      filename: 'broken.jpg',
      sizes: [256],
      formats: ['png'],
    });
    expect(r).toMatchObject({ ok: false, readerError: true });
    if (!r.ok) expect(r.message).toMatch(/image cannot be (read|decoded)/);
  });
});
