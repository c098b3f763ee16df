// Properties over generated BOMs: export/parse round trip, scale/flatten commute, linear scaling.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bomView,
  exportBom,
  flattenBom,
  parseBom,
  PROCESSES,
  scaleBom,
  type BomLine,
  type BomViewLine,
} from '../../server/src/bom/kernel/index.js';
import { Dec } from '../../server/src/bom/kernel/decimal.js';

const RESERVED_WORDS = new Set([
  'total',
  'totals',
  'sum',
  'subtotal',
  'gesamt',
  'summe',
  'totaal',
  'totale',
  'suma',
  'somme',
  'dnf',
  'dnp',
  'nf',
  'grand total',
  'sub total',
  'total cost',
  'total price',
]);
const text = fc
  .stringMatching(/^[A-Za-zéü][A-Za-z0-9éü ,."'()/&-]{0,18}[A-Za-z0-9)]$/)
  .filter((value) => !RESERVED_WORDS.has(value.toLowerCase()) && !/\s{2}/.test(value));
const decimal = fc
  .tuple(fc.nat({ max: 5000 }), fc.nat({ max: 999 }), fc.boolean())
  .map(([whole, fraction, hasFraction]) =>
    new Dec(hasFraction ? `${whole}.${String(fraction).padStart(3, '0')}` : String(whole)).toFixed(),
  );
const positive = decimal.filter((value) => value !== '0');
const partNumber = fc.oneof(
  fc.stringMatching(/^[A-Z][A-Z0-9-]{0,7}$/),
  fc.constant('=SUM(A1)'),
  fc.constant('-5V-REG'),
);

const lineFields = fc
  .record(
    {
      name: text,
      partNumber: partNumber,
      mpn: fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{2,10}$/),
      description: text,
      quantity: decimal,
      unit: fc.constantFrom('pcs', 'm', 'mm', 'kg', 'l', 'm2', 'roll'),
      manufacturer: text,
      material: text,
      process: fc.constantFrom(...PROCESSES),
      filePath: fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9-]{1,8}\.(stl|step|dxf)$/),
      notes: fc.oneof(
        text,
        fc.tuple(text, text).map(([a, b]) => `${a}\n${b}`),
      ),
      optional: fc.constant(true),
      fitted: fc.constant(false),
      packSize: positive,
      minOrder: positive,
      attrition: fc.integer({ min: 0, max: 99 }).map((percent) => new Dec(percent).div(100).toFixed()),
      cutLength: positive,
      value: fc.stringMatching(/^[0-9]{1,3}(k|n|u|M)?$/),
      footprint: fc.stringMatching(/^[A-Z][A-Za-z0-9_:]{1,20}$/),
      designators: fc.uniqueArray(fc.stringMatching(/^[A-Z]{1,2}[1-9][0-9]{0,2}$/), { minLength: 1, maxLength: 4 }),
      suppliers: fc.array(
        fc.record(
          { name: text, partNumber: partNumber, url: fc.stringMatching(/^https:\/\/example\.com\/p\/[a-z0-9]{1,8}$/) },
          { requiredKeys: ['name'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      substitutes: fc.array(
        fc.record(
          {
            name: text,
            partNumber: partNumber,
            mpn: fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{2,10}$/),
            manufacturer: text,
            material: text,
            supplier: text,
          },
          { requiredKeys: ['name'] },
        ),
        { minLength: 1, maxLength: 2 },
      ),
      cost: fc.record({ unitCost: decimal, currency: fc.constantFrom('USD', 'EUR', 'GBP') }),
    },
    { requiredKeys: ['name', 'quantity', 'unit'] },
  )
  // A line's designators are its pieces: a quantity that differs is warned about (designator-count-mismatch).
  .map(({ cost, ...fields }) => ({
    ...fields,
    ...(cost ?? {}),
    ...(fields.designators ? { quantity: String(fields.designators.length), unit: 'pcs' } : {}),
  }));

type Draft = Omit<BomLine, 'position' | 'children'> & { children?: Draft[] };

const tree = fc.letrec<{ line: Draft; lines: Draft[] }>((tie) => ({
  line: fc
    .tuple(lineFields, fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant([]), tie('lines')))
    .map(([fields, children]) => ({ ...fields, ...(children.length > 0 ? { children } : {}) }) as Draft),
  lines: fc.array(tie('line'), { minLength: 1, maxLength: 3 }),
})).lines;

function numbered(drafts: readonly Draft[], prefix = ''): BomLine[] {
  return drafts.map((draft, i) => {
    const position = `${prefix}${i + 1}`;
    const { children, ...fields } = draft;
    return {
      position,
      ...fields,
      ...(children && children.length > 0 ? { children: numbered(children, `${position}.`) } : {}),
    } as BomLine;
  });
}

const bom = tree.map((drafts) => numbered(drafts));

describe('BOM properties', () => {
  it('parseBom(exportBom(bom)) gives the same tree, in CSV and in TSV', () => {
    fc.assert(
      fc.property(bom, fc.constantFrom('csv' as const, 'tsv' as const), (lines, format) => {
        const parsed = parseBom(Buffer.from(exportBom(lines, format)), `bom.${format}`);
        expect(parsed.warnings).toEqual([]);
        expect(parsed.lines).toEqual(lines);
      }),
      { numRuns: 300 },
    );
  });

  const mergeable = fc.array(
    fc.record(
      {
        name: fc.constantFrom('Tube', 'Bolt', 'Oil'),
        partNumber: fc.constantFrom('A-1', 'B-2'),
        quantity: decimal,
        unit: fc.constantFrom('pcs', 'm', 'mm', 'in', 'ft', 'l', 'ml'),
        unitCost: decimal,
        currency: fc.constant('EUR'),
        packSize: positive,
      },
      { requiredKeys: ['name', 'quantity', 'unit'] },
    ),
    { minLength: 1, maxLength: 4 },
  );
  const mergeableTree = fc
    .array(fc.tuple(mergeable, mergeable), { minLength: 1, maxLength: 3 })
    .map((groups) => numbered(groups.map(([parent, children]) => ({ ...parent[0]!, children: children as Draft[] }))));
  const units = fc.oneof(fc.integer({ min: 0, max: 1000 }).map(String), decimal);

  it('scaling then flattening equals flattening then scaling', () => {
    fc.assert(
      fc.property(mergeableTree, units, (lines, n) => {
        expect(flattenBom(scaleBom(lines, n))).toEqual(scaleBom(flattenBom(lines), n));
        expect(bomView(lines, { units: n, flatten: true }).lines.map((line) => line.quantity)).toEqual(
          bomView(lines, { units: 1, flatten: true }).lines.map((line) => new Dec(line.quantity).times(n).toFixed()),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('quantity for N units is exactly N × quantity for 1 unit, on every line, and so are the totals', () => {
    const quantities = (lines: readonly BomViewLine[]): string[] =>
      lines.flatMap((line) => [line.quantity, ...quantities(line.children ?? [])]);
    fc.assert(
      fc.property(bom, fc.integer({ min: 0, max: 10_000 }), (lines, n) => {
        const one = bomView(lines, { units: 1 });
        const many = bomView(lines, { units: n });
        expect(quantities(many.lines)).toEqual(
          quantities(one.lines).map((quantity) => new Dec(quantity).times(n).toFixed()),
        );
        expect(many.totals.byCurrency).toEqual(
          Object.fromEntries(
            Object.entries(one.totals.byCurrency).map(([currency, amount]) => [
              currency,
              new Dec(amount).times(n).toFixed(),
            ]),
          ),
        );
      }),
      { numRuns: 200 },
    );
  });
});
