// `andecha pull`, `andecha export` and `andecha import`: versions to and from folders.
import { mkdirSync, writeFileSync, statSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { parse as parseToml } from 'smol-toml';
import { checkFilePath } from '../registry/paths.js';
import type { ApiClient } from './client.js';
import { listFolder, safeJoin } from './folder.js';
import { CliError, formatBytes, type Output } from './output.js';

export interface DesignRef {
  owner: string;
  slug: string;
  version: string;
}

export function parseDesignRef(ref: string, needVersion = false): DesignRef {
  const m = /^([^/@\s]+)\/([^/@\s]+)(?:@([^\s]+))?$/.exec(ref);
  if (!m) throw new CliError(`"${ref}" is not owner/slug[@version]`, 2);
  if (needVersion && !m[3]) throw new CliError(`"${ref}" needs a version: owner/slug@version (or @latest)`, 2);
  return { owner: m[1], slug: m[2], version: m[3] ?? 'latest' };
}

const base = (r: DesignRef) =>
  `/api/designs/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.slug)}/versions/${encodeURIComponent(r.version)}`;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function write(dir: string, path: string, bytes: Uint8Array | string) {
  const abs = safeJoin(dir, checkFilePath(path));
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, bytes);
}

/** Downloads every file of a version, checking each sha256; returns the version document. */
async function downloadFiles(client: ApiClient, ref: DesignRef, dir: string, out: Output) {
  const doc = await client.json('GET', base(ref));
  for (const [i, f] of (doc.files as { path: string; sha256: string; size: number }[]).entries()) {
    const bytes = await client.bytes(
      `${base({ ...ref, version: doc.version })}/files/${f.path.split('/').map(encodeURIComponent).join('/')}`,
    );
    if (sha(bytes) !== f.sha256)
      throw new CliError(
        `${f.path} arrived damaged (sha256 ${sha(bytes).slice(0, 12)}… instead of ${f.sha256.slice(0, 12)}…)`,
      );
    write(dir, f.path, bytes);
    out.note(`downloaded ${f.path} (${formatBytes(f.size)}) [${i + 1}/${doc.files.length}]`);
  }
  return doc;
}

/** owner/slug[@version] → a folder `andecha publish` takes back: manifest.json, bom.csv, files. */
export async function pullVersion(client: ApiClient, ref: DesignRef, dirArg: string | undefined, out: Output) {
  const dir = resolve(dirArg ?? ref.slug);
  mkdirSync(dir, { recursive: true });
  const doc = await downloadFiles(client, ref, dir, out);
  write(dir, 'manifest.json', JSON.stringify(doc.manifest, null, 2) + '\n');
  let bom: string | undefined;
  if (doc.bom) {
    bom = doc.files.some((f: { path: string }) => f.path === 'bom.csv') ? '_bom/bom.csv' : 'bom.csv';
    write(dir, bom, await client.bytes(`${base({ ...ref, version: doc.version })}/bom?format=csv`));
  }
  return { owner: ref.owner, slug: ref.slug, version: doc.version, dir, files: doc.files.length, bom: bom ?? null };
}

/** owner/slug@version → okh.toml + files + the BOM named by okh.toml, a folder `andecha import` takes back. */
export async function exportVersion(client: ApiClient, ref: DesignRef, dirArg: string | undefined, out: Output) {
  const okh = (await client.bytes(`${base(ref)}/okh.toml`)).toString('utf8');
  const parsed = parseToml(okh) as Record<string, unknown>;
  const dir = resolve(dirArg ?? `${ref.slug}-${String(parsed.version)}`);
  mkdirSync(dir, { recursive: true });
  const doc = await downloadFiles(client, { ...ref, version: String(parsed.version) }, dir, out);
  write(dir, 'okh.toml', okh);
  if (doc.bom && typeof parsed.bom === 'string')
    write(dir, parsed.bom, await client.bytes(`${base({ ...ref, version: doc.version })}/bom?format=csv`));
  return {
    owner: ref.owner,
    slug: ref.slug,
    version: doc.version,
    dir,
    files: doc.files.length,
    bom: doc.bom ? parsed.bom : null,
  };
}

/** An OKH or Kitspace project folder (or one manifest file) → POST /api/import as one zip. */
export async function importFolder(client: ApiClient, pathArg: string, out: Output) {
  const abs = resolve(pathArg);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new CliError(`${pathArg} does not exist`, 2);
  }
  let name: string;
  let bytes: Uint8Array;
  if (st.isDirectory()) {
    const files = listFolder(abs);
    if (!files.length) throw new CliError(`${pathArg} is empty`, 2);
    const folder = basename(abs);
    bytes = zipSync(Object.fromEntries(files.map((f) => [`${folder}/${f.path}`, readFileSync(f.abs)])));
    name = `${folder}.zip`;
    out.note(`packed ${files.length} files (${formatBytes(bytes.length)})`);
  } else {
    bytes = readFileSync(abs);
    name = basename(abs);
  }
  return client.multipart('/api/import', [{ name: 'files', data: bytes, filename: name }]);
}
