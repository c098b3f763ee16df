// Known answers for the cut list (first-fit decreasing with kerf) and for the BOM diff.
import { describe, expect, it } from 'vitest';
import { cutList, diffBom, parseBom, type BomLine } from '../../server/src/bom/kernel/index.js';

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
          key: 'square tube 40x40x3',
          name: 'Square tube 40x40x3',
          stockMm: '6000',
          cuts: [
            { lengthMm: '2500', count: 2, position: '2' },
            { lengthMm: '1550', count: 4, position: '1' },
          ],
          bars: [
            {
              cuts: [
                { lengthMm: '2500', position: '2' },
                { lengthMm: '2500', position: '2' },
              ],
              offcutMm: '994',
            },
            {
              cuts: [
                { lengthMm: '1550', position: '1' },
                { lengthMm: '1550', position: '1' },
                { lengthMm: '1550', position: '1' },
              ],
              offcutMm: '1341',
            },
            { cuts: [{ lengthMm: '1550', position: '1' }], offcutMm: '4447' },
          ],
          barsNeeded: 3,
          wasteMm: '6800',
        },
      ],
      totalWasteMm: '6800',
      // 7.5 m of angle with no cut length: its pieces are unknown, so it is named, not cut into bars.
      lengthUnknown: [{ position: '3', name: 'Angle 30x30x3', material: 'S235', totalMm: '7500' }],
      warnings: [
        {
          position: '2',
          code: 'cut-lengths-from-notes',
          values: { pieces: '"2 x 2500 mm"' },
          message:
            'cut lengths read from the notes ("2 x 2500 mm"); give the line a cut length so the cut list does not rest on wording',
        },
        {
          position: '3',
          code: 'cut-length-unknown',
          values: { name: 'Angle 30x30x3', totalMm: '7500' },
          message:
            'Angle 30x30x3: length unknown, only a total of 7500 mm is known; give the line a cut length (a "Cut length" column, or cutLength in JSON) to list its cuts',
        },
      ],
    });
  });

  it('scales pieces with units and sub-assemblies, and reports pieces longer than the stock', () => {
    const frame: BomLine[] = [
      {
        position: '1',
        name: 'Frame',
        quantity: '2',
        unit: 'pcs',
        children: [
          { position: '1.1', name: 'Flat bar 50x6', quantity: '3', unit: 'pcs', cutLength: '2000' },
          { position: '1.2', name: 'Round tube 42', quantity: '1', unit: 'pcs', cutLength: '7000' },
        ],
      },
    ];
    const list = cutList(frame, { units: 2, stockMm: 6000, kerfMm: 3 });
    expect(list.groups.map((group) => [group.key, group.cuts, group.barsNeeded, group.wasteMm])).toEqual([
      // 2 machines × 2 frames × 3 pieces of 2000 mm; 2 fit per bar once kerf is counted.
      ['flat bar 50x6', [{ lengthMm: '2000', count: 12, position: '1.1' }], 6, '12000'],
    ]);
    expect(list.warnings).toEqual(
      Array(4).fill({
        position: '1.2',
        code: 'piece-longer-than-stock',
        values: { length: '7000', stock: '6000' },
        message: 'a 7000 mm piece is longer than the 6000 mm stock; left out',
      }),
    );
  });
});

describe('cutList: where piece lengths come from', () => {
  it('reads the cut length from a "Cut length" / "Length (mm)" / "Cut len" column of a CSV, without a warning', () => {
    for (const header of ['Cut length', 'Length (mm)', 'Cut len', 'Cut Length (mm)']) {
      const csv = `Pos,Description,Material,Qty,Unit,${header}\n1,Leg,square tube 50x50x3,3.72,m,930\n`;
      const parsed = parseBom(Buffer.from(csv), 'bom.csv');
      expect(parsed.lines[0]!.cutLength, header).toBe('930');
      const list = cutList(parsed.lines, { units: 10, stockMm: 6000, kerfMm: 3 });
      // 3.72 m per machine ÷ 930 mm = 4 legs; × 10 machines = 40 pieces. 6 fit a bar: 6 × 930 + 5 × 3 = 5595 mm ≤ 6000.
      expect(list.groups[0]!.cuts, header).toEqual([{ lengthMm: '930', count: 40, position: '1' }]);
      expect(list.groups[0]!.barsNeeded, header).toBe(7); // ceil(40 / 6)
      expect(list.warnings, header).toEqual([]);
    }
  });

  it('reads counts with words between the count and the x from notes, and warns that it did', () => {
    const lines: BomLine[] = [
      {
        position: '1',
        name: 'Leg',
        material: 'square tube 2in x 2in',
        quantity: '3.72',
        unit: 'm',
        notes: '4 legs x 930 mm',
      },
      {
        position: '2',
        name: 'Rail',
        material: 'flat bar 40x5',
        quantity: '2',
        unit: 'pcs',
        notes: '2 pcs @ 800mm, deburr',
      },
      {
        position: '3',
        name: 'Brace',
        material: 'angle 40 x 40 x 3 mm',
        quantity: '1',
        unit: 'm',
        notes: 'tube 40 x 40 x 3 mm',
      },
    ];
    const list = cutList(lines, { units: 1 });
    expect(list.groups.map((group) => group.cuts)).toEqual([
      [{ lengthMm: '930', count: 4, position: '1' }],
      [{ lengthMm: '800', count: 2, position: '2' }],
    ]);
    expect(list.warnings.map((warning) => warning.position)).toEqual(['1', '2', '3']);
    expect(list.warnings[0]!.message).toContain('read from the notes ("4 legs x 930 mm")');
    expect(list.warnings[1]!.message).toContain('("2 pcs @ 800mm")');
    // "40 x 40 x 3 mm" is a profile, not 40 pieces of 3 mm: the brace's lengths are unknown.
    expect(list.warnings[2]!.message).toContain('length unknown');
  });

  it('cuts lines whose material names the same profile from shared bars', () => {
    const tube = 'ASTM A36 square tube 2in x 2in x 3/16in';
    const lines: BomLine[] = [
      { position: '1.1', name: 'Leg', material: tube, quantity: '4', unit: 'pcs', cutLength: '930' },
      { position: '1.2', name: 'Ring rail', material: tube, quantity: '2', unit: 'pcs', cutLength: '1200' },
      { position: '1.3', name: 'Bolt', material: 'steel', quantity: '2', unit: 'pcs' },
    ];
    const list = cutList(lines, { units: 1, stockMm: 6000, kerfMm: 3 });
    // 2 × 1200 + 4 × 930 = 6120 mm plus kerf: more than one 6000 mm bar, so two bars of the one profile
    expect(
      list.groups.map((group) => [
        group.name,
        group.material,
        group.cuts.map((cut) => `${cut.count} × ${cut.lengthMm} (${cut.position})`),
        group.barsNeeded,
      ]),
    ).toEqual([[tube, undefined, ['2 × 1200 (1.2)', '4 × 930 (1.1)'], 2]]);
  });

  it('lists a line with only a total length as length unknown: no cuts, no bars, no whole-bar offcuts', () => {
    const lines: BomLine[] = [
      { position: '1.5', name: 'Diagonal brace', material: 'square tube 1.5in', quantity: '12.4', unit: 'm' },
    ];
    const list = cutList(lines, { units: 1, stockMm: 6000 });
    expect(list.groups).toEqual([]);
    expect(list.totalWasteMm).toBe('0');
    expect(list.lengthUnknown).toEqual([
      { position: '1.5', name: 'Diagonal brace', material: 'square tube 1.5in', totalMm: '12400' },
    ]);
    expect(list.warnings).toEqual([
      {
        position: '1.5',
        code: 'cut-length-unknown',
        values: { name: 'Diagonal brace', totalMm: '12400' },
        message: expect.stringMatching(/^Diagonal brace: length unknown/),
      },
    ]);
  });
});

describe('diffBom', () => {
  const from: BomLine[] = [
    {
      position: '1',
      partNumber: 'FR-01',
      name: 'Frame weldment',
      quantity: '1',
      unit: 'pcs',
      unitCost: '0',
      currency: 'USD',
      children: [
        {
          position: '1.1',
          partNumber: 'ST-40',
          name: 'Square tube 40x40x3',
          quantity: '6.2',
          unit: 'm',
          unitCost: '4.10',
          currency: 'USD',
          suppliers: [{ name: 'Local steel' }],
        },
        {
          position: '1.2',
          partNumber: 'BL-M12',
          name: 'Bolt M12x40',
          quantity: '16',
          unit: 'pcs',
          unitCost: '0.35',
          currency: 'USD',
          suppliers: [{ name: 'Fastenal' }],
        },
      ],
    },
    {
      position: '2',
      partNumber: 'HY-CYL',
      name: 'Hydraulic cylinder',
      quantity: '1',
      unit: 'pcs',
      unitCost: '189',
      currency: 'USD',
    },
    { position: '3', name: 'Grease nipple', quantity: '2', unit: 'pcs', unitCost: '0.5', currency: 'USD' },
  ];
  const to: BomLine[] = [
    {
      position: '1',
      partNumber: 'FR-01',
      name: 'Frame weldment',
      quantity: '1',
      unit: 'pcs',
      unitCost: '0',
      currency: 'USD',
      children: [
        {
          position: '1.1',
          partNumber: 'ST-40',
          name: 'Square tube 40x40x3',
          quantity: '6.5',
          unit: 'm',
          unitCost: '4.1',
          currency: 'USD',
          suppliers: [{ name: 'Local steel' }],
        },
        {
          position: '1.2',
          partNumber: 'BL-M12',
          name: 'Bolt M12x40',
          quantity: '16',
          unit: 'pcs',
          unitCost: '0.35',
          currency: 'USD',
          suppliers: [{ name: 'Grainger' }],
        },
      ],
    },
    {
      position: '2',
      partNumber: 'PU-01',
      name: 'Gear pump',
      quantity: '1',
      unit: 'pcs',
      unitCost: '250',
      currency: 'USD',
    },
    { position: '3', name: 'grease nipple', quantity: '2', unit: 'pcs', unitCost: '0.6', currency: 'USD' },
  ];

  it('lists added, removed and changed lines and the cost delta', () => {
    expect(diffBom(from, to)).toEqual({
      added: [
        {
          position: '2',
          partNumber: 'PU-01',
          name: 'Gear pump',
          quantity: '1',
          unit: 'pcs',
          unitCost: '250',
          currency: 'USD',
        },
      ],
      removed: [
        {
          position: '2',
          partNumber: 'HY-CYL',
          name: 'Hydraulic cylinder',
          quantity: '1',
          unit: 'pcs',
          unitCost: '189',
          currency: 'USD',
        },
      ],
      changed: [
        {
          key: 'pn:ST-40',
          partNumber: 'ST-40',
          name: 'Square tube 40x40x3',
          changes: { quantity: { from: '6.2', to: '6.5' } },
          from: expect.objectContaining({ position: '1.1', quantity: '6.2', unit: 'm' }),
          to: expect.objectContaining({ position: '1.1', quantity: '6.5', unit: 'm' }),
        },
        {
          key: 'pn:BL-M12',
          partNumber: 'BL-M12',
          name: 'Bolt M12x40',
          changes: { supplier: { from: 'Fastenal', to: 'Grainger' } },
          from: expect.objectContaining({ quantity: '16', suppliers: [{ name: 'Fastenal' }] }),
          to: expect.objectContaining({ quantity: '16', suppliers: [{ name: 'Grainger' }] }),
        },
        {
          key: 'name:grease nipple',
          name: 'grease nipple',
          changes: { unitCost: { from: '0.5', to: '0.6' } },
          from: expect.objectContaining({ name: 'Grease nipple', unitCost: '0.5' }),
          to: expect.objectContaining({ name: 'grease nipple', unitCost: '0.6' }),
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
    expect(diffBom(a, b).changed).toEqual([
      {
        key: 'pn:ST-40',
        partNumber: 'ST-40',
        name: 'Tube',
        changes: { unit: { from: 'm', to: 'mm' } },
        from: a[0],
        to: b[0],
      },
    ]);
  });
});
