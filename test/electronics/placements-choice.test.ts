// Which of a version's files are a board's pick-and-place files, and when placements are said to miss the board.
import { describe, expect, it } from 'vitest';
import {
  centroidCandidates,
  frameFromSvgRoot,
  mergePlacements,
  originMismatch,
  unplacedDesignators,
} from '../../server/src/electronics/placements.js';

const place = (designator: string, x: number, y: number) => ({ designator, x, y, rotation: 0, side: 'top' as const });

describe('centroidCandidates', () => {
  const paths = [
    'README.md',
    'bom.csv',
    'board-all.pos',
    'pcb/main/main-top.pos',
    'pcb/main/main-bottom.pos',
    'pcb/main/main-F_Cu.gbr',
    'pcb/main/assembly/cpl.csv',
    'pcb/aux/aux-pos.csv',
    'docs/notes.txt',
  ];

  it("takes the board's own folder first, then its sub-folders", () => {
    expect(centroidCandidates(paths, 'pcb/main', ['pcb/main', 'pcb/aux'])).toEqual([
      ['pcb/main/main-bottom.pos', 'pcb/main/main-top.pos'],
      ['pcb/main/assembly/cpl.csv'],
    ]);
  });

  it("never takes another board's files, and looks elsewhere in the version only for its one board", () => {
    expect(centroidCandidates(paths, 'pcb/aux', ['pcb/main', 'pcb/aux'])).toEqual([['pcb/aux/aux-pos.csv']]);
    expect(centroidCandidates(paths, 'root', ['root', 'pcb/main'])).toEqual([
      ['board-all.pos', 'bom.csv'],
      ['docs/notes.txt', 'pcb/aux/aux-pos.csv'],
    ]);
    expect(centroidCandidates(['pcb/x-F_Cu.gbr', 'assembly/x.pos', 'x.csv'], 'pcb', ['pcb'])).toEqual([
      ['assembly/x.pos', 'x.csv'],
    ]);
  });
});

describe('placements of a board', () => {
  it('keeps the first file’s placement of a designator and lists the BOM’s unplaced ones once, in order', () => {
    const merged = mergePlacements([[place('R1', 1, 1)], [place('R1', 9, 9), place('C1', 2, 2)]]);
    expect(merged).toEqual([place('R1', 1, 1), place('C1', 2, 2)]);
    expect(unplacedDesignators(['R1', 'D2', 'C1', 'D1', 'D2'], merged)).toEqual(['D2', 'D1']);
  });

  it('says the origin does not match when most parts lie off the board, not for one edge connector', () => {
    const frame = { x: 100, y: -120, width: 40, height: 20 };
    const onBoard = [place('R1', 110, -110), place('R2', 120, -105), place('J1', 141.5, -110)];
    expect(originMismatch(frame, onBoard)).toBe(false);
    expect(originMismatch(frame, [...onBoard, place('X1', 10, 10), place('X2', 12, 10)])).toBe(false);
    expect(
      originMismatch(
        frame,
        onBoard.map((p) => ({ ...p, x: p.x - 100, y: p.y + 120 })),
      ),
    ).toBe(true);
    expect(originMismatch(frame, [])).toBe(false);
  });

  it("reads the frame from an SVG root's view box, in thousandths of the files' unit", () => {
    const svg = '<svg version="1.1" viewBox="100000 -120000 18700 8540" width="18.7mm" height="8.54mm"><g/></svg>';
    expect(frameFromSvgRoot(svg, { width: 18.7, height: 8.54 })).toEqual({
      x: 100,
      y: -120,
      width: 18.7,
      height: 8.54,
    });
    // in inches: 1000 units an inch
    const inches = '<svg viewBox="1000 -2000 500 250">';
    expect(frameFromSvgRoot(inches, { width: 12.7, height: 6.35 })).toEqual({
      x: 25.4,
      y: -50.8,
      width: 12.7,
      height: 6.35,
    });
    expect(frameFromSvgRoot('<svg width="1mm">', { width: 1, height: 1 })).toBeUndefined();
  });
});
