// `andecha translate`: fetch a version's README into README.<lang>.md with the front matter naming the text it is
// made from (translate it in any editor), then send the file as a translation proposal to the design's leads.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { readFrontMatter, withTranslationOf } from '../registry/front-matter.js';
import { canonicalTag, sourceLangOf, sourcePathOf } from '../registry/translations.js';
import type { ApiClient } from './client.js';
import { CliError, type Output } from './output.js';
import type { DesignRef } from './transfer.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const versionBase = (r: DesignRef) =>
  `/api/designs/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.slug)}/versions/${encodeURIComponent(r.version)}`;

interface VersionDoc {
  version: string;
  manifest: Record<string, unknown>;
  files: { path: string; sha256: string }[];
}

/** The version's README: its path and sha256, and the language it is written in; refused when it has none. */
function readmeOf(doc: VersionDoc, ref: DesignRef) {
  const path = sourcePathOf(
    doc.manifest,
    doc.files.map((f) => f.path),
  );
  if (!path) throw new CliError(`${ref.owner}/${ref.slug}@${doc.version} has no README to translate`);
  return { path, sha256: doc.files.find((f) => f.path === path)!.sha256, lang: sourceLangOf(doc.manifest) };
}

function tagOf(lang: string): string {
  const tag = canonicalTag(lang);
  if (!tag) throw new CliError(`"${lang}" is not a language tag like es or pt-BR`, 2);
  return tag;
}

/** Writes FILE (default README.<lang>.md): the front matter `translation-of: <sha256>`, then the original text. */
export async function startTranslation(
  client: ApiClient,
  ref: DesignRef,
  lang: string,
  outArg: string | undefined,
  out: Output,
) {
  const tag = tagOf(lang);
  const doc = await client.json<VersionDoc>('GET', versionBase(ref));
  const readme = readmeOf(doc, ref);
  if (readme.lang.toLowerCase() === tag.toLowerCase())
    throw new CliError(`The instructions of ${ref.owner}/${ref.slug} are already written in ${tag}`, 2);
  const bytes = await client.bytes(
    `${versionBase({ ...ref, version: doc.version })}/files/${readme.path.split('/').map(encodeURIComponent).join('/')}`,
  );
  if (sha(bytes) !== readme.sha256) throw new CliError(`${readme.path} arrived damaged (sha256 differs); try again`);
  const file = resolve(outArg ?? `README.${tag}.md`);
  if (existsSync(file)) throw new CliError(`${file} exists; name another with --out or move it away`, 2);
  writeFileSync(file, withTranslationOf(bytes.toString('utf8'), readme.sha256));
  out.note(
    `translate the text below the front matter, then: andecha translate --propose ${basename(file)} ${ref.owner}/${ref.slug}@${doc.version}`,
  );
  return { owner: ref.owner, slug: ref.slug, version: doc.version, lang: tag, file, source: readme };
}

/** The language a file is in: --lang, else README.<lang>.md's tag. */
function langOfFile(file: string, lang: string | undefined): string {
  if (lang) return tagOf(lang);
  const m = /^readme\.([a-z]{2,3}(?:-[a-z0-9]{1,8})*)\.(?:md|markdown)$/i.exec(basename(file));
  if (!m) throw new CliError(`Name the language with --lang: ${basename(file)} is not README.<lang>.md`, 2);
  return tagOf(m[1]);
}

/**
 * Sends FILE as a translation proposal of the version named (latest when none is). The server names the version's
 * README in the front matter, so a file made from another README is refused here, naming the version it was made
 * from when one of the design's versions has it.
 */
export async function proposeTranslationFile(
  client: ApiClient,
  ref: DesignRef,
  file: string,
  opts: { lang?: string; message?: string },
) {
  const lang = langOfFile(file, opts.lang);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`Cannot read ${file}`, 2);
  }
  const madeFrom = readFrontMatter(text).translationOf;
  const doc = await client.json<VersionDoc>('GET', versionBase(ref));
  const readme = readmeOf(doc, ref);
  if (madeFrom && madeFrom !== readme.sha256) {
    const versions = await client.json<{ items?: { version: string }[] } | { version: string }[]>(
      'GET',
      `/api/designs/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.slug)}/versions`,
    );
    const list = Array.isArray(versions) ? versions : (versions.items ?? []);
    for (const v of list) {
      const other = await client.json<VersionDoc>('GET', versionBase({ ...ref, version: v.version }));
      if (
        sourcePathOf(
          other.manifest,
          other.files.map((f) => f.path),
        ) &&
        readmeOf(other, ref).sha256 === madeFrom
      )
        throw new CliError(
          `${basename(file)} translates the README of ${other.version}, not of ${doc.version}: propose it as ${ref.owner}/${ref.slug}@${other.version}`,
          2,
        );
    }
    throw new CliError(
      `${basename(file)} names a README (translation-of) that no version of ${ref.owner}/${ref.slug} has`,
      2,
    );
  }
  const proposal = await client.json('POST', `${versionBase({ ...ref, version: doc.version })}/translations`, {
    lang,
    markdown: text,
    ...(opts.message ? { message: opts.message } : {}),
  });
  return { owner: ref.owner, slug: ref.slug, version: doc.version, lang, proposal };
}
