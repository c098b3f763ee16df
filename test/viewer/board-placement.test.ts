// What the 3D viewer makes of a version's circuit boards, without a browser: the manifest's placements read
// leniently, a board's slab (size, thickness, pictures), which boards join the assembly, and `?board=` alone.
import { describe, expect, it } from 'vitest';
import {
  boardPlacementOf,
  defaultBoardThickness,
  meshUnitMm,
  placedSlabs,
  slabOf,
  slabsToShow,
  type VersionBoard,
} from '../../web/src/viewer/board-placement.js';

const at = '/api/designs/ana/charger/versions/1.0.0/boards';
function board(id: string, facts: { width: number; height: number } | null, state = 'done' as const): VersionBoard {
  return {
    id,
    name: id.split('/').pop()!,
    layers: [],
    facts: facts && { ...facts, copperLayers: 2, holes: 6, smallestHole: 0.8 },
    pipeline: { state },
    previews: { top: `${at}/${encodeURIComponent(id)}/top`, bottom: `${at}/${encodeURIComponent(id)}/bottom` },
  };
}

const controller = board('electronics/controller', { width: 18.7, height: 8.54 });
const display = board('electronics/display', { width: 30, height: 20 });
const manifest = {
  version: '1.0.0',
  boards: { 'electronics/controller': { position: [60, 0, 12], rotation: [0, 0, 90], thickness: 1.2 } },
};

describe('board placements in the manifest', () => {
  it('reads position, rotation and thickness, and leaves out what is not what the schema says', () => {
    expect(boardPlacementOf(manifest, 'electronics/controller')).toEqual({
      position: [60, 0, 12],
      rotation: [0, 0, 90],
      thickness: 1.2,
    });
    const odd = { boards: { b: { position: [1, 2], rotation: ['0', 0, 0], thickness: -1 } } };
    expect(boardPlacementOf(odd, 'b')).toEqual({ position: undefined, rotation: undefined, thickness: undefined });
    expect(boardPlacementOf({ boards: [] }, 'b')).toEqual({});
    expect(boardPlacementOf(null, 'b')).toEqual({});
    // a board id is a folder path, never a way into the object's prototype
    expect(boardPlacementOf({ boards: {} }, 'constructor')).toEqual({});
    expect(boardPlacementOf({ boards: {} }, '__proto__')).toEqual({});
  });

  it('makes a slab of the board’s size, the manifest’s thickness or 1.6 mm, and its 1024 px PNG pictures', () => {
    const slab = slabOf(controller, manifest, true)!;
    expect(slab).toMatchObject({ width: 18.7, height: 8.54, thickness: 1.2 });
    expect(slab.placement).toEqual({ position: [60, 0, 12], rotation: [0, 0, 90] });
    expect(slab.pictures).toEqual({
      top: `${at}/electronics%2Fcontroller/top?size=1024&format=png`,
      bottom: `${at}/electronics%2Fcontroller/bottom?size=1024&format=png`,
    });
    expect(slabOf(display, manifest, true)).toMatchObject({ thickness: defaultBoardThickness, placement: null });
    // alone, the same board is not moved
    expect(slabOf(controller, manifest, false)!.placement).toBeNull();
    // a position without a rotation is not turned
    expect(slabOf(display, { boards: { 'electronics/display': { position: [1, 2, 3] } } }, true)!.placement).toEqual({
      position: [1, 2, 3],
      rotation: [0, 0, 0],
    });
  });

  it('has no slab for a board not drawn yet, and no pictures for one that failed', () => {
    expect(slabOf(board('b', null, 'queued' as never), manifest, false)).toBeNull();
    const failed = { ...board('b', { width: 10, height: 5 }), pipeline: { state: 'failed' as const, error: 'x' } };
    expect(slabOf(failed, manifest, false)!.pictures).toBeNull();
  });

  it('adds only the boards the manifest positions to the assembly', () => {
    expect(placedSlabs([controller, display], manifest).map((s) => s.id)).toEqual(['electronics/controller']);
    expect(placedSlabs([controller, display], { version: '1.0.0' })).toEqual([]);
    expect(placedSlabs(undefined, manifest)).toEqual([]);
  });

  it('takes the manifest’s units for unitless meshes', () => {
    expect(meshUnitMm({ units: 'cm' })).toBe(10);
    expect(meshUnitMm({ units: 'in' })).toBe(25.4);
    expect(meshUnitMm({})).toBe(1);
    expect(meshUnitMm({ units: 'furlong' })).toBe(1);
  });
});

describe('which boards the viewer shows', () => {
  const boards = [controller, display];

  it('shows the assembly with the placed boards', () => {
    expect(slabsToShow(boards, manifest, null, null)).toEqual({
      alone: false,
      slabs: [slabOf(controller, manifest, true)],
    });
  });

  it('shows a file opened on its own without boards', () => {
    expect(slabsToShow(boards, manifest, 'frame.stl', null)).toEqual({ alone: false, slabs: [] });
  });

  it('shows one board alone for ?board=, unplaced, whatever file was open', () => {
    expect(slabsToShow(boards, manifest, 'frame.stl', 'electronics/display')).toEqual({
      alone: true,
      board: display,
      slab: slabOf(display, manifest, false),
    });
    // placed in the assembly, but alone it stays where its own frame puts it, with the manifest's thickness
    expect(slabsToShow(boards, manifest, null, 'electronics/controller')).toMatchObject({
      alone: true,
      slab: { placement: null, thickness: 1.2 },
    });
  });

  it('shows nothing for a board the version does not have, or one not drawn yet', () => {
    expect(slabsToShow(boards, manifest, null, 'nowhere')).toEqual({ alone: true, board: undefined, slab: null });
    const pending = board('b', null, 'running' as never);
    expect(slabsToShow([pending], manifest, null, 'b')).toEqual({ alone: true, board: pending, slab: null });
  });
});
