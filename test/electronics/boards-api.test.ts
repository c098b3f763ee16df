// A version with a circuit board published through the API on both databases: its Gerber and drill files found by
// content (one named .txt), grouped into one board per folder, drawn by the pipeline, shown in the version document
// and served as top, bottom and layer pictures (202 before they are drawn, 200 after), counted by the board-layers
// search facet; a broken board fails alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
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
import { makeBoard } from '../helpers/board-fixture.js';

async function waitFor(t: TestApp, url: string, ready: (r: { statusCode: number; json(): any }) => boolean) {
  const t0 = Date.now();
  for (;;) {
    const r = await t.app.inject({ url });
    if (ready(r) || Date.now() - t0 > 90_000) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe.each(databaseKinds)('boards through the API on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  const board = makeBoard({ folder: 'pcb/main', name: 'main', pads: 6, traces: 4 });
  const base = '/api/designs/ana/lamp/versions/1.0.0';
  // the drill file named as many tools name theirs: only its content says what it is
  const files = Object.entries(board.files).map(([path, text]) => ({
    path: path.endsWith('.drl') ? path.replace(/\.drl$/, '-drill.txt') : path,
    bytes: new TextEncoder().encode(text),
  }));
  let before: { statusCode: number; json(): any };
  let v: any;

  beforeAll(async () => {
    t = await createTestApp(kind, { runWorker: true, workerThreads: 1 });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'lamp');
    const r = await publish(t.app, ana, 'ana', 'lamp', { version: '1.0.0' }, [
      ...files,
      // a second board in its own folder, with a coordinate no board can have: it fails alone
      {
        path: 'pcb/broken/b-F_Cu.gbr',
        bytes: new TextEncoder().encode('%FSLAX46Y46*%\n%MOMM*%\n%ADD10C,1*%\nD10*\nX99999999999999Y0D03*\nM02*\n'),
      },
    ]);
    expect(r.statusCode).toBe(201);
    // the first ask can only be answered by the worker being slower than this request: ask before waking it
    before = await t.app.inject({ url: `${base}/boards/${encodeURIComponent('pcb/main')}/top` });
    v = (
      await waitFor(
        t,
        base,
        (x) =>
          (x.json().boards ?? []).length === 2 &&
          x.json().boards.every((b: any) => ['done', 'failed'].includes(b.pipeline.state)),
      )
    ).json();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the board with its layers, facts and preview URLs', () => {
    const main = v.boards.find((b: any) => b.id === 'pcb/main');
    expect(main).toEqual({
      id: 'pcb/main',
      name: 'main',
      layers: expect.arrayContaining([
        { path: 'pcb/main/main-F_Cu.gbr', type: 'copper', side: 'top' },
        { path: 'pcb/main/main-B_Cu.gbr', type: 'copper', side: 'bottom' },
        { path: 'pcb/main/main-Edge_Cuts.gbr', type: 'outline', side: 'all' },
        { path: 'pcb/main/main-drill.txt', type: 'drill', side: 'all' },
      ]),
      facts: {
        width: board.width,
        height: board.height,
        area: Math.round(board.width * board.height * 100) / 100,
        layers: 7,
        copperLayers: 2,
        holes: 6,
        smallestHole: 0.8,
        origin: { x: 0, y: 0 },
      },
      pipeline: { state: 'done' },
      previews: { top: `${base}/boards/pcb%2Fmain/top`, bottom: `${base}/boards/pcb%2Fmain/bottom` },
    });
    expect(main.layers).toHaveLength(7);
  });

  it('keeps each Gerber and drill file as a file, done, with its format and layer', () => {
    const drill = v.files.find((f: any) => f.path === 'pcb/main/main-drill.txt');
    expect(drill).toMatchObject({ format: 'excellon', pipeline: { state: 'done' } });
    expect(drill.facts).toEqual({ format: 'excellon', bytes: drill.size, layer: 'drill', side: 'all' });
    const copper = v.files.find((f: any) => f.path === 'pcb/main/main-B_Cu.gbr');
    expect(copper).toMatchObject({ format: 'gerber', pipeline: { state: 'done' } });
    expect(copper.facts).toMatchObject({ format: 'gerber', layer: 'copper', side: 'bottom' });
  });

  it('answers 202 before the board is drawn and the picture after', async () => {
    // either the worker had not drawn it yet (202 naming the job), or it was that fast
    if (before.statusCode === 202)
      expect(before.json()).toMatchObject({ state: expect.stringMatching(/queued|running/) });
    else expect(before.statusCode).toBe(200);
    for (const [view, format, size] of [
      ['top', 'png', 512],
      ['bottom', 'webp', 256],
      ['top', 'webp', 1024],
      ['bottom', 'png', 128],
    ] as const) {
      const r = await t.app.inject({ url: `${v.boards[1].previews[view]}?size=${size}&format=${format}` });
      expect(r.statusCode, `${view} ${format} ${size}`).toBe(200);
      expect(r.headers['content-type']).toBe(`image/${format}`);
      const meta = await sharp(r.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([format, size, size]);
    }
  });

  it('serves one layer alone at every size, drawn on first request and kept; 404 for a file not of the board', async () => {
    const layer = `${base}/boards/pcb%2Fmain/layers/pcb/main/main-F_Cu.gbr`;
    const r = await t.app.inject({ url: layer });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect((await sharp(r.rawPayload).metadata()).width).toBe(512);
    const { rows } = await t.deps.db.raw(`select count(*)::int as n from derivatives where kind like 'board-layer-%'`);
    for (const [format, size] of [
      ['webp', 128],
      ['png', 256],
      ['webp', 1024],
    ] as const) {
      const first = await t.app.inject({ url: `${layer}?size=${size}&format=${format}` });
      expect(first.statusCode, `${format} ${size}`).toBe(200);
      expect(first.headers['content-type']).toBe(`image/${format}`);
      const meta = await sharp(first.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([format, size, size]);
      const again = await t.app.inject({ url: `${layer}?size=${size}&format=${format}` });
      expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    }
    // each picture drawn once and kept as a derivative, beside the layer SVGs
    const { rows: after } = await t.deps.db.raw(
      `select count(*)::int as n from derivatives where kind like 'board-layer-%'`,
    );
    expect(after[0].n - rows[0].n).toBe(3);
    const odd = await t.app.inject({ url: `${layer}?size=300` });
    expect(odd.statusCode).toBe(400);
    expect(isProblem(odd)).toBe(true);
    const missing = await t.app.inject({ url: `${base}/boards/pcb%2Fmain/layers/pcb/broken/b-F_Cu.gbr` });
    expect(missing.statusCode).toBe(404);
    expect(isProblem(missing)).toBe(true);
    const noBoard = await t.app.inject({ url: `${base}/boards/nowhere/top` });
    expect(noBoard.statusCode).toBe(404);
  });

  it('is found by the board-layers search facet and filter', async () => {
    const all = await t.app.inject({ url: '/api/designs?facets=true' });
    expect(all.statusCode).toBe(200);
    expect(all.json().facets.boardLayers).toEqual({ '2': 1 });
    const two = await t.app.inject({ url: '/api/designs?boardLayers=2' });
    expect(two.json().items.map((d: any) => d.slug)).toEqual(['lamp']);
    const four = await t.app.inject({ url: '/api/designs?boardLayers=4' });
    expect(four.json().items).toEqual([]);
  });

  it('a hostile board fails alone with its reason; its pictures answer 422', async () => {
    const broken = v.boards.find((b: any) => b.id === 'pcb/broken');
    expect(broken.pipeline).toEqual({
      state: 'failed',
      error: 'pcb/broken/b-F_Cu.gbr has a coordinate X99999999999999 outside the ±2000 mm a board can span',
    });
    expect(broken.facts).toBeNull();
    // the version is done once both boards are, the failed one counted
    expect(v.pipeline).toMatchObject({ state: 'done', boards: 2, pendingBoards: 0, failedBoards: 1 });
    const r = await t.app.inject({ url: broken.previews.top });
    expect(r.statusCode).toBe(422);
    expect(isProblem(r)).toBe(true);
  });
});
