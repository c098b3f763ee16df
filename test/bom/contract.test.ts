// The BOM the outside contract check publishes: 4 lines, one sub-assembly with 2 children.
import { describe, expect, it } from 'vitest';
import { bomChecksum, bomView, exportBom, parseBom } from '../../server/src/bom/kernel/index.js';

const CONTRACT_CSV =
  'Level,Part Number,Description,Qty,Unit,Unit Price,Currency,Supplier\n1,FR-01,Frame weldment,1,pcs,0,USD,\n1.1,ST-40,Square tube 40x40x3,6.2,m,4.10,USD,Local steel\n1.2,BL-M12,Bolt M12x40,16,pcs,0.35,USD,Fastenal\n2,HY-CYL,Hydraulic cylinder 2.5in x 10in,1,pcs,189.00,USD,Surplus Center\n';

describe('contract BOM', () => {
  const parsed = parseBom(Buffer.from(CONTRACT_CSV), 'bom.csv');

  it('reads 4 lines with one sub-assembly of 2 children', () => {
    expect(parsed.warnings).toEqual([]);
    expect(parsed.format).toBe('csv');
    expect(parsed.lines).toEqual([
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
            suppliers: [{ name: 'Fastenal' }],
          },
        ],
      },
      {
        position: '2',
        partNumber: 'HY-CYL',
        name: 'Hydraulic cylinder 2.5in x 10in',
        quantity: '1',
        unit: 'pcs',
        unitCost: '189',
        currency: 'USD',
        suppliers: [{ name: 'Surplus Center' }],
      },
    ]);
  });

  it('gives the JSON view shape of GET …/bom?format=json for 2 units', () => {
    const view = bomView(parsed.lines, { units: 2 });
    expect(view.lines.length).toBe(2);
    const frame = view.lines[0]!;
    expect(
      frame.children!.map((line) => [
        line.position,
        line.partNumber,
        line.name,
        line.quantity,
        line.unit,
        line.unitCost,
        line.currency,
      ]),
    ).toEqual([
      ['1.1', 'ST-40', 'Square tube 40x40x3', '12.4', 'm', '4.1', 'USD'],
      ['1.2', 'BL-M12', 'Bolt M12x40', '32', 'pcs', '0.35', 'USD'],
    ]);
    // 2 × (6.2 × 4.10 + 16 × 0.35 + 189) = 2 × 220.02
    expect(view.totals).toEqual({ byCurrency: { USD: '440.04' } });
    expect(view.warnings).toEqual([]);
  });

  it('exports CSV with the checksum row and reads it back unchanged', () => {
    const checksum = bomChecksum(parsed.lines);
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    const csv = exportBom(parsed.lines, 'csv', { checksum });
    expect(csv.split('\n')[0]).toBe(
      'Level,Part Number,Name,Qty,Unit,Unit Price,Currency,Supplier,Supplier Part Number,Supplier URL',
    );
    expect(csv.trimEnd().split('\n').at(-1)).toBe(`# checksum: ${checksum}`);
    const again = parseBom(Buffer.from(csv), 'bom.csv');
    expect(again.lines).toEqual(parsed.lines);
    expect(again.declaredChecksum).toBe(checksum);
    expect(again.warnings).toEqual([]);
  });

  it('exports the view for 2 units as a tree that re-imports as the BOM of 2 machines', () => {
    const view = bomView(parsed.lines, { units: 2 });
    const csv = exportBom(view.lines, 'tsv', { checksum: false });
    expect(csv.split('\n').slice(0, 3)).toEqual([
      'Level\tPart Number\tName\tQty\tUnit\tUnit Price\tCurrency\tSupplier\tSupplier Part Number\tSupplier URL',
      '1\tFR-01\tFrame weldment\t2\tpcs\t0\tUSD\t\t\t',
      '1.1\tST-40\tSquare tube 40x40x3\t6.2\tm\t4.1\tUSD\tLocal steel\t\t',
    ]);
    const again = parseBom(Buffer.from(csv), 'bom.tsv');
    expect(bomView(again.lines).totals).toEqual(view.totals);
    expect(again.declaredChecksum).toBeUndefined();
  });
});
