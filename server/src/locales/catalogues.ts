// The languages Andecha speaks: one catalogue per locale in locales/<tag>.json (BCP 47 tags), each with a `web`
// section (the browser's), `packet` (the build packet's), `problems` (the API's problem documents) and
// `bomWarnings` (what the BOM kernel says about a file, read by all of them). A new file there is a new language for all.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { matchLocale as matchSupported } from './tags.js';

export { localeDirection, localeName } from './tags.js';

export const defaultLocale = 'en';
export const localesDir = fileURLToPath(new URL('../../../locales', import.meta.url));

export type Catalogue = {
  web?: Messages;
  packet?: Messages;
  problems?: Messages;
  bomWarnings?: Messages;
  /** the email digest's subject and body */
  email?: Messages;
  meta?: { review?: string[] };
};
export type Messages = { [key: string]: string | Messages };

let supported: string[] | undefined;

/** Every locale with a catalogue, English first. */
export function supportedLocales(): string[] {
  supported ??= [
    defaultLocale,
    ...readdirSync(localesDir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((tag) => tag !== defaultLocale)
      .sort(),
  ];
  return supported;
}

const catalogues = new Map<string, Catalogue>();

/** A locale's whole catalogue (read once). */
export function catalogue(tag: string): Catalogue {
  let found = catalogues.get(tag);
  if (!found) {
    found = JSON.parse(readFileSync(join(localesDir, `${tag}.json`), 'utf8')) as Catalogue;
    catalogues.set(tag, found);
  }
  return found;
}

/** The supported locale matching a tag (`pt` → `pt-BR`), or undefined. */
export function matchLocale(wanted: string): string | undefined {
  return matchSupported(wanted, supportedLocales());
}

/** The best supported locale for an Accept-Language header (RFC 9110 q-values), else English. */
export function negotiateLocale(acceptLanguage: string | undefined | null): string {
  if (!acceptLanguage) return defaultLocale;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag, q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const found = matchLocale(tag);
    if (found) return found;
  }
  return defaultLocale;
}
