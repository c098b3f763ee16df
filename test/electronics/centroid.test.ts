// Pick-and-place files as KiCad, JLCPCB/EasyEDA and Altium write them → placements in mm; fixtures written here.
import { describe, expect, it } from 'vitest';
import {
  CentroidReadError,
  isCentroidFile,
  placementsOf,
  readCentroid,
} from '../../server/src/electronics/centroid.js';

const kicadAscii = `### Footprint positions - created on 2026-12-07 08:00:00 ###
### Printed by KiCad version 8.0.4
## Unit = mm, Angle = deg.
## Side : All
# Ref     Val         Package                      PosX       PosY       Rot  Side
C1        100n        C_0603_1608Metric        120.0000   -80.5000   90.0000  top
R1        10k         R_0603_1608Metric        131.2500   -75.0000  -90.0000  top
U1        ATmega328P  TQFP-32_7x7mm_P0.8mm     140.0000   -90.0000    0.0000  bottom
## End
`;

describe('readCentroid', () => {
  it('reads a KiCad ASCII .pos, negative rotations folded into [0, 360)', () => {
    expect(placementsOf(kicadAscii, 'board-all.pos')).toEqual([
      { designator: 'C1', x: 120, y: -80.5, rotation: 90, side: 'top' },
      { designator: 'R1', x: 131.25, y: -75, rotation: 270, side: 'top' },
      { designator: 'U1', x: 140, y: -90, rotation: 0, side: 'bottom' },
    ]);
  });

  it('converts a KiCad .pos in inches to mm', () => {
    const inches = kicadAscii.replace('## Unit = mm', '## Unit = inches').replace('120.0000', '1.0000');
    expect(readCentroid(inches).placements[0]).toEqual({
      designator: 'C1',
      x: 25.4,
      y: -2044.7,
      rotation: 90,
      side: 'top',
    });
  });

  it('reads a KiCad CSV .pos', () => {
    const csv =
      'Ref,Val,Package,PosX,PosY,Rot,Side\n"C1","100n","C_0603_1608Metric",120.000000,-80.500000,90.000000,top\n';
    expect(placementsOf(csv, 'board-pos.csv')).toEqual([
      { designator: 'C1', x: 120, y: -80.5, rotation: 90, side: 'top' },
    ]);
  });

  it('reads a JLCPCB/EasyEDA CPL: units in the cells, the centre (Mid X) rather than Ref X, layer T/B', () => {
    const csv =
      'Designator,Footprint,Mid X,Mid Y,Ref X,Ref Y,Pad X,Pad Y,Layer,Rotation,Comment\n' +
      'C1,C0603,12.5mm,30mm,11mm,29mm,10mm,29mm,T,180,100nF\n' +
      'U1,QFN-32,1000mil,-0.5in,0,0,0,0,B,270,ESP32-C3\n';
    expect(placementsOf(csv, 'CPL_board.csv')).toEqual([
      { designator: 'C1', x: 12.5, y: 30, rotation: 180, side: 'top' },
      { designator: 'U1', x: 25.4, y: -12.7, rotation: 270, side: 'bottom' },
    ]);
  });

  it('reads an Altium pick-and-place after its preamble, the unit named in the headers', () => {
    const csv =
      'Altium Designer Pick and Place Locations\nUnits used: mil\n\n' +
      '"Designator","Comment","Layer","Footprint","Center-X(mm)","Center-Y(mm)","Rotation","Description"\n' +
      '"R1","10k","TopLayer","0603","5.0000","7.2500","90","Resistor"\n' +
      '"D1","LED","BottomLayer","0805","8.0000","7.2500","0","LED"\n';
    expect(placementsOf(csv, 'Pick Place for board.txt')).toEqual([
      { designator: 'R1', x: 5, y: 7.25, rotation: 90, side: 'top' },
      { designator: 'D1', x: 8, y: 7.25, rotation: 0, side: 'bottom' },
    ]);
  });

  it('reads semicolons with decimal commas, and skips rows it cannot read, saying why', () => {
    const reading = readCentroid('Designator;X;Y;Rotation;Side\nR1;1,5;2,25;90;top\nR2;abc;1;0;top\nR3;1;1;0;middle\n');
    expect(reading.placements).toEqual([{ designator: 'R1', x: 1.5, y: 2.25, rotation: 90, side: 'top' }]);
    expect(reading.skipped).toEqual([
      { line: 3, reason: 'R2: X and Y must be numbers' },
      { line: 4, reason: 'R3: the side "middle" is neither top nor bottom' },
    ]);
  });

  it('refuses a file with no designator/X/Y header, and files over its limits', () => {
    expect(() => readCentroid('Qty,Part Number\n1,A\n')).toThrow(CentroidReadError);
    const limits = { maxChars: 1000, maxLines: 5, maxLineChars: 50 };
    expect(() => readCentroid('x'.repeat(1001), limits)).toThrow(/over the limit of 1000/);
    expect(() => readCentroid('Ref,X,Y\n'.repeat(6), limits)).toThrow(/lines, over the limit of 5/);
    expect(() => readCentroid(`Ref,X,Y\nR1,${'1'.repeat(60)},1\n`, limits)).toThrow(/line 2 is longer/);
  });
});

describe('isCentroidFile', () => {
  it('knows a centroid file by its header, whatever it is called', () => {
    expect(isCentroidFile('board-all.pos', kicadAscii)).toBe(true);
    expect(isCentroidFile('anything.csv', 'Designator,Mid X,Mid Y,Layer,Rotation\nC1,1mm,1mm,T,0\n')).toBe(true);
  });

  it('does not take a BOM, a binary file or a CAD file for one', () => {
    expect(isCentroidFile('bom.csv', 'Reference,Value,Footprint,Qty\nR1,10k,R0603,1\n')).toBe(false);
    expect(isCentroidFile('board.pos', 'Ref\0,X,Y,Rot\n')).toBe(false);
    expect(isCentroidFile('part.stl', 'Ref,X,Y,Rot\nR1,1,1,0\n')).toBe(false);
    expect(() => placementsOf('Reference,Value,Qty\nR1,10k,1\n', 'bom.csv')).toThrow(CentroidReadError);
  });
});
