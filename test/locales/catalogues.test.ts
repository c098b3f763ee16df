// The catalogues (locales/<tag>.json) against each other and the code: every locale has every English message and no
// other, each message is valid ICU with the arguments English names, every English message is used by the code
// that reads its section, and every key the code names exists. Adding a locale is adding a file: it is checked here.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { flatten, type Messages } from '../helpers/catalogues.js';

const root = new URL('../..', import.meta.url).pathname;
const dir = join(root, 'locales');
const sections = ['web', 'packet', 'problems', 'bomWarnings', 'email'] as const;
/** Where each section's keys are named: a key is used when it appears there as a string. */
const codeOf: Record<(typeof sections)[number], string[]> = {
  web: ['web/src', 'server/src/bom/process-keys.ts', 'server/src/bom/unit-words.ts'],
  packet: ['server/src/packet', 'server/src/bom/process-keys.ts', 'server/src/bom/unit-words.ts'],
  problems: ['server/src'],
  bomWarnings: ['server/src'],
  email: ['server/src/notifications'],
};
/** How the code names a key: as itself, or for a BOM warning as its kebab-case code (`quantityEmpty` ← `quantity-empty`). */
const namedAs = (section: (typeof sections)[number], key: string) =>
  section === 'bomWarnings' ? key.replace(/[A-Z0-9]/g, (c) => `-${c.toLowerCase()}`) : key;

const tags = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));
const read = (tag: string) => JSON.parse(readFileSync(join(dir, `${tag}.json`), 'utf8')) as Record<string, Messages>;

function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time)
      into.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      into.add(e.value);
      for (const option of Object.values(e.options)) argumentsOf(option.value, into);
    }
    if (e.type === TYPE.tag) argumentsOf(e.children, into);
  }
  return into;
}

function sourcesUnder(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [readFileSync(full, 'utf8')];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('api-schema.ts') && !f.endsWith('schema-types.ts'))
    .map((f) => readFileSync(join(full, f), 'utf8'));
}

const english = read('en');

describe('catalogues', () => {
  it('English and at least the six launch languages and Arabic are there', () => {
    expect(tags).toEqual(expect.arrayContaining(['en', 'es', 'ca', 'pt-BR', 'fr', 'de', 'ar']));
  });

  for (const tag of tags) {
    it(`${tag}: every message English has, no other, valid ICU with the same arguments`, () => {
      const catalogue = read(tag);
      for (const section of sections) {
        const want = flatten(english[section]);
        const have = flatten(catalogue[section]);
        expect(
          [...want.keys()].filter((k) => !have.has(k)),
          `${tag}.${section}: missing`,
        ).toEqual([]);
        expect(
          [...have.keys()].filter((k) => !want.has(k)),
          `${tag}.${section}: not in English`,
        ).toEqual([]);
        for (const [key, message] of have) {
          let parsed: MessageFormatElement[];
          try {
            parsed = parse(message);
          } catch (error) {
            throw new Error(`${tag}.${section}.${key}: not ICU: ${(error as Error).message}`, { cause: error });
          }
          const expected = [...argumentsOf(parse(want.get(key)!))].sort();
          expect([...argumentsOf(parsed)].sort(), `${tag}.${section}.${key}: arguments`).toEqual(expected);
        }
      }
    });
  }

  for (const section of sections) {
    it(`${section}: every English message is used by the code, and every key the code names exists`, () => {
      const code = codeOf[section].flatMap(sourcesUnder).join('\n');
      const keys = flatten(english[section]);
      const unused = [...keys.keys()]
        .map((key) => namedAs(section, key))
        .filter((key) => !code.includes(`'${key}'`) && !code.includes(`"${key}"`) && !code.includes(`\`${key}\``));
      expect(unused, `${section}: messages no code uses`).toEqual([]);
      if (section === 'web') {
        const named = [...code.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)].map((m) => m[1]);
        expect(
          named.filter((key) => !keys.has(key)),
          'web: t() keys missing in locales/en.json',
        ).toEqual([]);
      }
    });
  }
});
