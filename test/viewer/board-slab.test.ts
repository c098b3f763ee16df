// The board slab's faces show the board the right way round: each face's texture coordinates, read against the very
// pictures the pipeline draws of a board whose pads are all on one side (bottom seen from below, so mirrored), land on
// a pad where the board has one and on bare mask where the other way round would put one. And a placement moves the
// slab's corner where the manifest says.
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { Vector3 } from 'three';
import { makeBoard, type BoardFixture } from '../helpers/board-fixture.js';
import { drawBoard } from '../../server/src/electronics/render.js';
import { buildBoardSlab, pictureUv, type BoardFace } from '../../web/src/viewer/board-slab.js';
import type { SlabSpec } from '../../web/src/viewer/board-placement.js';

type Picture = { data: Buffer; size: number };
/** Pad copper is gold (red well above blue); solder mask is green (green above red). */
const isCopper = ([r, g, b]: number[]) => r > 150 && r > b + 60 && r > g;
const isMask = ([r, g, b]: number[]) => g > r + 15 && g > b + 15;

function pixelAt(picture: Picture, [u, v]: [number, number]): number[] {
  const x = Math.min(picture.size - 1, Math.floor(u * picture.size));
  const y = Math.min(picture.size - 1, Math.floor((1 - v) * picture.size)); // v up, rows down
  const at = (y * picture.size + x) * 4;
  return [...picture.data.subarray(at, at + 4)];
}

const spec = (fixture: BoardFixture, placement: SlabSpec['placement'] = null): SlabSpec => ({
  id: 'root',
  name: 'board',
  width: fixture.width,
  height: fixture.height,
  thickness: 1.6,
  pictures: null,
  placement,
});

describe('board slab', () => {
  const fixture = makeBoard({ pads: 6, traces: 0 });
  const pictures = {} as Record<BoardFace, Picture>;

  beforeAll(async () => {
    const files = Object.entries(fixture.files).map(([path, text]) => ({
      path,
      bytes: new TextEncoder().encode(text),
    }));
    const drawing = await drawBoard(files, { sizes: [1024], formats: ['png'] });
    for (const view of drawing.views) {
      const data = await sharp(Buffer.from(view.pictures[0].bytes)).ensureAlpha().raw().toBuffer();
      pictures[view.view] = { data, size: 1024 };
    }
  });

  it('the fixture is lopsided: mirrored left to right, a pad centre falls on bare board', () => {
    const [x, y] = fixture.padCentres[0];
    const mirrored = fixture.width - x;
    expect(fixture.padCentres.every(([px, py]) => Math.hypot(px - mirrored, py - y) > fixture.padDiameter)).toBe(true);
  });

  for (const face of ['top', 'bottom'] as const) {
    it(`maps the ${face} face's pads onto the pads of the ${face} picture`, () => {
      const { width, height } = fixture;
      for (const [x, y] of fixture.padCentres) {
        // half-way between hole and pad edge: copper ring, not the drilled hole
        const ring = x + (fixture.holeDiameter + fixture.padDiameter) / 4;
        expect(isCopper(pixelAt(pictures[face], pictureUv(face, ring, y, width, height))), `pad at ${x},${y}`).toBe(
          true,
        );
        // the board mirrored the wrong way would put this pad on bare mask
        const wrong: BoardFace = face === 'top' ? 'bottom' : 'top';
        expect(isMask(pixelAt(pictures[face], pictureUv(wrong, ring, y, width, height)))).toBe(true);
      }
      expect(isMask(pixelAt(pictures[face], pictureUv(face, ...fixture.emptyPoint, width, height)))).toBe(true);
    });
  }

  it('gives the box’s top and bottom faces those texture coordinates, the board frame at the bottom corner', () => {
    const { mesh } = buildBoardSlab(spec(fixture));
    const geometry = mesh.geometry;
    geometry.computeBoundingBox();
    geometry.boundingBox!.min.toArray().forEach((n) => expect(n).toBeCloseTo(0));
    expect(geometry.boundingBox!.max.x).toBeCloseTo(fixture.width);
    expect(geometry.boundingBox!.max.z).toBeCloseTo(1.6);
    const position = geometry.getAttribute('position');
    const uv = geometry.getAttribute('uv');
    let checked = 0;
    for (const group of geometry.groups) {
      const face = group.materialIndex === 4 ? 'top' : group.materialIndex === 5 ? 'bottom' : null;
      if (!face) continue;
      for (let i = group.start; i < group.start + group.count; i++) {
        const vertex = geometry.index!.getX(i);
        expect(position.getZ(vertex)).toBeCloseTo(face === 'top' ? 1.6 : 0);
        const [u, v] = pictureUv(face, position.getX(vertex), position.getY(vertex), fixture.width, fixture.height);
        expect(uv.getX(vertex)).toBeCloseTo(u);
        expect(uv.getY(vertex)).toBeCloseTo(v);
        checked++;
      }
    }
    expect(checked).toBe(12);
  });

  it('rotates (degrees, X then Y then Z) and then moves the slab by its placement', () => {
    const { object } = buildBoardSlab(spec(fixture, { position: [100, 20, 5], rotation: [0, 0, 90] }));
    object.updateMatrixWorld(true);
    const corner = new Vector3(0, 0, 0).applyMatrix4(object.matrixWorld);
    expect(corner.toArray().map((n) => Math.round(n * 1000) / 1000)).toEqual([100, 20, 5]);
    // turned 90° about Z: the board's width now runs along +y
    const along = new Vector3(fixture.width, 0, 0).applyMatrix4(object.matrixWorld);
    expect(along.x).toBeCloseTo(100);
    expect(along.y).toBeCloseTo(20 + fixture.width);
    // flipped over about X: the top face looks down
    const flipped = buildBoardSlab(spec(fixture, { position: [0, 0, 0], rotation: [180, 0, 0] })).object;
    flipped.updateMatrixWorld(true);
    expect(new Vector3(0, 0, 1.6).applyMatrix4(flipped.matrixWorld).z).toBeCloseTo(-1.6);
  });
});
