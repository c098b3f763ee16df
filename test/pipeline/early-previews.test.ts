// Previews leave the worker thread as soon as they are encoded, before a mesh's facts; every one of them has been
// handed over when processFile resolves, and they are the result's own bytes.
import { afterAll, describe, expect, it } from 'vitest';
import { ThreadPool } from '../../server/src/pipeline/pool.js';
import type { EncodedPreview } from '../../server/src/pipeline/thread.js';
import { cubeStl } from '../helpers/meshes.js';

describe('ThreadPool.processFile with onPreview', () => {
  const pool = new ThreadPool(1, 60_000);
  afterAll(() => pool.close());

  it('hands over each preview once, before it resolves, byte for byte as in the result', async () => {
    const early: EncodedPreview[] = [];
    let resolved = false;
    const result = await pool.processFile(
      { bytes: new Uint8Array(cubeStl(10)), filename: 'cube.stl', sizes: [512, 256], formats: ['png', 'webp'] },
      undefined,
      (p) => {
        expect(resolved).toBe(false);
        early.push(p);
      },
    );
    resolved = true;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.facts).toMatchObject({ triangles: 12, watertight: true });
    expect(early.map((p) => `${p.format}${p.size}`)).toEqual(['png512', 'webp512', 'png256', 'webp256']);
    for (const p of result.previews) {
      const e = early.find((x) => x.format === p.format && x.size === p.size)!;
      expect(Buffer.from(e.bytes).equals(Buffer.from(p.bytes))).toBe(true);
    }
  });

  it('hands nothing over for a file without previews, and the failure of an unreadable mesh is the result', async () => {
    const seen: EncodedPreview[] = [];
    const text = await pool.processFile(
      { bytes: new TextEncoder().encode('# notes'), filename: 'README.md', sizes: [512], formats: ['png'] },
      undefined,
      (p) => seen.push(p),
    );
    expect(text).toMatchObject({ ok: true, previews: [] });
    const broken = await pool.processFile(
      {
        bytes: new Uint8Array(Buffer.concat([Buffer.alloc(80), Buffer.from([10, 0, 0, 0])])),
        filename: 'b.stl',
        sizes: [512],
        formats: ['png'],
      },
      undefined,
      (p) => seen.push(p),
    );
    expect(broken.ok).toBe(false);
    expect(seen).toEqual([]);
  });
});
