// Every warning and unreadable reason the BOM kernel gives carries a code whose sentence is in all 7 catalogues with
// the values it needs: each code is driven by a tiny BOM here, and every code written in the kernel's sources must be
// among those driven (a new warning site without a BOM here fails), so no sentence stays English-only.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { bomView, cutList, parseBom, BomUnreadableError, type BomLine } from '../../server/src/bom/kernel/index.js';
import { bomWarningKey } from '../../server/src/bom/warning-key.js';
import { bomWarningText } from '../../server/src/bom/warning-text.js';
import { catalogueFile, flatten } from '../helpers/catalogues.js';

const root = new URL('../..', import.meta.url).pathname;
const kernelDir = join(root, 'server/src/bom/kernel');
const locales = ['en', 'es', 'ca', 'pt-BR', 'fr', 'de', 'ar'];
const sentences = new Map(locales.map((tag) => [tag, flatten(catalogueFile(tag).bomWarnings)]));

interface Worded {
  code?: string;
  values?: Record<string, string | number>;
  message: string;
}

const csv = (text: string) => parseBom(Buffer.from(text), 'bom.csv').warnings;
const json = (value: unknown) => parseBom(Buffer.from(JSON.stringify(value)), 'bom.json').warnings;
function unreadable(text: string, filename = 'bom.csv'): Worded[] {
  try {
    parseBom(Buffer.from(text), filename);
  } catch (err) {
    if (err instanceof BomUnreadableError) return [err, ...err.errors];
    throw err;
  }
  throw new Error(`${filename} was read`);
}
const line = (fields: Partial<BomLine> & { name: string }): BomLine => ({
  position: '1',
  quantity: '1',
  unit: 'pcs',
  ...fields,
});

/** Each code, and a tiny BOM (or view, or cut list) that gives it. */
const cases: Record<string, () => Worded[]> = {
  'quantity-empty': () => csv('Name,Qty,Part Number\nBolt,,P1\n'),
  'quantity-unreadable': () => csv('Name,Qty\nBolt,lots\n'),
  'quantity-negative': () => csv('Name,Qty\nBolt,-2\n'),
  'quantity-rounded': () => csv('Name,Qty\nBolt,1/3\n'),
  'unit-differs': () => csv('Name,Qty,Unit\nTube,2 kg,m\n'),
  'line-unnamed': () => csv('Name,Qty\n,2\n'),
  'totals-row-skipped': () => csv('Name,Qty\nBolt,2\nTotal,2\n'),
  'price-only-row-skipped': () => csv('Name,Qty,Price\nBolt,2,1.00\n,,12.00\n'),
  'section-heading-skipped': () => csv('Name,Qty,Price\nFrame,,\nBolt,2,1.00\n'),
  'preamble-skipped': () => csv('Brick press parts\nName,Qty\nBolt,2\n'),
  'currency-unknown': () => csv('Name,Qty,Price,Currency\nBolt,1,2.00,ZZQ\n'),
  'unit-price-rounded': () => csv('Name,Qty,Extended Price\nBolt,3,1.00\n'),
  'currency-conflict': () => csv('Name,Qty,Price,Currency\nBolt,1,$2.00,EUR\n'),
  'extended-price-mismatch': () => csv('Name,Qty,Price,Extended Price\nBolt,2,1.00,5.00\n'),
  'price-unreadable': () => csv('Name,Qty,Price\nBolt,1,cheap\n'),
  'price-negative': () => csv('Name,Qty,Price\nBolt,1,-2.00\n'),
  'price-two-currencies': () => csv('Name,Qty,Price\nBolt,1,$ 2.00 EUR\n'),
  'price-currency-unknown': () => csv('Name,Qty,Price\nBolt,1,2.00 zorkmids\n'),
  'process-unknown-kept': () => csv('Name,Qty,Process\nBracket,1,telekinesis\n'),
  'flag-unreadable': () => csv('Name,Qty,Optional\nBolt,1,perhaps\n'),
  'pack-size-zero': () => csv('Name,Qty,Pack Size\nBolt,1,0\n'),
  'attrition-unreadable': () => csv('Name,Qty,Attrition\nBolt,1,lots\n'),
  'cut-length-unreadable': () => csv('Name,Qty,Cut Length\nTube,1,long\n'),
  'amount-unreadable': () => csv('Name,Qty,Pack Size\nBolt,1,many\n'),
  'amount-negative': () => csv('Name,Qty,Pack Size\nBolt,1,-2\n'),
  'amount-unit-mismatch': () => csv('Name,Qty,Unit,Pack Size\nTube,2,m,5 kg\n'),
  'quotes-read-as-text': () => csv('Name,Qty\n"Bolt,2\nNut,3\n'),
  // levels that go back up are depths (only rising ones would be labels)
  'level-missing': () => csv('Level,Name,Qty\n1,Frame,1\n2,Bolt,2\n1,Wheel,2\n,Nut,2\n'),
  'level-jump': () => csv('Level,Name,Qty\n1,Frame,1\n3,Bolt,2\n1,Wheel,2\n'),
  'position-missing': () => csv('Pos,Name,Qty\n1,Frame,1\n,Bolt,2\n'),
  'parent-position-missing': () => csv('Pos,Name,Qty\n1,Frame,1\n2.1,Bolt,2\n'),
  'position-repeated': () => csv('Pos,Name,Qty\n1,Frame,1\n1,Bolt,2\n'),
  'parent-not-found': () => csv('Part Number,Name,Qty,Parent\nF1,Frame,1,\nB1,Bolt,2,X9\n'),
  'parent-loop': () => csv('Part Number,Name,Qty,Parent\nF1,Frame,1,B1\nB1,Bolt,2,F1\n'),
  'json-line-not-object': () => json([5]),
  'json-unknown-field': () => json([{ name: 'Bolt', quantity: 1, colour: 'red' }]),
  'json-expected-text': () => json([{ name: 'Bolt', quantity: 1, material: { steel: true } }]),
  'process-unknown-ignored': () => json([{ name: 'Bracket', quantity: 1, process: 'telekinesis' }]),
  'json-expected-boolean': () => json([{ name: 'Bolt', quantity: 1, optional: 'yes' }]),
  'quantity-missing': () => json([{ name: 'Bolt' }]),
  'quantity-not-a-number': () => json([{ name: 'Bolt', quantity: [1] }]),
  'json-expected-list': () => json([{ name: 'Bolt', quantity: 1, suppliers: { name: 'Acme' } }]),
  'json-entry-unnamed': () => json([{ name: 'Bolt', quantity: 1, suppliers: [{ url: 'https://acme.example' }] }]),
  'json-not-a-bom': () => unreadable('{"parts": []}', 'bom.json'),
  'line-too-long': () => unreadable(`Name,Qty\n${'x'.repeat(256 * 1024 + 1)},1\n`),
  'too-many-columns': () => unreadable(`Name,Qty${',x'.repeat(1000)}\nBolt,1\n`),
  'no-header-row': () => unreadable('foo,bar\n1,2\n'),
  'no-quantity-column': () => unreadable('Name,Part Number\nBolt,P1\n'),
  'too-deep': () => {
    let lines: unknown[] = [{ name: 'Bolt', quantity: 1 }];
    for (let depth = 0; depth < 70; depth++) lines = [{ name: `Level ${depth}`, quantity: 1, children: lines }];
    return unreadable(JSON.stringify(lines), 'bom.json');
  },
  'unit-prices-differ': () =>
    bomView(
      [
        line({ position: '1', partNumber: 'B1', name: 'Bolt', unitCost: '1' }),
        line({ position: '2', partNumber: 'B1', name: 'Bolt', unitCost: '2' }),
      ],
      { flatten: true },
    ).warnings,
  'exchange-rate-missing': () =>
    bomView([line({ name: 'Bolt', unitCost: '1', currency: 'USD' })], { currency: 'EUR' }).warnings,
  'cut-length-unknown': () => cutList([line({ name: 'Square tube 40x40', quantity: '6.2', unit: 'm' })]).warnings,
  'piece-longer-than-stock': () => cutList([line({ name: 'Square tube', cutLength: '7000' })]).warnings,
  'cut-pieces-rounded-up': () => cutList([line({ name: 'Square tube', unit: 'm', cutLength: '300' })]).warnings,
  'designator-count-mismatch': () => csv('Reference,Value,Qty\nR1-R3,10k,2\n'),
  'designator-repeated': () => csv('Reference,Value,Qty\n"R1, R1, R2",10k,2\n'),
  'designator-range-too-long': () => csv('Reference,Value,Qty\nR1-R5000,10k,1\n'),
  'designators-missing': () => csv('Comment,Designator,Footprint\n10k,R1,0603\n100n,,0603\n'),
  'cut-lengths-from-notes': () => cutList([line({ name: 'Angle', quantity: '1', notes: '4 legs x 930 mm' })]).warnings,
};

function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.plural || e.type === TYPE.select)
      into.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select)
      for (const option of Object.values(e.options)) argumentsOf(option.value, into);
  }
  return into;
}

/** The codes the kernel's sources write (`code: 'kebab-case'`). */
function codesInKernel(): Set<string> {
  const codes = new Set<string>();
  for (const file of readdirSync(kernelDir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(kernelDir, file), 'utf8');
    for (const match of source.matchAll(/\bcode: '([a-z0-9-]+)'/g)) codes.add(match[1]!);
  }
  return codes;
}

describe('BOM warning codes', () => {
  it('every code written in the kernel is driven by a BOM here', () => {
    const written = [...codesInKernel()].sort();
    expect(written.length).toBeGreaterThan(40);
    expect(written.filter((code) => !(code in cases))).toEqual([]);
    expect(Object.keys(cases).filter((code) => !written.includes(code))).toEqual([]);
  });

  for (const [code, drive] of Object.entries(cases)) {
    it(`${code}: given, with a sentence and its values in every locale`, () => {
      const given = drive();
      const found = given.find((warning) => warning.code === code);
      expect(found, `${code} among ${JSON.stringify(given.map((w) => w.code))}`).toBeDefined();
      // nothing the kernel says goes without a code
      expect(given.filter((warning) => !warning.code)).toEqual([]);
      const key = bomWarningKey(code).slice('bomWarnings.'.length);
      const english = sentences.get('en')!.get(key);
      expect(english, `bomWarnings.${key} in en`).toBeDefined();
      const needs = [...argumentsOf(parse(english!))].sort();
      expect(Object.keys(found!.values ?? {}).sort(), `values of ${code}`).toEqual(needs);
      for (const tag of locales) {
        expect(sentences.get(tag)!.has(key), `bomWarnings.${key} in ${tag}`).toBe(true);
        const text = bomWarningText(found!, tag);
        if (tag === 'en') expect(text).toBe(found!.message);
        else expect(text, `${code} in ${tag}`).not.toBe(found!.message);
        for (const value of Object.values(found!.values ?? {}))
          if (typeof value === 'string') expect(text, `${code} in ${tag} names ${value}`).toContain(value);
      }
    });
  }

  it('a warning stored before codes were recorded keeps its English sentence in every language', () => {
    const old = { line: 3, column: 'Qty', value: '', message: 'the quantity is empty; counted as 1' };
    for (const tag of locales) expect(bomWarningText(old, tag)).toBe(old.message);
  });
});
