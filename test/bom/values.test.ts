// Cell readers and exact conversions: money, quantities, units, and the checksum's canonical form.
import { describe, expect, it } from 'vitest';
import {
  bomChecksum,
  canonicalBomJson,
  convertQuantity,
  normaliseUnit,
  type BomLine,
} from '../../server/src/bom/kernel/index.js';
import { parseMoney } from '../../server/src/bom/kernel/money.js';
import { parseQuantity } from '../../server/src/bom/kernel/quantity.js';

const comma = { decimalComma: true };
const dot = { decimalComma: false };

describe('parseMoney', () => {
  it('reads symbols, codes and both decimal conventions', () => {
    expect(parseMoney('$4.00', dot)).toEqual({ amount: '4', currency: 'USD' });
    expect(parseMoney('4,00 €', comma)).toEqual({ amount: '4', currency: 'EUR' });
    expect(parseMoney('EUR 12', dot)).toEqual({ amount: '12', currency: 'EUR' });
    expect(parseMoney('1.234,56', comma)).toEqual({ amount: '1234.56' });
    expect(parseMoney('1,234.56', dot)).toEqual({ amount: '1234.56' });
    expect(parseMoney('US$ 5.5', dot)).toEqual({ amount: '5.5', currency: 'USD' });
    expect(parseMoney('£3.10/m', dot)).toEqual({ amount: '3.1', currency: 'GBP' });
    expect(parseMoney('n/a', dot)).toBeUndefined();
    expect(parseMoney('12 ZZZ', dot)).toEqual({
      error: { code: 'price-currency-unknown', values: { currency: 'ZZZ' }, message: 'unknown currency "ZZZ"' },
    });
  });
});

describe('parseQuantity', () => {
  it('reads amounts with units, fractions and grouping', () => {
    expect(parseQuantity('2.5 m', dot)).toEqual({ quantity: '2.5', unit: 'm' });
    expect(parseQuantity('1,5 kg', comma)).toEqual({ quantity: '1.5', unit: 'kg' });
    expect(parseQuantity('12 pcs', dot)).toEqual({ quantity: '12', unit: 'pcs' });
    expect(parseQuantity('3/4', dot)).toEqual({ quantity: '0.75' });
    expect(parseQuantity('x4', dot)).toEqual({ quantity: '4' });
    expect(parseQuantity('1,500', dot)).toEqual({ quantity: '1500' });
    expect(parseQuantity('2 m²', dot)).toEqual({ quantity: '2', unit: 'm2' });
    expect(parseQuantity('-2', dot)).toEqual({ error: 'a quantity cannot be negative', reason: 'negative' });
  });
});

describe('units', () => {
  it('normalises spellings', () => {
    expect(['ea', 'Each', 'x', 'PCS', 'Stück'].map(normaliseUnit)).toEqual(['pcs', 'pcs', 'pcs', 'pcs', 'pcs']);
    expect(['Meters', 'metre', 'inches', 'LBS', 'Litre', 'sq ft'].map(normaliseUnit)).toEqual([
      'm',
      'm',
      'in',
      'lb',
      'l',
      'ft2',
    ]);
  });

  it('converts exactly where convert-units would round (1 in is 25.4 mm, not 25.3999992)', () => {
    expect(convertQuantity('1', 'in', 'mm')).toBe('25.4');
    expect(convertQuantity('10', 'ft', 'm')).toBe('3.048');
    expect(convertQuantity('2', 'lb', 'kg')).toBe('0.90718474');
    expect(convertQuantity('1550', 'mm', 'm')).toBe('1.55');
    expect(convertQuantity('1', 'm', 'kg')).toBeUndefined();
  });
});

describe('bomChecksum', () => {
  it('is the same for the same content whatever the key order or decimal spelling', () => {
    const a: BomLine[] = [
      { position: '1', name: 'Tube', quantity: '6.20', unit: 'm', unitCost: '4.10', currency: 'USD' },
    ];
    const b = [
      { currency: 'USD', unitCost: '4.1', unit: 'm', quantity: '6.2', name: 'Tube', position: '1', notes: undefined },
    ] as BomLine[];
    expect(canonicalBomJson(a)).toBe(
      '[{"currency":"USD","name":"Tube","position":"1","quantity":"6.2","unit":"m","unitCost":"4.1"}]',
    );
    expect(bomChecksum(b)).toBe(bomChecksum(a));
    expect(bomChecksum([{ ...a[0]!, quantity: '6.3' }])).not.toBe(bomChecksum(a));
  });
});
