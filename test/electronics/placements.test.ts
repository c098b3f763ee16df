// A board's placements through the API on both databases: its KiCad .pos files (one per side) found beside its
// Gerbers, mapped into the frame of its pictures so a part's point lands on its pad, top and (mirrored) bottom;
// the BOM's designators no file places; no centroid file; a file written with another origin; 202 while drawing,
// 422 for a board that could not be drawn, 404 for no such board.
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
import { boardBom, makeBoard, makeCentroid } from '../helpers/board-fixture.js';

const board = makeBoard({ folder: 'pcb', name: 'blinker', pads: 6, traces: 4, origin: [100, -120] });
const boardFiles = Object.entries(board.files).map(([path, bytes]) => ({ path, bytes }));
const top = makeCentroid(board, [
  { designator: 'R1', pad: 0 },
  { designator: 'R2', pad: 1, rotation: 90 },
  { designator: 'C1', pad: 4, rotation: 270 },
]);
const bottom = makeCentroid(board, [{ designator: 'U1', pad: 2, side: 'bottom', rotation: 180 }]);
/** A placement on a pad of the fixture, in the files' coordinates (the board's origin added). */
const onPad = (designator: string, pad: number, rotation: number, side: 'top' | 'bottom') => ({
  designator,
  x: board.origin[0] + board.padCentres[pad]![0],
  y: board.origin[1] + board.padCentres[pad]![1],
  rotation,
  side,
});
const placementsUrl = (version: string, id = 'pcb') =>
  `/api/designs/ana/blinker/versions/${version}/boards/${encodeURIComponent(id)}/placements`;

/** Where a point of the board (files' mm) is drawn on a square picture of `size`: the mapping the board page uses. */
function pixelOf(
  frame: { x: number; y: number; width: number; height: number },
  size: number,
  view: 'top' | 'bottom',
  x: number,
  y: number,
): [number, number] {
  const scale = size / Math.max(frame.width, frame.height);
  const left = (size - frame.width * scale) / 2;
  const topEdge = (size - frame.height * scale) / 2;
  const across = view === 'top' ? x - frame.x : frame.x + frame.width - x;
  return [Math.round(left + across * scale), Math.round(topEdge + (frame.y + frame.height - y) * scale)];
}

async function picture(t: TestApp, version: string, view: 'top' | 'bottom', size: number) {
  const r = await t.app.inject({
    url: `/api/designs/ana/blinker/versions/${version}/boards/pcb/${view}?size=${size}&format=png`,
  });
  expect(r.statusCode).toBe(200);
  const { data, info } = await sharp(r.rawPayload).raw().toBuffer({ resolveWithObject: true });
  return (px: number, py: number) => {
    const i = (py * info.width + px) * info.channels;
    return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]!, a: data[i + 3]! };
  };
}

/** Until every board of the version is drawn or failed (a hook cannot use expect.poll). */
async function waitForBoards(t: TestApp, version: string) {
  const t0 = Date.now();
  for (;;) {
    const v = (await t.app.inject({ url: `/api/designs/ana/blinker/versions/${version}` })).json();
    const states = (v.boards ?? []).map((b: any) => b.pipeline.state);
    if (states.length > 0 && states.every((s: string) => s === 'done' || s === 'failed')) return;
    if (Date.now() - t0 > 90_000) throw new Error(`${version}: boards still ${states.join(', ') || 'not found'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(databaseKinds)('board placements through the API on %s', (kind) => {
  let t: TestApp;
  let ana: TestUser;
  let pending: { statusCode: number; headers: Record<string, unknown>; json(): any };

  const publishVersion = async (version: string, extra: { path: string; bytes: string }[], withBom = true) => {
    const r = await publish(
      t.app,
      ana,
      'ana',
      'blinker',
      { version },
      [...boardFiles, ...extra],
      withBom ? { name: 'bom.csv', bytes: boardBom } : undefined,
    );
    expect(r.statusCode, r.body).toBe(201);
  };

  beforeAll(async () => {
    // each board's job held a while, so the first ask is answered while it is still being drawn
    t = await createTestApp(kind, {
      runWorker: true,
      workerThreads: 1,
      testJobHold: { kind: 'process-board', ms: 1500 },
    });
    ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'blinker');
    await publishVersion('1.0.0', [
      { path: 'pcb/blinker-top.pos', bytes: top },
      { path: 'pcb/blinker-bottom.pos', bytes: bottom },
      // a centroid file of the version's root: the board's own folder has one, so this is not read
      { path: 'assembly/old-pos.csv', bytes: 'Ref,PosX,PosY,Rot,Side\nR9,0,0,0,top\n' },
    ]);
    pending = await t.app.inject({ url: placementsUrl('1.0.0') });
    await waitForBoards(t, '1.0.0');
    // no centroid file anywhere
    await publishVersion('1.1.0', []);
    // the .pos written with the sheet's corner as origin while the Gerbers kept KiCad's: every part off the board;
    // in another folder than the board, which counts when the version has this one board
    await publishVersion('1.2.0', [
      {
        path: 'assembly/blinker-all.pos',
        bytes: makeCentroid(
          board,
          [
            { designator: 'R1', pad: 0 },
            { designator: 'R2', pad: 1 },
            { designator: 'C1', pad: 4 },
          ],
          [-100, 120],
        ),
      },
    ]);
    // a board that cannot be drawn: a coordinate no board can have
    await publish(t.app, ana, 'ana', 'blinker', { version: '1.3.0' }, [
      {
        path: 'pcb/blinker-F_Cu.gbr',
        bytes: '%FSLAX46Y46*%\n%MOMM*%\n%ADD10C,1*%\nD10*\nX99999999999999Y0D03*\nM02*\n',
      },
      { path: 'pcb/blinker-top.pos', bytes: top },
    ]);
    for (const version of ['1.1.0', '1.2.0', '1.3.0']) await waitForBoards(t, version);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers 202 naming the job while the board is being drawn', () => {
    expect(pending.statusCode).toBe(202);
    expect(pending.headers['retry-after']).toBe('1');
    expect(pending.json()).toMatchObject({ state: expect.stringMatching(/^(queued|running)$/) });
  });

  it("reads both sides' .pos files beside the Gerbers, in the frame of the board's pictures", async () => {
    const r = await t.app.inject({ url: placementsUrl('1.0.0') });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      source: 'pcb/blinker-bottom.pos',
      sources: ['pcb/blinker-bottom.pos', 'pcb/blinker-top.pos'],
      units: 'mm',
      frame: { x: 100, y: -120, width: board.width, height: board.height },
      placements: [
        onPad('U1', 2, 180, 'bottom'),
        onPad('R1', 0, 0, 'top'),
        onPad('R2', 1, 90, 'top'),
        onPad('C1', 4, 270, 'top'),
      ],
      // R3 and D1 are in the BOM but in neither file
      unplaced: ['R3', 'D1'],
      originMismatch: false,
    });
    const doc = (await t.app.inject({ url: '/api/designs/ana/blinker/versions/1.0.0' })).json();
    expect(doc.boards[0].facts.origin).toEqual({ x: 100, y: -120 });
  });

  it('maps each part onto its pad: its hole on the top picture, and on the bottom picture mirrored', async () => {
    const { frame, placements } = (await t.app.inject({ url: placementsUrl('1.0.0') })).json();
    const size = 512;
    const mmToPx = size / Math.max(frame.width, frame.height);
    for (const view of ['top', 'bottom'] as const) {
      const at = await picture(t, '1.0.0', view, size);
      for (const p of placements.filter((q: any) => q.side === view)) {
        const [px, py] = pixelOf(frame, size, view, p.x, p.y);
        // the centre is the pad's drilled hole (seen through), the ring around it copper, opaque
        expect(at(px, py).a, `${view} ${p.designator} centre`).toBeLessThan(30);
        const ring = at(px + Math.round(0.62 * mmToPx), py);
        expect(ring.a, `${view} ${p.designator} ring`).toBeGreaterThan(200);
        expect(ring.r, `${view} ${p.designator} ring is copper`).toBeGreaterThan(ring.b + 60);
      }
      // the board where no pad is: opaque, not a hole
      expect(at(...pixelOf(frame, size, view, frame.x + board.emptyPoint[0], frame.y + board.emptyPoint[1])).a).toBe(
        255,
      );
    }
    // the bottom part placed without mirroring would land on the board's empty right-hand side, not on a hole
    const u1 = placements.find((p: any) => p.designator === 'U1');
    const bottomPicture = await picture(t, '1.0.0', 'bottom', size);
    expect(bottomPicture(...pixelOf(frame, size, 'top', u1.x, u1.y)).a).toBe(255);
  });

  it('keeps the frame for a board drawn before its facts kept their origin: from its top SVG', async () => {
    const { rows } = await t.deps.db.raw(
      `update version_boards set facts = facts - 'origin'
        where version_id = (select id from design_versions where version = '1.0.0' limit 1)
        returning facts`,
    );
    expect(rows.map((row: any) => row.facts.origin)).toEqual([undefined]);
    const r = await t.app.inject({ url: placementsUrl('1.0.0') });
    expect(r.json().frame).toEqual({ x: 100, y: -120, width: board.width, height: board.height });
  });

  it('says there is no centroid file: no source, no placements, every designator of the BOM unplaced', async () => {
    const r = await t.app.inject({ url: placementsUrl('1.1.0') });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      source: null,
      sources: [],
      units: 'mm',
      frame: { x: 100, y: -120, width: board.width, height: board.height },
      placements: [],
      unplaced: ['R1', 'R2', 'R3', 'C1', 'U1', 'D1'],
      originMismatch: false,
    });
  });

  it('flags a placement file whose origin does not match the board', async () => {
    const r = (await t.app.inject({ url: placementsUrl('1.2.0') })).json();
    expect(r.source).toBe('assembly/blinker-all.pos');
    expect(r.placements.map((p: any) => [p.designator, p.x, p.y])).toEqual([
      ['R1', board.padCentres[0]![0], board.padCentres[0]![1]],
      ['R2', board.padCentres[1]![0], board.padCentres[1]![1]],
      ['C1', board.padCentres[4]![0], board.padCentres[4]![1]],
    ]);
    expect(r.originMismatch).toBe(true);
    expect(r.unplaced).toEqual(['R3', 'U1', 'D1']);
  });

  it("answers 422 with the board's reason when it could not be drawn, and 404 for no such board", async () => {
    const failed = await t.app.inject({ url: placementsUrl('1.3.0') });
    expect(failed.statusCode).toBe(422);
    expect(isProblem(failed)).toBe(true);
    expect(failed.json().detail).toMatch(/coordinate|range|limit/i);
    const none = await t.app.inject({ url: placementsUrl('1.0.0', 'pcb/nothing') });
    expect(none.statusCode).toBe(404);
    expect(isProblem(none)).toBe(true);
  });
});
