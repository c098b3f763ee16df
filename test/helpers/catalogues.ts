// The catalogues of locales/ as tests read them: a locale's file, and any section flattened to dotted keys.
import { readFileSync } from 'node:fs';

export type Messages = { [key: string]: string | Messages };
export type CatalogueFile = {
  web: Messages;
  packet: Messages;
  problems: Messages;
  bomWarnings: Messages;
  meta?: { review?: string[] };
};

const dir = new URL('../../locales/', import.meta.url);

/** locales/<tag>.json as it is on disk. */
export function catalogueFile(tag: string): CatalogueFile {
  return JSON.parse(readFileSync(new URL(`${tag}.json`, dir), 'utf8')) as CatalogueFile;
}

/** A section's messages by dotted key ("shell.signIn" → "Sign in"). */
export function flatten(
  messages: Messages | undefined,
  prefix = '',
  out = new Map<string, string>(),
): Map<string, string> {
  for (const [key, value] of Object.entries(messages ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else flatten(value, path, out);
  }
  return out;
}
