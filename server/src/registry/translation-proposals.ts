// Translation proposals: anyone signed in proposes a translation of a published version's README; the design's leads
// accept it into a NEW PATCH VERSION — the latest published version's files carried unchanged by sha256, plus the
// translation with its front matter naming the README it was made from — so a version stays one immutable set of
// files (one archive, one sha256 list) and mirrors, federation, search and the packet need nothing new. Staleness
// follows from the front matter: a translation of an older README is stale in the version it lands in.
// Proposals to a mirrored design are refused by the route (writes go to the design's home); these stay local.
import { and, eq, isNull } from 'drizzle-orm';
import semver from 'semver';
import type { Db, Executor } from '../db/client.js';
import { AppError, msg, type Message } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import type { BlobStore } from '../storage/blob-store.js';
import { blobs, designVersions, proposals, versionTexts, type DesignRow } from './tables.js';
import { canonicalTag, translationPathsOf } from './translations.js';
import { readFrontMatter, withTranslationOf } from './front-matter.js';
import { filesOf, latestPublishedVersion, type VersionRow } from './versions.js';
import { validateManifest } from './manifest.js';
import { designLanguage } from './design-language.js';
import type { PublishInput } from './publish.js';
import type { ProposalAccept, TranslationProposalCreate } from '../schema-types.js';

type ProposalRow = typeof proposals.$inferSelect;

const langField = (lang: string, message: Message) => ({ errors: [{ field: '/lang', value: lang, message }] });

/** The README a version shows, as recorded at publish (its path, sha256 and language), or undefined. */
async function readmeOf(db: Executor, versionId: string) {
  const [row] = await db
    .select({ path: versionTexts.path, sha256: versionTexts.sha256, lang: versionTexts.lang })
    .from(versionTexts)
    .where(and(eq(versionTexts.versionId, versionId), isNull(versionTexts.sourceSha256)))
    .limit(1);
  return row;
}

/** Records a proposal of kind `translation`: the Markdown, front matter naming the version's README, as a blob. */
export async function proposeTranslation(
  deps: { db: Db; blobs: BlobStore },
  target: DesignRow,
  version: VersionRow,
  caller: Caller,
  body: TranslationProposalCreate,
): Promise<ProposalRow> {
  const { db } = deps;
  const lang = canonicalTag(body.lang);
  if (!lang)
    throw new AppError(
      'validation',
      msg('translationProposals.badLang', { lang: body.lang }),
      langField(body.lang, msg('fields.languageTag')),
    );
  if (version.state !== 'published')
    throw new AppError('conflict', msg('translationProposals.yanked', { version: version.version }));
  const readme = await readmeOf(db, version.id);
  if (!readme) throw new AppError('unprocessable', msg('translationProposals.noReadme', { version: version.version }));
  if (lang.toLowerCase() === readme.lang.toLowerCase())
    throw new AppError(
      'validation',
      msg('translationProposals.sourceLang', { lang }),
      langField(body.lang, msg('translationProposals.fieldSourceLang')),
    );
  if (!readFrontMatter(body.markdown).body.trim())
    throw new AppError('validation', msg('translationProposals.empty'), {
      errors: [{ field: '/markdown', message: msg('translationProposals.fieldEmpty') }],
    });
  const stored = await deps.blobs.putBuffer(Buffer.from(withTranslationOf(body.markdown, readme.sha256), 'utf8'));
  return db.transaction(async (tx) => {
    await tx.insert(blobs).values({ sha256: stored.sha256, size: stored.size }).onConflictDoNothing();
    const [row] = await tx
      .insert(proposals)
      .values({
        designId: target.id,
        fromVersionId: version.id,
        authorId: caller.id,
        message: body.message?.trim() || defaultMessage(version.manifest, lang),
        kind: 'translation',
        translationLang: lang,
        translationBlob: stored.sha256,
      })
      .returning();
    return row;
  });
}

/** "Spanish translation of the instructions", in the design's language: the leads read it, not the proposer's. */
function defaultMessage(manifest: Record<string, unknown>, lang: string): string {
  const { t, languageName } = designLanguage(manifest);
  return t('translationProposals.defaultMessage', { language: languageName(lang) });
}

/** The new version's changelog when the lead writes none: part of the published version, so in its language. */
function defaultChangelog(manifest: Record<string, unknown>, lang: string, author: string | null): string {
  const { t, languageName } = designLanguage(manifest);
  const language = languageName(lang);
  return author
    ? t('translationProposals.defaultChangelog', { language, author })
    : t('translationProposals.defaultMessage', { language });
}

/** Where a translation goes in a version: the path that version already uses for the language, else README.<lang>.md. */
function translationPathIn(manifest: Record<string, unknown>, paths: readonly string[], lang: string): string {
  const used = translationPathsOf(manifest, paths).find((t) => t.lang.toLowerCase() === lang.toLowerCase());
  return used?.path ?? `README.${lang}.md`;
}

/** The proposal document's `translation`: its language, the version it translates, the path it goes to. */
export async function describeTranslation(db: Executor, p: ProposalRow) {
  if (p.kind !== 'translation' || !p.translationLang) return undefined;
  const [from] = await db
    .select({ version: designVersions.version, designId: designVersions.designId })
    .from(designVersions)
    .where(eq(designVersions.id, p.fromVersionId))
    .limit(1);
  const latest = await latestPublishedVersion(db, from.designId);
  const paths = latest ? (await filesOf(db, latest.id)).map((f) => f.path) : [];
  return {
    lang: p.translationLang,
    version: from.version,
    path: translationPathIn(latest?.manifest ?? {}, paths, p.translationLang),
  };
}

/** The proposed Markdown, front matter included (what the new version's file will hold). */
export async function translationText(store: BlobStore, p: ProposalRow): Promise<string | undefined> {
  if (p.kind !== 'translation' || !p.translationBlob) return undefined;
  return (await store.getBuffer(p.translationBlob)).toString('utf8');
}

/**
 * What accepting a translation publishes: the latest published version's manifest, BOM and files, the translation
 * added (or replacing that language's file), numbered as the next patch unless the lead names a later version.
 */
export async function translationPublishInput(
  db: Executor,
  target: DesignRow,
  p: ProposalRow,
  author: string | null,
  body: ProposalAccept,
): Promise<PublishInput> {
  const latest = await latestPublishedVersion(db, target.id);
  if (!latest) throw new AppError('conflict', msg('translationProposals.noVersion'));
  const next = semver.inc(latest.version, 'patch')!;
  const version = body.version?.trim() || next;
  if (!semver.valid(version) || !semver.gt(version, latest.version))
    throw new AppError('validation', msg('translationProposals.notAfter', { version, latest: latest.version }), {
      errors: [
        {
          field: '/version',
          value: body.version,
          message: msg('translationProposals.fieldNotAfter', { latest: latest.version }),
        },
      ],
    });
  const lang = p.translationLang!;
  const [blob] = await db.select().from(blobs).where(eq(blobs.sha256, p.translationBlob!)).limit(1);
  const carried = await filesOf(db, latest.id);
  const path = translationPathIn(
    latest.manifest,
    carried.map((f) => f.path),
    lang,
  );
  const { 'accepted-from': _acceptedFrom, ...rest } = latest.manifest;
  const contributors = Array.isArray(rest.contributors) ? rest.contributors : [];
  const manifest = validateManifest({
    ...rest,
    version,
    changelog: body.changelog ?? defaultChangelog(rest, lang, author),
    ...(author ? { contributors: [...contributors, { handle: author }] } : {}),
  });
  let bom: PublishInput['bom'];
  if (latest.bomBlob) {
    const [b] = await db.select().from(blobs).where(eq(blobs.sha256, latest.bomBlob)).limit(1);
    bom = { path: latest.bomFilename ?? 'bom.csv', sha256: b.sha256, size: b.size };
  }
  return {
    manifest,
    bom,
    files: [
      ...carried.filter((f) => f.path !== path).map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
      { path, sha256: blob.sha256, size: blob.size },
    ],
  };
}
