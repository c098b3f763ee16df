// Forking: a new design owned by the caller whose first version is the chosen upstream version, sharing its
// blobs and derivatives (nothing is re-rendered), with provenance in `fork-of`; the BOM domain copies the BOM
// through `onForked` (see runtime.ts).
import { copyVersionTexts } from './translations.js';
import { eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { AppError, msg } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { designs, designVersions, files } from './tables.js';
import type { DesignRow } from './tables.js';
import { resolveVersion, filesOf, type VersionRow } from './versions.js';
import { checkLicenses } from './licenses.js';
import { checkShareAlike, type Licenses } from './share-alike.js';
import { parentOf } from './lineage.js';
import { formatVersionRef } from './version-ref.js';
import type { ForkCreate } from '../schema-types.js';
import { designChanged, type DesignChangedHook } from './design-changed.js';
import { leadIds } from './leads.js';
import { notify } from '../notifications/notify.js';
import { forkSubject } from '../notifications/subjects.js';

/** Runs inside the fork transaction, after the fork's version and files are written (the BOM domain copies the BOM). */
export type ForkedHook = (tx: Executor, ctx: { fromVersionId: string; toVersionId: string }) => Promise<void>;

export interface ForkDeps {
  db: Db;
  onForked: readonly ForkedHook[];
  /** run in the fork's transaction once it is written (search row, field stats) */
  designChanged?: readonly DesignChangedHook[];
  /** queue the fork's version for the pipeline when upstream files were still being processed */
  enqueueVersion?: (tx: Executor, versionId: string, requestId?: string) => Promise<unknown>;
}

/** The licences a version was published under (its manifest's), else its design's. */
export function licensesOfVersion(design: DesignRow, version: Pick<VersionRow, 'manifest'>): Licenses {
  const m = version.manifest.licenses;
  return m && typeof m === 'object' ? { ...design.licenses, ...(m as Licenses) } : { ...design.licenses };
}

/**
 * A fork's licences must honour the share-alike licences of the version it was forked from (422 otherwise).
 * Used on fork, publish and edit; a design that is not a fork passes.
 */
export async function checkForkLicenses(
  db: Executor,
  design: Pick<DesignRow, 'forkedFromVersionId'>,
  licenses: Licenses,
  at = '/licenses',
): Promise<void> {
  const parent = await parentOf(db, design);
  if (!parent) return;
  const [v] = await db
    .select({ manifest: designVersions.manifest })
    .from(designVersions)
    .where(eq(designVersions.id, parent.version.id));
  checkShareAlike(
    licensesOfVersion(parent.design, v),
    licenses,
    formatVersionRef({ owner: parent.design.ownerHandle, slug: parent.design.slug, version: parent.version.version }),
    at,
  );
}

function taken(slug: string) {
  return new AppError('taken', msg('registry.forkSlugTaken', { slug }), {
    errors: [{ field: '/slug', message: msg('fields.slugTaken') }],
  });
}

export async function forkDesign(
  deps: ForkDeps,
  upstream: DesignRow,
  caller: Caller,
  body: ForkCreate,
): Promise<DesignRow> {
  const from = await resolveVersion(deps.db, upstream, body.version);
  if (from.state !== 'published')
    throw new AppError(
      'conflict',
      msg('registry.forkYanked', { version: from.version, design: `${upstream.ownerHandle}/${upstream.slug}` }),
    );
  checkLicenses(body.licenses);
  const ref = formatVersionRef({ owner: upstream.ownerHandle, slug: upstream.slug, version: from.version });
  const inherited = licensesOfVersion(upstream, from);
  const licenses = { ...inherited, ...(body.licenses ?? {}) } as Record<string, string>;
  checkShareAlike(inherited, licenses, ref);
  const slug = body.slug ?? upstream.slug;
  return deps.db.transaction(async (tx) => {
    const [d] = await tx
      .insert(designs)
      .values({
        ownerId: caller.id,
        ownerHandle: caller.handle,
        slug,
        title: body.title ?? upstream.title,
        summary: upstream.summary,
        category: upstream.category,
        tags: upstream.tags,
        licenses,
        forkedFromVersionId: from.id,
        ...(body.federation === false ? { federation: false } : {}),
      })
      .onConflictDoNothing()
      .returning();
    if (!d) throw taken(slug);
    const [v] = await tx
      .insert(designVersions)
      .values({
        designId: d.id,
        version: from.version,
        major: from.major,
        minor: from.minor,
        patch: from.patch,
        prerelease: from.prerelease,
        state: 'published',
        changelog: from.changelog,
        manifest: { ...from.manifest, 'fork-of': ref, licenses },
        bomBlob: from.bomBlob,
        bomFilename: from.bomFilename,
        createdBy: caller.id,
      })
      .returning();
    const upstreamFiles = await filesOf(tx, from.id);
    if (upstreamFiles.length) {
      await tx.insert(files).values(
        upstreamFiles.map((f) => ({
          versionId: v.id,
          path: f.path,
          sha256: f.sha256,
          size: f.size,
          mediaType: f.mediaType,
          format: f.format,
          role: f.role,
          state: f.state,
          error: f.error,
          facts: f.facts,
          // keys of the same bytes' derivatives: the fork's replies build its own URLs from them
          previews: f.previews,
        })),
      );
    }
    await copyVersionTexts(tx, from.id, v.id);
    for (const hook of deps.onForked) await hook(tx, { fromVersionId: from.id, toVersionId: v.id });
    // upstream still processing: the fork's copies would stay queued, so the fork's version goes through the
    // pipeline too (the derivatives cache answers at once for what upstream already finished)
    if (upstreamFiles.some((f) => f.state === 'queued' || f.state === 'running')) {
      await tx.update(files).set({ state: 'queued' }).where(eq(files.versionId, v.id));
      await deps.enqueueVersion?.(tx, v.id, caller.requestId);
    }
    await designChanged(tx, deps.designChanged ?? [], d.id);
    await tellOfFork(tx, upstream, d, caller.id);
    return d;
  });
}

/**
 * The upstream design's leads hear of a fork of it (a local one, or one made on another instance that its home
 * learnt of); inside the transaction that records the fork.
 */
export async function tellOfFork(tx: Executor, upstream: DesignRow, fork: DesignRow, actorId: string): Promise<void> {
  await notify(tx, {
    userIds: await leadIds(tx, upstream),
    kind: 'fork',
    subject: forkSubject(upstream, fork),
    actorId,
  });
}
