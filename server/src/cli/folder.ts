// A design version as a folder on disk: manifest.json, an optional BOM (bom.csv|bom.tsv|bom.json) and every other file.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import semver from 'semver';
import { CliError } from './output.js';

export interface LocalFile {
  path: string;
  abs: string;
  size: number;
  sha256?: string;
}

export interface LocalVersion {
  dir: string;
  manifestText: string;
  bom?: LocalFile;
  files: LocalFile[];
}

export const bomNames = ['bom.csv', 'bom.tsv', 'bom.json'];
const ignored = new Set(['.git', '.DS_Store', 'Thumbs.db', 'node_modules', '.andecha']);

/** Every file under a folder, with its path relative to it ("/"-separated), in a stable order. */
export function listFolder(dir: string): LocalFile[] {
  const out: LocalFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (ignored.has(name)) continue;
      const abs = join(d, name);
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs);
      else if (st.isFile()) out.push({ path: relative(dir, abs).split(sep).join('/'), abs, size: st.size });
    }
  };
  walk(dir);
  return out;
}

export function readLocalVersion(dirArg: string): LocalVersion {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dirArg} is not a folder`, 2);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new CliError(`${dirArg} has no manifest.json (for an OKH or Kitspace project use "andecha import")`, 1);
  const all = listFolder(dir);
  const bom = all.find((f) => bomNames.includes(f.path));
  return {
    dir,
    manifestText: readFileSync(manifestPath, 'utf8'),
    bom,
    files: all.filter((f) => f.path !== 'manifest.json' && f !== bom),
  };
}

export async function sha256File(abs: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(abs)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** A design folder is often <slug>/<version>/: the slug is then the parent's name. */
export function slugHint(dir: string): string {
  const name = basename(dir);
  return semver.valid(name) ? basename(resolve(dir, '..')) : name;
}

/** A path from the server made safe to write under `dir`. */
export function safeJoin(dir: string, path: string): string {
  const abs = resolve(dir, path);
  if (!abs.startsWith(resolve(dir) + sep)) throw new CliError(`Refusing to write "${path}" outside ${dir}`);
  return abs;
}
