// Compare on generated versions with known differences (exact lists), the Markdown changelog, family
// references across forks, and the visual diff image (red where geometry went, green where it came).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { Vector4 } from 'three';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createTestApp,
  isProblem,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { frameBounds } from '../../server/src/render/camera.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A binary STL of the axis-aligned box [min, max], 12 triangles. */
function boxStl(min: number[], max: number[]): Buffer {
  const v = [
    [0, 0, 0],
    [1, 0, 0],
    [1, 1, 0],
    [0, 1, 0],
    [0, 0, 1],
    [1, 0, 1],
    [1, 1, 1],
    [0, 1, 1],
  ].map((p) => p.map((c, i) => (c ? max[i] : min[i])));
  const f = [
    [0, 2, 1],
    [0, 3, 2],
    [4, 5, 6],
    [4, 6, 7],
    [0, 1, 5],
    [0, 5, 4],
    [1, 2, 6],
    [1, 6, 5],
    [2, 3, 7],
    [2, 7, 6],
    [3, 0, 4],
    [3, 4, 7],
  ];
  const b = Buffer.alloc(84 + 50 * f.length);
  b.writeUInt32LE(f.length, 80);
  f.forEach((t, i) =>
    t.forEach((vi, k) => v[vi].forEach((c, j) => b.writeFloatLE(c, 84 + 50 * i + 12 + 12 * k + 4 * j))),
  );
  return b;
}

const bomV1 =
  'Part Number,Description,Qty,Unit,Unit Price,Currency\nFR-01,Frame,1,pcs,20.00,EUR\nBL-M12,Bolt M12,16,pcs,0.50,EUR\nWA-12,Washer,16,pcs,0.10,EUR\n';
const bomV2 =
  'Part Number,Description,Qty,Unit,Unit Price,Currency\nFR-01,Frame,1,pcs,20.00,EUR\nBL-M12,Bolt M12,20,pcs,0.50,EUR\nNU-M12,Nut M12,20,pcs,0.20,EUR\n';

describe.each(databaseKinds)('compare on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser, ben: TestUser;
  const get = (url: string) => t.app.inject({ url });
  const oldBox = boxStl([0, 0, 0], [20, 10, 10]);
  const newBox = boxStl([10, 0, 0], [30, 10, 10]);

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { runWorker: true });
    ana = await registerUser(t.app, 'ana');
    ben = await registerUser(t.app, 'ben');
    await createDesign(t.app, ana, 'press', { licenses: { hardware: 'CERN-OHL-W-2.0' } });
    expect(
      (
        await publish(
          t.app,
          ana,
          'ana',
          'press',
          { version: '1.0.0', changelog: 'first', summary: 'A press', tags: ['brick'], units: 'mm' },
          [
            { path: 'README.md', bytes: '# Press\n' },
            { path: 'frame/base.stl', bytes: oldBox },
            { path: 'notes.txt', bytes: 'notes' },
            { path: 'old/drawing.txt', bytes: 'drawing v1' },
            { path: 'gone.txt', bytes: 'bye' },
          ],
          { name: 'bom.csv', bytes: bomV1 },
        )
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await publish(
          t.app,
          ana,
          'ana',
          'press',
          {
            version: '1.1.0',
            changelog: 'moved the frame',
            tags: ['brick', 'earth'],
            units: 'mm',
            function: 'Presses bricks',
          },
          [
            { path: 'README.md', bytes: '# Press\n' },
            { path: 'frame/base.stl', bytes: newBox },
            { path: 'notes.txt', bytes: 'notes, more' },
            { path: 'drawings/drawing.txt', bytes: 'drawing v1' },
            { path: 'added.txt', bytes: 'hello' },
          ],
          { name: 'bom.csv', bytes: bomV2 },
        )
      ).statusCode,
    ).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists manifest, file and BOM changes exactly', async () => {
    const r = await get('/api/designs/ana/press/compare?from=1.0.0&to=1.1.0');
    expect(r.statusCode).toBe(200);
    const c = r.json();
    expect(c.from).toBe('ana/press@1.0.0');
    expect(c.to).toBe('ana/press@1.1.0');
    expect(c.manifest).toEqual([
      { field: 'changelog', kind: 'changed', from: 'first', to: 'moved the frame' },
      { field: 'function', kind: 'added', to: 'Presses bricks' },
      { field: 'summary', kind: 'removed', from: 'A press' },
      { field: 'tags', kind: 'changed', from: ['brick'], to: ['brick', 'earth'] },
      { field: 'version', kind: 'changed', from: '1.0.0', to: '1.1.0' },
    ]);
    expect(c.files).toEqual({
      added: [{ path: 'added.txt', sha256: sha('hello'), size: 5 }],
      removed: [{ path: 'gone.txt', sha256: sha('bye'), size: 3 }],
      renamed: [{ from: 'old/drawing.txt', path: 'drawings/drawing.txt', sha256: sha('drawing v1') }],
      changed: [
        { path: 'frame/base.stl', fromSha256: sha(oldBox), toSha256: sha(newBox), sizeDelta: 0 },
        { path: 'notes.txt', fromSha256: sha('notes'), toSha256: sha('notes, more'), sizeDelta: 6 },
      ],
      unchanged: 1,
    });
    expect(c.bom.added.map((l: any) => l.partNumber)).toEqual(['NU-M12']);
    expect(c.bom.removed.map((l: any) => l.partNumber)).toEqual(['WA-12']);
    expect(c.bom.changed).toEqual([
      {
        key: 'pn:BL-M12',
        partNumber: 'BL-M12',
        name: 'Bolt M12',
        changes: { quantity: { from: '16', to: '20' } },
        from: expect.objectContaining({ partNumber: 'BL-M12', quantity: '16' }),
        to: expect.objectContaining({ partNumber: 'BL-M12', quantity: '20' }),
      },
    ]);
    expect(c.bom.unchanged).toBe(1);
    expect(c.bom.costDelta).toEqual({ EUR: '4.4' });
    expect(c.geometry.map((g: any) => g.path)).toEqual(['frame/base.stl']);
    expect(c.geometry[0].images.diff).toBe(
      '/api/designs/ana/press/compare/visual?from=1.0.0&to=1.1.0&path=frame%2Fbase.stl',
    );
  });

  it('gives a Markdown changelog', async () => {
    const r = await get('/api/designs/ana/press/compare?from=1.0.0&to=1.1.0&format=md');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/markdown/);
    expect(r.body).toContain('# Changes from ana/press@1.0.0 to ana/press@1.1.0');
    expect(r.body).toContain('- Added `added.txt`');
    expect(r.body).toContain('- Removed `gone.txt`');
    expect(r.body).toContain('- Renamed `old/drawing.txt` → `drawings/drawing.txt`');
    expect(r.body).toContain('- Changed `notes.txt`');
    expect(r.body).toContain('- Changed BL-M12 Bolt M12: quantity 16 → 20');
    expect(r.body).toContain('- Cost per unit: +4.4 EUR');
  });

  it('compares across the family by owner/slug@version and refuses designs outside it', async () => {
    const fork = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/forks',
      headers: ben.auth,
      payload: { version: '1.0.0' },
    });
    expect(fork.statusCode).toBe(201);
    const r = await get('/api/designs/ben/press/compare?from=1.0.0&to=ana/press@1.1.0');
    expect(r.statusCode).toBe(200);
    expect(r.json().from).toBe('ben/press@1.0.0');
    expect(r.json().manifest.find((m: any) => m.field === 'fork-of')).toEqual({
      field: 'fork-of',
      kind: 'removed',
      from: 'ana/press@1.0.0',
    });
    await createDesign(t.app, ben, 'other');
    await publish(t.app, ben, 'ben', 'other', { version: '1.0.0' }, [{ path: 'a.txt', bytes: 'a' }]);
    const outside = await get('/api/designs/ana/press/compare?from=1.0.0&to=ben/other@1.0.0');
    expect(outside.statusCode).toBe(422);
    expect(isProblem(outside)).toBe(true);
    expect((await get('/api/designs/ana/press/compare?from=1.0.0')).statusCode).toBe(400);
    expect((await get('/api/designs/ana/press/compare?from=1.0.0&to=7.0.0')).statusCode).toBe(404);
  });

  it('draws the visual diff: red where geometry was removed, green where added, grey where both are', async () => {
    const url = '/api/designs/ana/press/compare/visual?from=1.0.0&to=1.1.0&path=frame/base.stl';
    let r = await get(url);
    for (let i = 0; r.statusCode === 202 && i < 200; i++) {
      await new Promise((res) => setTimeout(res, 50));
      r = await get(url);
    }
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    const { data, info } = await sharp(r.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([512, 512]);
    // the same framing the renderer used: both boxes' union
    const view = frameBounds({ min: [0, 0, 0], max: [30, 10, 10] }, 1, 0.08);
    const pixel = (x: number, y: number, z: number) => {
      const v = new Vector4(x, y, z, 1).applyMatrix4({ elements: [...view.viewProj] } as any);
      const px = Math.floor((v.x / v.w + 1) * 256),
        py = Math.floor((1 - v.y / v.w) * 256);
      const o = (py * info.width + px) * info.channels;
      return [data[o], data[o + 1], data[o + 2]];
    };
    const isRed = ([r0, g, b]: number[]) => r0 > 150 && g < 80 && b < 80;
    const isGreen = ([r0, g, b]: number[]) => g > 110 && r0 < 80 && b < 120;
    const isGrey = ([r0, g, b]: number[]) => r0 === g && g === b && r0 < 230;
    expect(isRed(pixel(5, 5, 10))).toBe(true); // top of the removed part (x 0..10)
    expect(isGreen(pixel(25, 5, 10))).toBe(true); // top of the added part (x 20..30)
    expect(isGrey(pixel(15, 5, 10))).toBe(true); // top of the common part
    expect([data[0], data[1], data[2]]).toEqual([255, 255, 255]); // a corner: nothing there
    const { rows: stored } = await t.deps.db.raw(`select data from derivatives where kind = 'visual-diff'`);
    expect(stored[0].data.pixels.removed).toBeGreaterThan(1000);
    expect(stored[0].data.pixels.added).toBeGreaterThan(1000);
    // cached: the derivative answers at once the second time, same bytes
    const again = await get(url);
    expect(again.statusCode).toBe(200);
    expect(sha(again.rawPayload)).toBe(sha(r.rawPayload));
    const { rows } = await t.deps.db.raw(`select count(*)::int as n from jobs where kind = 'visual-diff'`);
    expect(rows[0].n).toBe(1);
    const txt = await get('/api/designs/ana/press/compare/visual?from=1.0.0&to=1.1.0&path=notes.txt');
    expect(txt.statusCode).toBe(422);
  });
});
