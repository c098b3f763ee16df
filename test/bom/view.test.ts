// bomView: exact scaling, order quantities, flattening with unit conversion, totals and conversion.
import { describe, expect, it } from 'vitest';
import { bomView, orderQuantity, parseRates, type BomLine } from '../../server/src/bom/kernel/index.js';
import { Dec } from '../../server/src/bom/kernel/decimal.js';

const press: BomLine[] = [
  {
    position: '1',
    name: 'Frame weldment',
    quantity: '2',
    unit: 'pcs',
    unitCost: '15',
    currency: 'EUR',
    children: [
      {
        position: '1.1',
        partNumber: 'ST-40',
        name: 'Square tube 40x40x3',
        quantity: '1550',
        unit: 'mm',
        unitCost: '0.0041',
        currency: 'USD',
      },
      {
        position: '1.2',
        partNumber: 'BL-M12',
        name: 'Bolt M12x40',
        quantity: '8',
        unit: 'pcs',
        unitCost: '0.35',
        currency: 'USD',
        packSize: '50',
      },
    ],
  },
  {
    position: '2',
    partNumber: 'ST-40',
    name: 'Square tube 40x40x3',
    quantity: '0.3',
    unit: 'm',
    unitCost: '4.1',
    currency: 'USD',
  },
  { position: '3', name: 'Indicator lamp', quantity: '1', unit: 'pcs', unitCost: '3', currency: 'USD', fitted: false },
];

describe('bomView', () => {
  it('scales every line exactly and linearly: 0.1 × 3 is 0.3, never 0.30000000000000004', () => {
    const one = bomView(
      [{ position: '1', name: 'Oil', quantity: '0.1', unit: 'l', unitCost: '0.1', currency: 'EUR' }],
      { units: 1 },
    );
    const three = bomView(
      [{ position: '1', name: 'Oil', quantity: '0.1', unit: 'l', unitCost: '0.1', currency: 'EUR' }],
      { units: 3 },
    );
    expect(one.lines[0]!.quantity).toBe('0.1');
    expect(three.lines[0]!.quantity).toBe('0.3');
    expect(three.lines[0]!.lineCost).toBe('0.03');
    expect(three.totals.byCurrency).toEqual({ EUR: '0.03' });
  });

  it('gives children their total need and keeps the per-parent quantity beside it', () => {
    const view = bomView(press, { units: 3 });
    const frame = view.lines[0]!;
    expect([frame.quantity, frame.quantityPer]).toEqual(['6', '6']);
    expect(
      frame.children!.map((line) => [
        line.position,
        line.quantity,
        line.quantityPer,
        line.orderQuantity ?? null,
        line.lineCost,
      ]),
    ).toEqual([
      ['1.1', '9300', '1550', null, '38.13'],
      ['1.2', '48', '8', '50', '16.8'],
    ]);
  });

  it('adds sub-assembly costs to their children and leaves not-fitted lines out', () => {
    const view = bomView(press, { units: 1 });
    // USD: 3100 mm × 0.0041 + 16 × 0.35 + 0.3 m × 4.1 = 12.71 + 5.6 + 1.23; EUR: 2 frames × 15.
    expect(view.totals.byCurrency).toEqual({ EUR: '30', USD: '19.54' });
    expect(view.lines[2]!.lineCost).toBeUndefined();
    expect(view.lines[2]!.quantity).toBe('1');
  });

  it('converts totals with rates meaning "one X is worth rate units of the target"', () => {
    const view = bomView(press, { units: 1, currency: 'EUR', rates: parseRates('EUR:1,USD:0.92') });
    expect(view.totals.converted).toEqual({ currency: 'EUR', amount: '47.9768' });
    const missing = bomView(press, { units: 1, currency: 'GBP', rates: { EUR: '0.85' } });
    expect(missing.totals.converted).toBeUndefined();
    expect(missing.warnings).toEqual([
      {
        position: '',
        code: 'exchange-rate-missing',
        values: { currency: 'GBP', missing: 'USD' },
        message: 'no exchange rate to GBP for USD; totals not converted',
      },
    ]);
  });

  it('flattens: multiplies down sub-assemblies and merges the same part across units', () => {
    const view = bomView(press, { units: 1, flatten: true });
    expect(
      view.lines.map((line) => [
        line.position,
        line.partNumber ?? null,
        line.name,
        line.quantity,
        line.unit,
        line.unitCost,
        line.lineCost ?? null,
        line.orderQuantity ?? null,
      ]),
    ).toEqual([
      ['1', null, 'Frame weldment', '2', 'pcs', '15', '30', null],
      // 2 × 1550 mm + 0.3 m = 3400 mm, priced per mm.
      ['2', 'ST-40', 'Square tube 40x40x3', '3400', 'mm', '0.0041', '13.94', null],
      ['3', 'BL-M12', 'Bolt M12x40', '16', 'pcs', '0.35', '5.6', '50'],
      ['4', null, 'Indicator lamp', '1', 'pcs', '3', null, null],
    ]);
    expect(view.totals).toEqual(bomView(press, { units: 1 }).totals);
  });

  it('refuses a negative number of units', () => {
    expect(() => bomView(press, { units: -1 })).toThrow(RangeError);
  });
});

describe('orderQuantity', () => {
  const order = (need: string, fields: Parameters<typeof orderQuantity>[1]) => orderQuantity(new Dec(need), fields);

  it('is absent when the line gives no pack size, minimum or attrition', () => {
    expect(order('7', { unit: 'pcs' })).toBeUndefined();
  });

  it('rounds up to whole packs', () => {
    expect(order('16', { unit: 'pcs', packSize: '50' })).toBe('50');
    expect(order('100', { unit: 'pcs', packSize: '50' })).toBe('100');
  });

  it('adds attrition before rounding and counts pieces whole', () => {
    expect(order('16', { unit: 'pcs', attrition: '0.05' })).toBe('17');
    expect(order('40', { unit: 'pcs', attrition: '0.05', packSize: '6' })).toBe('42');
  });

  it('keeps lengths fractional and applies the minimum order in whole packs', () => {
    expect(order('6.2', { unit: 'm', attrition: '0.1' })).toBe('6.82');
    expect(order('3', { unit: 'pcs', minOrder: '10', packSize: '4' })).toBe('12');
  });
});
