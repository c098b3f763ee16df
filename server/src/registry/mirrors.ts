// Designs mirrored from other instances, as the registry keeps them: the design row with its origin, and the state of
// each announced version's mirror. The federation layer drives these; the registry serves the copies read-only.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { AppError, mirroredReadOnly, msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { designs, designVersions, mirroredVersions, type DesignRow } from './tables.js';
import { designChanged, type DesignChangedHook } from './design-changed.js';

export type MirrorState = 'queued' | 'fetching' | 'complete' | 'failed';
export type MirroredVersionRow = typeof mirroredVersions.$inferSelect;
type VersionRow = typeof designVersions.$inferSelect;

/** What the registry needs of a remote design to keep its copy. */
export interface MirroredDesignInput {
  actorUri: string;
  url: string;
  instance: string;
  slug: string;
  title: string;
  summary: string;
  licenses: Record<string, string>;
  tags: string[];
  /** its followers as its home tells them; absent keeps what was known */
  followers?: { count: number; instances: string[] };
}

export const isMirror = (d: DesignRow) => d.originActor !== null;

/** The design's home for replies: `{url, instance}` of a mirror, undefined for a local design. */
export const originOf = (d: DesignRow) =>
  d.originActor ? { url: d.originUrl ?? d.originActor, instance: d.originInstance ?? '' } : undefined;

/** 403 naming the home of a mirrored design: writes are made at the origin. */
export function refuseMirrorWrite(d: DesignRow): void {
  if (isMirror(d)) throw mirroredReadOnly(`${d.ownerHandle}/${d.slug}`, d.originUrl ?? d.originActor!);
}

/** Creates or updates the copy of a remote design (owned by its remote owner), keyed by its actor URI. */
export async function upsertMirroredDesign(
  db: Db,
  owner: Caller,
  input: MirroredDesignInput,
  changed: readonly DesignChangedHook[],
): Promise<DesignRow> {
  return db.transaction(async (tx) => {
    const fields = {
      title: input.title,
      summary: input.summary,
      tags: input.tags,
      licenses: input.licenses,
      originUrl: input.url,
      originInstance: input.instance,
      ...(input.followers ? { originFollowers: input.followers } : {}),
    };
    const [d] = await tx
      .insert(designs)
      .values({
        ownerId: owner.id,
        ownerHandle: owner.handle,
        slug: input.slug,
        originActor: input.actorUri,
        ...fields,
      })
      // an edit at the origin keeps the copy's place in "recent": its newest version's publication (publish.ts)
      .onConflictDoUpdate({ target: designs.originActor, set: fields })
      .returning();
    await designChanged(tx, changed, d.id);
    return d;
  });
}

export async function findMirroredDesign(db: Executor, actorUri: string): Promise<DesignRow | undefined> {
  const [d] = await db.select().from(designs).where(eq(designs.originActor, actorUri)).limit(1);
  return d;
}

/** Records an announced version; false when it was known already (an activity delivered twice, a backfill). */
export async function recordMirroredVersion(
  db: Executor,
  designId: string,
  version: string,
  objectUri: string,
  remote: Record<string, unknown>,
): Promise<boolean> {
  const rows = await db
    .insert(mirroredVersions)
    .values({ designId, version, objectUri, remote })
    .onConflictDoNothing()
    .returning({ version: mirroredVersions.version });
  return rows.length > 0;
}

/**
 * A failed copy goes back to the queue: with what the origin announced again when it did (a fixed file, a new object),
 * else as it was (an admin's retry). Never a copy queued, in progress, complete or taken down. True when it was failed.
 */
export async function requeueFailedMirror(
  db: Executor,
  designId: string,
  version: string,
  announced?: { objectUri: string; remote: Record<string, unknown> },
): Promise<boolean> {
  const rows = await db
    .update(mirroredVersions)
    .set({ state: 'queued', error: null, updatedAt: new Date(), ...(announced ?? {}) })
    .where(
      and(
        eq(mirroredVersions.designId, designId),
        eq(mirroredVersions.version, version),
        eq(mirroredVersions.state, 'failed'),
        eq(mirroredVersions.takenDown, false),
      ),
    )
    .returning({ version: mirroredVersions.version });
  return rows.length > 0;
}

export async function findMirroredVersion(
  db: Executor,
  designId: string,
  version: string,
): Promise<MirroredVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(mirroredVersions)
    .where(and(eq(mirroredVersions.designId, designId), eq(mirroredVersions.version, version)))
    .limit(1);
  return row;
}

/** The local row of a mirrored version copied here, found by its object id at its origin. */
export async function copiedVersionByObject(db: Executor, objectUri: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: designVersions.id })
    .from(mirroredVersions)
    .innerJoin(
      designVersions,
      and(eq(designVersions.designId, mirroredVersions.designId), eq(designVersions.version, mirroredVersions.version)),
    )
    .where(eq(mirroredVersions.objectUri, objectUri))
    .limit(1);
  return row?.id;
}

export async function listMirroredVersions(db: Executor, designId: string): Promise<MirroredVersionRow[]> {
  return db.select().from(mirroredVersions).where(eq(mirroredVersions.designId, designId));
}

export async function setMirrorState(
  db: Executor,
  designId: string,
  version: string,
  state: MirrorState,
  error: string | null = null,
): Promise<void> {
  await db
    .update(mirroredVersions)
    .set({ state, error, updatedAt: new Date() })
    .where(and(eq(mirroredVersions.designId, designId), eq(mirroredVersions.version, version)));
}

/** The origin yanked (or un-yanked) a version the mirror holds. */
export async function setMirroredYank(
  db: Db,
  design: DesignRow,
  version: string,
  yanked: boolean,
  changed: readonly DesignChangedHook[],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(designVersions)
      .set({ state: yanked ? 'yanked' : 'published' })
      .where(and(eq(designVersions.designId, design.id), eq(designVersions.version, version)));
    // a version still being copied is yanked once its copy is published
    await tx
      .update(mirroredVersions)
      .set({
        remote: sql`jsonb_set(${mirroredVersions.remote}, '{yanked}', ${yanked ? sql`'true'` : sql`'false'`}::jsonb)`,
      })
      .where(and(eq(mirroredVersions.designId, design.id), eq(mirroredVersions.version, version)));
    await designChanged(tx, changed, design.id);
  });
}

/** The home's field data of a mirrored version (reports from every instance): what the mirror's …/field answers. */
export async function setMirroredField(
  db: Executor,
  design: DesignRow,
  version: string,
  field: Record<string, unknown>,
): Promise<void> {
  await db
    .update(mirroredVersions)
    .set({ remote: sql`jsonb_set(${mirroredVersions.remote}, '{field}', ${JSON.stringify(field)}::jsonb)` })
    .where(and(eq(mirroredVersions.designId, design.id), eq(mirroredVersions.version, version)));
}

/** The home's field data of a mirrored version, when its home sent one. */
export async function mirroredFieldData(
  db: Executor,
  design: DesignRow,
  version: string,
): Promise<Record<string, unknown> | undefined> {
  if (!isMirror(design)) return undefined;
  const row = await findMirroredVersion(db, design.id, version);
  const field = (row?.remote as { field?: unknown } | undefined)?.field;
  return field && typeof field === 'object' ? (field as Record<string, unknown>) : undefined;
}

/** The origin took one version down for abuse: withdrawn (yanked) and hidden from all but admins. */
export async function takeDownMirroredVersion(
  db: Db,
  design: DesignRow,
  version: string,
  changed: readonly DesignChangedHook[],
): Promise<void> {
  await db
    .update(mirroredVersions)
    .set({ takenDown: true, updatedAt: new Date() })
    .where(and(eq(mirroredVersions.designId, design.id), eq(mirroredVersions.version, version)));
  await setMirroredYank(db, design, version, true, changed);
}

/** 404 for a mirrored version its origin took down, as for a taken-down design; admins still see it. */
export async function refuseTakenDownVersion(
  db: Executor,
  design: DesignRow,
  v: VersionRow,
  caller?: Caller,
): Promise<void> {
  if (!isMirror(design) || caller?.isAdmin) return;
  const row = await findMirroredVersion(db, design.id, v.version);
  if (row?.takenDown)
    throw notFound(msg('notFound.version', { version: v.version, design: `${design.ownerHandle}/${design.slug}` }));
}

/**
 * A version a mirrored design does not hold: 404 saying how far its copy got, when the origin announced it (a client
 * polling a new version learns to wait, or why it never comes).
 */
export async function explainMissingVersion(db: Executor, design: DesignRow, version: string): Promise<void> {
  if (!isMirror(design)) return;
  const row = await findMirroredVersion(db, design.id, version);
  if (!row || row.takenDown || row.state === 'complete') return;
  const values = { version, design: `${design.ownerHandle}/${design.slug}`, state: row.state };
  throw new AppError(
    'not-found',
    row.error ? msg('registry.mirrorCopyWhy', { ...values, why: row.error }) : msg('registry.mirrorCopy', values),
    { extra: { mirror: stateOf(row) } },
  );
}

/** The versions of a mirrored design its origin took down (left out of its version list). */
export async function takenDownVersions(db: Executor, design: DesignRow): Promise<Set<string>> {
  if (!isMirror(design)) return new Set();
  const rows = await db
    .select({ version: mirroredVersions.version })
    .from(mirroredVersions)
    .where(and(eq(mirroredVersions.designId, design.id), eq(mirroredVersions.takenDown, true)));
  return new Set(rows.map((r) => r.version));
}

/** Origin gone, taken down, its instance blocked: one flag of a mirrored design changes. */
export async function setMirrorFlags(
  db: Db,
  designIds: string[],
  flags: Partial<Pick<DesignRow, 'originGone' | 'originBlocked' | 'hidden'>>,
  changed: readonly DesignChangedHook[],
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const id of designIds) {
      await tx.update(designs).set(flags).where(eq(designs.id, id));
      await designChanged(tx, changed, id);
    }
  });
}

export async function mirroredDesignsOf(db: Executor, instance: string): Promise<string[]> {
  const rows = await db.select({ id: designs.id }).from(designs).where(eq(designs.originInstance, instance));
  return rows.map((r) => r.id);
}

const stateOf = (r: Pick<MirroredVersionRow, 'state' | 'error'>) =>
  r.error ? { state: r.state, error: r.error } : { state: r.state };

/** What a mirrored version's document adds: how far its copy got, and whether its origin is gone. */
export async function mirrorOfVersion(db: Executor, design: DesignRow, v: VersionRow) {
  if (!isMirror(design)) return {};
  const row = await findMirroredVersion(db, v.designId, v.version);
  return { ...(row ? { mirror: stateOf(row) } : {}), originGone: design.originGone };
}

/** What a mirrored design's document adds: every version its origin announced and how far each copy got. */
export async function mirrorOfDesign(db: Executor, design: DesignRow) {
  if (!isMirror(design)) return {};
  const rows = await listMirroredVersions(db, design.id);
  return {
    origin: originOf(design),
    originGone: design.originGone,
    mirror: { versions: rows.filter((r) => !r.takenDown).map((r) => ({ version: r.version, ...stateOf(r) })) },
  };
}
