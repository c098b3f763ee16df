// The web's messages with plurals, selects, element placeholders (tParts) and rich-text tags (tRich) format in every
// locale: nothing of the ICU syntax is left in the text, and each placeholder or tag survives once, so the element can be
// put back.
import { IntlMessageFormat } from 'intl-messageformat';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../locales/', import.meta.url);
const tags = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.replace(/\.json$/, ''));
// i18next-icu formats with intl-messageformat (ignoreTag, as it does); called here directly, because under plain
// Node i18next-icu's default import of intl-messageformat is not its constructor and every message comes back raw
const web = Object.fromEntries(
  tags.map((tag) => [tag, JSON.parse(readFileSync(new URL(`${tag}.json`, dir), 'utf8')).web]),
) as Record<string, Record<string, unknown>>;

function message(tag: string, key: string): string {
  const found = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], web[tag]);
  if (typeof found !== 'string') throw new Error(`${tag} has no message ${key}`);
  return found;
}

const fixedT = (tag: string) => (key: string, values: Record<string, unknown>) =>
  String(new IntlMessageFormat(message(tag, key), tag, undefined, { ignoreTag: true }).format(values));

const mark = (name: string) => `\u0000${name}\u0000`;
const cases: [string, Record<string, unknown>, string[]][] = [
  ['cutListView.barsNeeded', { count: 13, stock: '6,000', waste: '410', figure: mark('figure') }, ['figure']],
  ['cutListView.barsNeeded', { count: 1, stock: '6,000', waste: '0', figure: mark('figure') }, ['figure']],
  ['cutListView.bars', { count: 3, first: 2, last: 4 }, []],
  ['cutListView.bars', { count: 1, first: 2, last: 2 }, []],
  ['bomPreview.linesRead', { count: 12, format: 'csv', encoding: 'utf-8', figure: mark('figure') }, ['figure']],
  ['bomPreview.linesRead', { count: 1, format: 'none', encoding: 'none', figure: mark('figure') }, ['figure']],
  ['feedPage.signInPrompt', {}, ['<signIn>', '</signIn>', '<createAccount>', '</createAccount>']],
  ['designPage.signInToFork', {}, ['<signIn>', '</signIn>', '<createAccount>', '</createAccount>']],
  ['bomTotals.totalIn', { count: 2, currency: 'EUR' }, []],
  ['packetButton.forUnits', { count: 1 }, []],
  ['modelViewer.unreadable', { count: 2, path: 'a.stl' }, []],
  ['pipelineProgress.filesProcessed', { ended: 1, count: 3 }, []],
  ['fileList.triangles', { count: 1200, figure: '1,200' }, []],
  ['format.age.days', { count: 3 }, []],
];

describe('web messages with plurals and element placeholders', () => {
  for (const tag of tags)
    it(`format in ${tag}`, () => {
      const t = fixedT(tag);
      for (const [key, values, parts] of cases) {
        const text = t(key, values);
        expect(text, `${tag} ${key}`).not.toMatch(/[{}]/);
        for (const part of parts)
          expect(text.split(part.startsWith('<') ? part : mark(part)).length, `${tag} ${key} ${part}`).toBe(2);
      }
    });

  it('reads as before in English', () => {
    const t = fixedT('en');
    expect(t('cutListView.barsNeeded', { count: 13, stock: '6,000', waste: '410', figure: '13' })).toBe(
      '13 bars of 6,000 mm · waste 410 mm',
    );
    expect(t('bomPreview.linesRead', { count: 12, format: 'csv', encoding: 'none', figure: '12' })).toBe(
      '12 lines read as csv.',
    );
    expect(t('bomTotals.totalIn', { count: 2, currency: 'EUR' })).toBe('Total for 2 units (EUR)');
  });
});
