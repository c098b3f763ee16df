// Circuit boards from Gerber and Excellon text the tests write themselves: recognised by content, layers named,
// grouped into boards, drawn by pcb-stackup with pads, board and holes where the fixture put them, facts measured,
// and hostile files refused by the guard with a sentence that names the file.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { makeBoard, type BoardFixture } from '../helpers/board-fixture.js';
import { detectBoardFile } from '../../server/src/electronics/detect.js';
import { identifyLayers } from '../../server/src/electronics/layers.js';
import { groupBoards, kitspaceGerberFolders } from '../../server/src/electronics/grouping.js';
import { drawBoard, drawLayerPicture, type BoardDrawing } from '../../server/src/electronics/render.js';
import { BoardReadError } from '../../server/src/electronics/guard.js';
import { drillFacts } from '../../server/src/electronics/facts.js';

const text = new TextEncoder();
const filesOf = (b: BoardFixture) => Object.entries(b.files).map(([path, t]) => ({ path, bytes: text.encode(t) }));
const options = { sizes: [512 as const], formats: ['png' as const] };

async function pixels(png: Uint8Array) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width };
}

/** The RGBA at a board point (mm, origin bottom left) of a square picture, the board centred as the renderer does. */
function at(p: { data: Buffer; width: number }, b: BoardFixture, [x, y]: [number, number], mirrored = false) {
  const scale = p.width / Math.max(b.width, b.height);
  const left = (p.width - b.width * scale) / 2;
  const top = (p.width - b.height * scale) / 2;
  const px = Math.floor(left + (mirrored ? b.width - x : x) * scale);
  const py = Math.floor(top + (b.height - y) * scale);
  const i = (py * p.width + px) * 4;
  return Array.from(p.data.subarray(i, i + 4));
}

describe('recognising fabrication files', () => {
  const board = makeBoard();

  it('Gerber and Excellon by content, whatever the name', () => {
    for (const [path, t] of Object.entries(board.files)) {
      expect(detectBoardFile(text.encode(t)), path).toBe(path.endsWith('.drl') ? 'excellon' : 'gerber');
    }
    expect(detectBoardFile(text.encode('solid cube\nfacet normal 0 0 1\n'))).toBeNull();
    expect(detectBoardFile(text.encode('Part,Qty\nM3 screw,4\n'))).toBeNull();
    expect(detectBoardFile(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]))).toBeNull();
  });

  it('layers from names (KiCad, Protel extensions), content breaking the tie', () => {
    const layers = identifyLayers([
      { path: 'pcb/b-F_Cu.gbr', format: 'gerber' },
      { path: 'pcb/b.GBL', format: 'gerber' },
      { path: 'pcb/b.gts', format: 'gerber' },
      { path: 'pcb/b-Edge_Cuts.gbr', format: 'gerber' },
      { path: 'pcb/holes.txt', format: 'excellon' },
    ]);
    expect(layers.map((l) => [l.type, l.side])).toEqual([
      ['copper', 'top'],
      ['copper', 'bottom'],
      ['soldermask', 'top'],
      ['outline', 'all'],
      ['drill', 'all'],
    ]);
  });

  it('one folder is one board; a kitspace.yaml gerbers: folder takes its sub-folders', () => {
    const files = [
      { path: 'main/a-F_Cu.gbr', format: 'gerber' as const },
      { path: 'main/a.drl', format: 'excellon' as const },
      { path: 'daughter/fab/d-F_Cu.gbr', format: 'gerber' as const },
      { path: 'daughter/fab/drill/d.drl', format: 'excellon' as const },
      { path: 'x-F_Cu.gbr', format: 'gerber' as const },
    ];
    const folders = kitspaceGerberFolders('gerbers: fab/\n', 'daughter');
    expect(folders).toEqual(['daughter/fab']);
    const boards = groupBoards(files, folders);
    expect(boards.map((b) => [b.id, b.name, b.files.length])).toEqual([
      ['daughter/fab', 'fab', 2],
      ['main', 'main', 2],
      ['root', 'x-F_Cu', 1],
    ]);
    expect(kitspaceGerberFolders('multi:\n  a:\n    gerbers: a/gerbers\n  b:\n    gerbers: ../../etc\n', '')).toEqual([
      'a/gerbers',
    ]);
  });
});

describe('drawing a two-layer board', () => {
  const board = makeBoard({ pads: 6, traces: 4 });
  let drawing: BoardDrawing;

  it('has the facts of the outline, its copper and its holes', async () => {
    drawing = await drawBoard(filesOf(board), options);
    expect(drawing.facts).toEqual({
      width: board.width,
      height: board.height,
      area: Math.round(board.width * board.height * 100) / 100,
      layers: 7,
      copperLayers: 2,
      holes: 6,
      smallestHole: 0.8,
      origin: { x: 0, y: 0 },
    });
    expect(drawing.views.map((v) => v.view)).toEqual(['top', 'bottom']);
    expect(drawing.views[0].svg).toMatch(/^<svg [^>]*viewBox/);
  });

  it('shows copper where a pad is, the board where nothing is, and a hole where a drill is', async () => {
    for (const { view, pictures } of drawing.views) {
      const mirrored = view === 'bottom';
      const p = await pixels(pictures[0].bytes);
      expect(p.width).toBe(512);
      const [cx, cy] = board.padCentres[0];
      // on the pad's ring, left of its hole (no trace arrives from the left of the first pad)
      const [r, , b, a] = at(p, board, [cx - 0.62, cy], mirrored);
      expect(a, `${view} pad`).toBe(255);
      expect(r, `${view} pad is copper-coloured`).toBeGreaterThan(150);
      expect(r - b, `${view} pad is copper-coloured`).toBeGreaterThan(80);
      const board0 = at(p, board, board.emptyPoint, mirrored);
      expect(board0[3], `${view} board`).toBe(255);
      expect(board0[1], `${view} board is solder-mask green`).toBeGreaterThan(board0[0] + 20);
      expect(at(p, board, [cx, cy], mirrored)[3], `${view} hole`).toBe(0);
      // outside the outline the picture is see-through
      expect(p.data[3]).toBe(0);
    }
  });

  it("keeps each layer's SVG, and draws a layer alone from it at the size asked for", async () => {
    expect(drawing.layerSvgs.map((l) => l.path).sort()).toEqual(Object.keys(board.files).sort());
    const copper = drawing.layerSvgs.find((l) => l.path === 'board-F_Cu.gbr')!;
    expect(copper.svg.startsWith('<svg ')).toBe(true);
    for (const size of [128, 1024] as const) {
      const picture = await drawLayerPicture(copper, size, 'png');
      const p = await pixels(picture.bytes);
      expect([picture.size, picture.format, p.width]).toEqual([size, 'png', size]);
      expect(p.data.some((v, i) => i % 4 === 3 && v === 255)).toBe(true);
    }
  });
});

describe('counting holes', () => {
  it('counts hits of each used tool, in inches or mm', () => {
    expect(drillFacts('M48\nINCH,LZ\nT1C0.0394\nT2C0.125\n%\nT1\nX01000Y01000\nX02000Y01000\nM30\n')).toEqual({
      holes: 2,
      smallestHole: 1.001,
    });
    expect(drillFacts('M48\nMETRIC\nT1C1.0\nT2C0.3\n%\nT1\nX1.0Y1.0\nT2\nX2.0Y2.0G85X3.0Y2.0\nM30\n')).toEqual({
      holes: 2,
      smallestHole: 0.3,
    });
    expect(drillFacts('M48\nMETRIC\nT1C1.0\n%\nM30\n')).toEqual({ holes: 0, smallestHole: null });
  });
});

describe('hostile board files', () => {
  const board = makeBoard();
  const withCopper = (body: string) =>
    filesOf(board).map((f) =>
      f.path === 'board-F_Cu.gbr'
        ? { path: f.path, bytes: text.encode(`%FSLAX46Y46*%\n%MOMM*%\n%ADD10C,1*%\n${body}\nM02*\n`) }
        : f,
    );

  it('refuses a huge step and repeat, deep aperture blocks, far coordinates and too many files', async () => {
    await expect(drawBoard(withCopper('%SRX1000Y1000I1J1*%\nD10*\nX0Y0D03*\n%SR*%'), options)).rejects.toThrow(
      new BoardReadError('board-F_Cu.gbr repeats its pattern 1000000 times (step and repeat); at most 2500 are drawn'),
    );
    const nested = Array.from({ length: 6 }, (_, i) => `%ABD${20 + i}*%`).join('\n');
    await expect(drawBoard(withCopper(nested), options)).rejects.toThrow(/nests aperture blocks more than 4 deep/);
    await expect(drawBoard(withCopper('D10*\nX999999999999Y0D03*'), options)).rejects.toThrow(
      /board-F_Cu.gbr has a coordinate X999999999999 outside the ±2000 mm/,
    );
    await expect(drawBoard(filesOf(board), { ...options, limits: { files: 3 } })).rejects.toThrow(
      'the board has 7 fabrication files; at most 3 are read',
    );
  });

  it('refuses a board of drill files only, and a file that is not a board file', async () => {
    await expect(
      drawBoard(
        filesOf(board).filter((f) => f.path.endsWith('.drl')),
        options,
      ),
    ).rejects.toThrow(/no copper or outline layer/);
    await expect(
      drawBoard([...filesOf(board), { path: 'notes.gbr', bytes: text.encode('hello') }], options),
    ).rejects.toThrow('notes.gbr is neither a Gerber nor an Excellon drill file');
  });
});
