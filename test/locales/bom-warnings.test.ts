// The BOM warnings that carry a code have a sentence in every catalogue (bomWarnings.<camelCase of the code>) whose
// ICU arguments are the warning's values, and formatting it with them gives a sentence with no placeholder left.
import { IntlMessageFormat } from 'intl-messageformat';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBom, type BomWarning } from '../../server/src/bom/kernel/index.js';

const dir = new URL('../../locales/', import.meta.url);
const tags = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length));
const bomWarningsOf = (tag: string) =>
  (JSON.parse(readFileSync(new URL(`${tag}.json`, dir), 'utf8')) as { bomWarnings?: Record<string, string> })
    .bomWarnings ?? {};
const camel = (code: string) => code.replace(/-([a-z])/g, (_dash, letter: string) => letter.toUpperCase());

/** BOMs that raise each coded warning the electronics readers give. */
const coded: BomWarning[] = [
  'Reference,Value,Qty\nR1-R3,10k,2\nR4 R5,1k,1\n',
  'Reference,Value,Qty\n"R1-R3, R2",10k,3\n',
  'Reference,Value,Qty\nR1-R5000,10k,1\n',
  'Comment,Designator,Footprint\nTest point,,TP\n',
].flatMap((csv) => parseBom(Buffer.from(csv)).warnings.filter((warning) => warning.code !== undefined));

describe('coded BOM warnings in the catalogues', () => {
  it('the fixtures raise every electronics code', () => {
    expect(new Set(coded.map((warning) => warning.code))).toEqual(
      new Set(['designator-count-mismatch', 'designator-repeated', 'designator-range-too-long', 'designators-missing']),
    );
  });

  for (const tag of tags) {
    it(`${tag}: a sentence for each code, formatted from the warning's values`, () => {
      const messages = bomWarningsOf(tag);
      for (const warning of coded) {
        const message = messages[camel(warning.code!)];
        expect(message, `${tag}: bomWarnings.${camel(warning.code!)}`).toBeTypeOf('string');
        const text = new IntlMessageFormat(message!, tag).format(warning.values ?? {}) as string;
        expect(text).not.toMatch(/[{}]/);
        for (const value of Object.values(warning.values ?? {}))
          if (typeof value === 'string') expect(text).toContain(value);
      }
    });
  }
});
