// Translations of a version's instructions, tied to the source text they were made from. A translation is a
// `README.<lang>.md` file at the version's root or a file the manifest names (`translations: {es: {readme: …}}`);
// its source is the version's README. Each records the sha256 of the source text it translates — from its front
// matter (`translation-of:`), else from the previous version when the file is carried unchanged, else the source
// published with it — so when a later version changes the README and not the translation, it is stale, and the
// reader is told which version it follows and what changed in the source since.
import { and, eq, isNull } from 'drizzle-orm';
import semver from 'semver';
import type { Executor } from '../db/client.js';
import { AppError, msg } from '../errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { designVersions, versionTexts } from './tables.js';
import { readFrontMatter } from './front-matter.js';

/** Search and the packet read at most this much of a text; the file itself is kept whole. */
export const maxTextChars = 200_000;
/** A file larger than this is not read for its text (still listed, its source taken from the version). */
const maxReadBytes = 4 * 1024 * 1024;

const translationName = /^readme\.([a-z]{2,3}(?:-[a-z0-9]{1,8})*)\.(?:md|markdown)$/i;
const sourceName = /^readme\.(?:md|markdown)$/i;

/** A BCP 47 tag as Intl writes it (`pt-br` → `pt-BR`), or undefined when it is none. */
export function canonicalTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** The README a version shows: the manifest's `readme` when it is a file of the version, else README.md at the root. */
export function sourcePathOf(manifest: Record<string, unknown>, paths: readonly string[]): string | undefined {
  const named = typeof manifest.readme === 'string' ? manifest.readme : undefined;
  if (named && paths.includes(named)) return named;
  return paths.find((p) => sourceName.test(p));
}

/** The language the version's own instructions are written in: the manifest's `language`, English by default. */
export function sourceLangOf(manifest: Record<string, unknown>): string {
  return (typeof manifest.language === 'string' && canonicalTag(manifest.language)) || 'en';
}

export interface TranslationPath {
  lang: string;
  path: string;
}

/**
 * The translations a version carries: what the manifest's `translations` names (a wrong tag or a path that is not
 * a file of the version is refused, naming the field), then `README.<lang>.md` files at the root for the others.
 */
export function translationPathsOf(manifest: Record<string, unknown>, paths: readonly string[]): TranslationPath[] {
  const source = sourceLangOf(manifest);
  const out = new Map<string, string>();
  const named = manifest.translations;
  if (named && typeof named === 'object' && !Array.isArray(named)) {
    for (const [tag, entry] of Object.entries(named as Record<string, unknown>)) {
      const field = `/manifest/translations/${tag}`;
      const lang = canonicalTag(tag);
      if (!lang)
        throw new AppError('validation', msg('translations.badTag', { tag }), {
          errors: [{ field, value: tag, message: msg('fields.languageTag') }],
        });
      const path = (entry as { readme?: unknown } | null)?.readme;
      if (typeof path !== 'string' || !paths.includes(path))
        throw new AppError('validation', msg('translations.missingFile', { lang, path: String(path ?? '') }), {
          errors: [{ field: `${field}/readme`, value: path, message: msg('fields.notAFileOfVersion') }],
        });
      if (lang !== source) out.set(lang, path);
    }
  }
  for (const path of paths) {
    const m = translationName.exec(path);
    const lang = m && canonicalTag(m[1]);
    if (lang && lang !== source && !out.has(lang)) out.set(lang, path);
  }
  return [...out].map(([lang, path]) => ({ lang, path })).sort((a, b) => a.lang.localeCompare(b.lang));
}

interface ReadText {
  path: string;
  lang: string;
  sha256: string;
  text: string;
  translationOf?: string;
}

/** What a new version's instructions say, read from the stored blobs before the publish transaction. */
export interface VersionTextsInput {
  source?: ReadText;
  translations: ReadText[];
}

export async function readVersionTexts(
  blobs: BlobStore,
  manifest: Record<string, unknown>,
  files: readonly { path: string; sha256: string; size: number }[],
): Promise<VersionTextsInput> {
  const paths = files.map((f) => f.path);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const read = async (path: string, lang: string): Promise<ReadText> => {
    const f = byPath.get(path)!;
    const raw = f.size <= maxReadBytes ? (await blobs.getBuffer(f.sha256)).toString('utf8') : '';
    const { translationOf, body } = readFrontMatter(raw);
    return {
      path,
      lang,
      sha256: f.sha256,
      text: body.slice(0, maxTextChars),
      ...(translationOf ? { translationOf } : {}),
    };
  };
  const sourcePath = sourcePathOf(manifest, paths);
  const translations = translationPathsOf(manifest, paths);
  return {
    ...(sourcePath ? { source: await read(sourcePath, sourceLangOf(manifest)) } : {}),
    translations: await Promise.all(translations.map((t) => read(t.path, t.lang))),
  };
}

/** The version just below `version` in the design (published or yanked): where a carried file comes from. */
async function previousVersionId(db: Executor, designId: string, version: string): Promise<string | undefined> {
  const rows = await db
    .select({ id: designVersions.id, version: designVersions.version })
    .from(designVersions)
    .where(eq(designVersions.designId, designId));
  return rows.filter((r) => semver.lt(r.version, version)).sort((a, b) => semver.rcompare(a.version, b.version))[0]?.id;
}

/** Inside the publish transaction: the version's texts, each translation with the source it was made from. */
export async function recordVersionTexts(
  tx: Executor,
  version: { id: string; designId: string; version: string },
  input: VersionTextsInput,
): Promise<void> {
  const rows: (typeof versionTexts.$inferInsert)[] = [];
  if (input.source) rows.push({ versionId: version.id, ...pick(input.source), sourceSha256: null });
  if (input.translations.length) {
    const before = await previousVersionId(tx, version.designId, version.version);
    const earlier = before ? await tx.select().from(versionTexts).where(eq(versionTexts.versionId, before)) : [];
    for (const t of input.translations) {
      const carried = earlier.find((e) => e.sourceSha256 !== null && e.lang === t.lang && e.sha256 === t.sha256);
      // '' when nothing says what it translates (no front matter, nothing carried, no README beside it)
      const sourceSha256 = t.translationOf ?? carried?.sourceSha256 ?? input.source?.sha256 ?? '';
      rows.push({ versionId: version.id, ...pick(t), sourceSha256 });
    }
  }
  if (rows.length) await tx.insert(versionTexts).values(rows).onConflictDoNothing();
}

const pick = (t: ReadText) => ({ path: t.path, lang: t.lang, sha256: t.sha256, text: t.text });

/** A fork's first version is its upstream version's files: its texts and their sources come along. */
export async function copyVersionTexts(tx: Executor, fromVersionId: string, toVersionId: string): Promise<void> {
  const rows = await tx.select().from(versionTexts).where(eq(versionTexts.versionId, fromVersionId));
  if (rows.length) await tx.insert(versionTexts).values(rows.map((r) => ({ ...r, versionId: toVersionId })));
}

export interface VersionTranslation {
  lang: string;
  path: string;
  sha256: string;
  source: { path: string; sha256: string; lang: string };
  stale: boolean;
  /** the latest version up to this one whose README is the text it was made from; null when none is */
  follows: string | null;
  /** the first version after `follows` whose README changed (a stale translation's reason) */
  changedIn: string | null;
}

type TextRow = typeof versionTexts.$inferSelect;

/** The design's READMEs by version, oldest first (the versions whose source this one's translations may follow). */
async function sourceHistory(db: Executor, designId: string): Promise<{ version: string; row: TextRow }[]> {
  const rows = await db
    .select({ version: designVersions.version, row: versionTexts })
    .from(versionTexts)
    .innerJoin(designVersions, eq(designVersions.id, versionTexts.versionId))
    .where(and(eq(designVersions.designId, designId), isNull(versionTexts.sourceSha256)));
  return rows.sort((a, b) => semver.compare(a.version, b.version));
}

function describe(
  t: TextRow,
  version: string,
  source: TextRow | undefined,
  history: { version: string; row: TextRow }[],
): VersionTranslation {
  const upTo = history.filter((h) => semver.lte(h.version, version));
  const followed = [...upTo].reverse().find((h) => h.row.sha256 === t.sourceSha256);
  const changed = followed
    ? upTo.find((h) => semver.gt(h.version, followed.version) && h.row.sha256 !== t.sourceSha256)
    : undefined;
  const stale = !!source && !!t.sourceSha256 && t.sourceSha256 !== source.sha256;
  return {
    lang: t.lang,
    path: t.path,
    sha256: t.sha256,
    source: {
      path: source?.path ?? followed?.row.path ?? 'README.md',
      sha256: t.sourceSha256 ?? '',
      lang: source?.lang ?? followed?.row.lang ?? 'en',
    },
    stale,
    follows: followed?.version ?? null,
    changedIn: stale ? (changed?.version ?? null) : null,
  };
}

/** The version document's `translations`: every translation the version carries, with its staleness. */
export async function versionTranslations(
  db: Executor,
  v: { id: string; designId: string; version: string },
): Promise<VersionTranslation[]> {
  const rows = await db.select().from(versionTexts).where(eq(versionTexts.versionId, v.id)).orderBy(versionTexts.lang);
  const translations = rows.filter((r) => r.sourceSha256 !== null);
  if (!translations.length) return [];
  const source = rows.find((r) => r.sourceSha256 === null);
  const history = await sourceHistory(db, v.designId);
  return translations.map((t) => describe(t, v.version, source, history));
}

export interface TranslationText extends VersionTranslation {
  /** the translation's Markdown, front matter left out */
  markdown: string;
  /** the README it follows and this version's, when it is stale: what changed in the source since */
  sourceBefore?: string;
  sourceNow?: string;
}

/** One translation of a version with its text (and, when stale, both READMEs), or undefined when it has none. */
export async function versionTranslation(
  db: Executor,
  v: { id: string; designId: string; version: string },
  lang: string,
): Promise<TranslationText | undefined> {
  const rows = await db.select().from(versionTexts).where(eq(versionTexts.versionId, v.id));
  const t = rows.find((r) => r.sourceSha256 !== null && r.lang.toLowerCase() === lang.toLowerCase());
  if (!t) return undefined;
  const source = rows.find((r) => r.sourceSha256 === null);
  const history = await sourceHistory(db, v.designId);
  const described = describe(t, v.version, source, history);
  const followed = described.follows ? history.find((h) => h.version === described.follows) : undefined;
  return {
    ...described,
    markdown: t.text,
    ...(described.stale && followed && source ? { sourceBefore: followed.row.text, sourceNow: source.text } : {}),
  };
}
