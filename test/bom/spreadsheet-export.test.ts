// A BOM exported from a spreadsheet the way OSE-style sheets are kept: a preamble above the header, section rows, accounting prices.
import { describe, expect, it } from 'vitest';
import { parseBom } from '../../server/src/bom/kernel/index.js';
import { spreadsheetBom } from '../fixtures/spreadsheet-bom.js';

describe('a spreadsheet-exported BOM', () => {
  it('finds the header below the preamble, skips section rows with a warning, and reads accounting prices', () => {
    const parsed = parseBom(Buffer.from(spreadsheetBom), 'CEB Press BOM - Sheet1.csv');
    expect(
      parsed.lines.map((line) => [
        line.name,
        line.quantity,
        line.unit,
        line.unitCost,
        line.currency,
        line.suppliers?.[0]?.name,
      ]),
    ).toEqual([
      ['Leg', '3.72', 'm', '9.8', 'USD', 'Metals Depot'],
      ['Ring rail', '4.8', 'm', '9.8', 'USD', 'Metals Depot'],
      ['Table plate', '1', 'pcs', '168', 'USD', 'Local steel yard'],
      ['Controller', '1', 'pcs', '27.6', 'USD', 'Arduino Store'],
      // "$-" is the sheet's way of writing no price, not an unreadable one
      ['Wire', '5', 'm', undefined, undefined, 'Shop stock'],
    ]);
    expect(parsed.lines[0]!.notes).toBe('4 legs x 930 mm');
    const messages = parsed.warnings.map((warning) => `${warning.line}: ${warning.value} — ${warning.message}`);
    expect(messages).toEqual([
      '1: CEB Press v19.01 - Bill of Materials — title or preamble row above the header skipped',
      '2: Version 19.01 — title or preamble row above the header skipped',
      '3: Units 1 Total Cost $1,180.24 — title or preamble row above the header skipped',
      '6: Frame — section heading row skipped',
      '10: ELECTRICAL — section heading row skipped',
      '14: Total $1,180.24 — totals row below the table skipped',
    ]);
  });

  it('reads " $4.00 " as 4.00 USD and "$-", " $ -   ", "€ –" as no price', () => {
    const csv = 'Item,Qty,Price\nA,1, $4.00 \nB,1,$-\nC,1," $ -   "\nD,1,€ –\n';
    const parsed = parseBom(Buffer.from(csv), 'bom.csv');
    expect(parsed.lines.map((line) => [line.name, line.unitCost, line.currency])).toEqual([
      ['A', '4', 'USD'],
      ['B', undefined, undefined],
      ['C', undefined, undefined],
      ['D', undefined, undefined],
    ]);
    expect(parsed.warnings).toEqual([]);
  });
});
