// Known answers for the cut list (first-fit decreasing with kerf) and for the BOM diff.
import { describe, expect, it } from 'vitest';
import { cutList, diffBom, type BomLine } from '../../server/src/bom/index.js';

describe('cutList', () => {
  const lines: BomLine[] = [
    { position: '1', name: 'Square tube 40x40x3', quantity: '4', unit: 'pcs', cutLength: '1550' },
    { position: '2', name: 'Square tube 40x40x3', quantity: '5', unit: 'm', notes: 'cut 2 x 2500 mm' },
    { position: '3', name: 'Angle 30x30x3', material: 'S235', quantity: '7.5', unit: 'm' },
    { position: '4', name: 'Bolt M12x40', quantity: '16', unit: 'pcs' },
    { position: '5', name: 'Hydraulic hose', quantity: '3', unit: 'm' },
  ];

  it('packs pieces into 6 m bars with a 3 mm kerf', () => {
    const list = cutList(lines, { units: 1, stockMm: 6000, kerfMm: 3 });
    expect(list).toEqual({
      groups: [
        {
          key: 'square tube 40x40x3', name: 'Square tube 40x40x3', stockMm: '6000',
          cuts: [{ lengthMm: '2500', count: 2, position: '2' }, { lengthMm: '1550', count: 4, position: '1' }],
          bars: [
            { cuts: [{ lengthMm: '2500', position: '2' }, { lengthMm: '2500', position: '2' }], offcutMm: '994' },
            { cuts: [{ lengthMm: '1550', position: '1' }, { lengthMm: '1550', position: '1' }, { lengthMm: '1550', position: '1' }], offcutMm: '1341' },
            { cuts: [{ lengthMm: '1550', position: '1' }], offcutMm: '4447' },
          ],
          barsNeeded: 3, wasteMm: '6800',
        },
        {
          key: 'angle 30x30x3 | s235', name: 'Angle 30x30x3', material: 'S235', stockMm: '6000',
          cuts: [{ lengthMm: '6000', count: 1, position: '3' }, { lengthMm: '1500', count: 1, position: '3' }],
          bars: [{ cuts: [{ lengthMm: '6000', position: '3' }], offcutMm: '0' }, { cuts: [{ lengthMm: '1500', position: '3' }], offcutMm: '4497' }],
          barsNeeded: 2, wasteMm: '4500',
        },
      ],
      totalWasteMm: '11300',
      warnings: [],
    });
  });

  it('scales pieces with units and sub-assemblies, and reports pieces longer than the stock', () => {
    const frame: BomLine[] = [{ position: '1', name: 'Frame', quantity: '2', unit: 'pcs', children: [{ position: '1.1', name: 'Flat bar 50x6', quantity: '3', unit: 'pcs', cutLength: '2000' }, { position: '1.2', name: 'Round tube 42', quantity: '1', unit: 'pcs', cutLength: '7000' }] }];
    const list = cutList(frame, { units: 2, stockMm: 6000, kerfMm: 3 });
    expect(list.groups.map((group) => [group.key, group.cuts, group.barsNeeded, group.wasteMm])).toEqual([
      // 2 machines × 2 frames × 3 pieces of 2000 mm; 2 fit per bar once kerf is counted.
      ['flat bar 50x6', [{ lengthMm: '2000', count: 12, position: '1.1' }], 6, '12000'],
    ]);
    expect(list.warnings).toEqual(Array(4).fill({ position: '1.2', message: 'a 7000 mm piece is longer than the 6000 mm stock; left out' }));
  });
});

describe('diffBom', () => {
  const from: BomLine[] = [
    {
      position: '1', partNumber: 'FR-01', name: 'Frame weldment', quantity: '1', unit: 'pcs', unitCost: '0', currency: 'USD',
      children: [
        { position: '1.1', partNumber: 'ST-40', name: 'Square tube 40x40x3', quantity: '6.2', unit: 'm', unitCost: '4.10', currency: 'USD', suppliers: [{ name: 'Local steel' }] },
        { position: '1.2', partNumber: 'BL-M12', name: 'Bolt M12x40', quantity: '16', unit: 'pcs', unitCost: '0.35', currency: 'USD', suppliers: [{ name: 'Fastenal' }] },
      ],
    },
    { position: '2', partNumber: 'HY-CYL', name: 'Hydraulic cylinder', quantity: '1', unit: 'pcs', unitCost: '189', currency: 'USD' },
    { position: '3', name: 'Grease nipple', quantity: '2', unit: 'pcs', unitCost: '0.5', currency: 'USD' },
  ];
  const to: BomLine[] = [
    {
      position: '1', partNumber: 'FR-01', name: 'Frame weldment', quantity: '1', unit: 'pcs', unitCost: '0', currency: 'USD',
      children: [
        { position: '1.1', partNumber: 'ST-40', name: 'Square tube 40x40x3', quantity: '6.5', unit: 'm', unitCost: '4.1', currency: 'USD', suppliers: [{ name: 'Local steel' }] },
        { position: '1.2', partNumber: 'BL-M12', name: 'Bolt M12x40', quantity: '16', unit: 'pcs', unitCost: '0.35', currency: 'USD', suppliers: [{ name: 'Grainger' }] },
      ],
    },
    { position: '2', partNumber: 'PU-01', name: 'Gear pump', quantity: '1', unit: 'pcs', unitCost: '250', currency: 'USD' },
    { position: '3', name: 'grease nipple', quantity: '2', unit: 'pcs', unitCost: '0.6', currency: 'USD' },
  ];

  it('lists added, removed and changed lines and the cost delta', () => {
    expect(diffBom(from, to)).toEqual({
      added: [{ position: '2', partNumber: 'PU-01', name: 'Gear pump', quantity: '1', unit: 'pcs', unitCost: '250', currency: 'USD' }],
      removed: [{ position: '2', partNumber: 'HY-CYL', name: 'Hydraulic cylinder', quantity: '1', unit: 'pcs', unitCost: '189', currency: 'USD' }],
      changed: [
        {
          key: 'pn:ST-40', partNumber: 'ST-40', name: 'Square tube 40x40x3', changes: { quantity: { from: '6.2', to: '6.5' } },
          from: expect.objectContaining({ position: '1.1', quantity: '6.2', unit: 'm' }), to: expect.objectContaining({ position: '1.1', quantity: '6.5', unit: 'm' }),
        },
        {
          key: 'pn:BL-M12', partNumber: 'BL-M12', name: 'Bolt M12x40', changes: { supplier: { from: 'Fastenal', to: 'Grainger' } },
          from: expect.objectContaining({ quantity: '16', suppliers: [{ name: 'Fastenal' }] }), to: expect.objectContaining({ quantity: '16', suppliers: [{ name: 'Grainger' }] }),
        },
        {
          key: 'name:grease nipple', name: 'grease nipple', changes: { unitCost: { from: '0.5', to: '0.6' } },
          from: expect.objectContaining({ name: 'Grease nipple', unitCost: '0.5' }), to: expect.objectContaining({ name: 'grease nipple', unitCost: '0.6' }),
        },
      ],
      unchanged: 1,
      // 283.45 − 221.02
      costDelta: { USD: '62.43' },
    });
  });

  it('sees a quantity restated in another unit as a unit change only', () => {
    const a: BomLine[] = [{ position: '1', partNumber: 'ST-40', name: 'Tube', quantity: '6.2', unit: 'm' }];
    const b: BomLine[] = [{ position: '1', partNumber: 'ST-40', name: 'Tube', quantity: '6200', unit: 'mm' }];
    expect(diffBom(a, b).changed).toEqual([{ key: 'pn:ST-40', partNumber: 'ST-40', name: 'Tube', changes: { unit: { from: 'm', to: 'mm' } }, from: a[0], to: b[0] }]);
  });
});
