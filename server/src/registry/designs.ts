// Designs: create, read, list with cursor pagination, edit, maintainers and who may change what.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database, Db, Executor } from '../db/client.js';
import { AppError, forbidden, msg, notFound } from '../errors.js';
import { users } from '../accounts/tables.js';
import type { Caller } from '../accounts/accounts.js';
import { designs, designMaintainers, type DesignRow } from './tables.js';
import { checkLicenses } from './licenses.js';
import { licenseFlags } from './share-alike.js';
import { checkForkLicenses } from './forks.js';
import { upstreamStatus } from './upstream.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { DesignCreate, DesignPatch, DesignListQuery } from '../schema-types.js';
import { designChanged, type DesignChangedHook } from './design-changed.js';
import { rowsOf } from '../db/rows.js';
import { mirrorOfDesign } from './mirrors.js';
import { sqlStateOf } from '../db/sql-state.js';
import { designExtrasColumns, readExtrasOf, type DesignExtras, type ForkedHome } from './design-extras.js';
import { readDesignPage } from './design-list-read.js';

export type { DesignRow };

/** A design, its latest version or its field data changed: search rows, completeness and caches follow. */
export type { DesignChangedHook } from './design-changed.js';

export const maxListLimit = 100;

export async function findDesign(db: Executor, owner: string, slug: string): Promise<DesignRow> {
  const [d] = await db
    .select()
    .from(designs)
    .where(and(eq(designs.ownerHandle, owner), eq(designs.slug, slug)))
    .limit(1);
  if (!d) throw notFound.design(owner, slug);
  return d;
}

export async function findDesignById(db: Executor, id: string): Promise<DesignRow> {
  const [d] = await db.select().from(designs).where(eq(designs.id, id)).limit(1);
  if (!d) throw notFound(msg('notFound.designId', { id }));
  return d;
}

/** A hidden (taken-down) design is visible only to its owner and admins. */
export async function findVisibleDesign(
  db: Executor,
  owner: string,
  slug: string,
  caller?: Caller,
): Promise<DesignRow> {
  return visibleOrNotFound(await findDesign(db, owner, slug), caller);
}

/** The design if the caller may see it, else 404 as if there were none. */
export function visibleOrNotFound(d: DesignRow, caller?: Caller): DesignRow {
  if (d.hidden && !(caller && (caller.isAdmin || caller.id === d.ownerId)))
    throw notFound.design(d.ownerHandle, d.slug);
  // a mirror of a blocked instance: hidden from all but admins until it is unblocked
  if (d.originBlocked && !caller?.isAdmin) throw notFound.design(d.ownerHandle, d.slug);
  return d;
}

export async function isLead(db: Executor, design: DesignRow, caller: Caller): Promise<boolean> {
  if (design.ownerId === caller.id) return true;
  const [m] = await db
    .select()
    .from(designMaintainers)
    .where(and(eq(designMaintainers.designId, design.id), eq(designMaintainers.userId, caller.id)))
    .limit(1);
  return !!m;
}

/** Owner or maintainer, else 403. */
export async function requireLead(db: Executor, design: DesignRow, caller: Caller): Promise<void> {
  if (!(await isLead(db, design, caller)))
    throw forbidden(msg('forbidden.leadsOnly', { design: `${design.ownerHandle}/${design.slug}` }));
}

export async function createDesign(
  db: Db,
  caller: Caller,
  body: DesignCreate,
  changed: readonly DesignChangedHook[] = [],
): Promise<DesignRow> {
  checkLicenses(body.licenses);
  try {
    return await db.transaction(async (tx) => {
      const [d] = await tx
        .insert(designs)
        .values({
          ownerId: caller.id,
          ownerHandle: caller.handle,
          slug: body.slug,
          title: body.title,
          summary: body.summary ?? '',
          category: body.category ?? null,
          tags: body.tags ?? [],
          licenses: (body.licenses ?? {}) as Record<string, string>,
        })
        .returning();
      await designChanged(tx, changed, d.id);
      return d;
    });
  } catch (err) {
    if (sqlStateOf(err) === '23505')
      throw new AppError('taken', msg('registry.slugTaken', { slug: body.slug }), {
        errors: [{ field: '/slug', message: msg('fields.slugTaken') }],
      });
    throw err;
  }
}

export async function patchDesign(
  db: Db,
  design: DesignRow,
  caller: Caller,
  body: DesignPatch,
  changed: readonly DesignChangedHook[] = [],
): Promise<DesignRow> {
  await requireLead(db, design, caller);
  checkLicenses(body.licenses);
  // a fork may not drop the share-alike licence of what it was forked from
  if (body.licenses !== undefined) await checkForkLicenses(db, design, body.licenses as Record<string, string>);
  return db.transaction(async (tx) => {
    const [d] = await tx
      .update(designs)
      .set({
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.summary !== undefined ? { summary: body.summary } : {}),
        ...(body.category !== undefined ? { category: body.category } : {}),
        ...(body.tags !== undefined ? { tags: body.tags } : {}),
        ...(body.licenses !== undefined ? { licenses: body.licenses as Record<string, string> } : {}),
        ...(body.federation !== undefined ? { federation: body.federation } : {}),
        updatedAt: new Date(),
      })
      .where(eq(designs.id, design.id))
      .returning();
    await designChanged(tx, changed, d.id);
    return d;
  });
}

export async function maintainersOf(db: Executor, designId: string): Promise<string[]> {
  const rows = await db
    .select({ handle: users.handle })
    .from(designMaintainers)
    .innerJoin(users, eq(users.id, designMaintainers.userId))
    .where(eq(designMaintainers.designId, designId))
    .orderBy(asc(users.handle));
  return rows.map((r) => r.handle);
}

export async function addMaintainer(db: Db, design: DesignRow, caller: Caller, handle: string): Promise<string[]> {
  if (design.ownerId !== caller.id) throw forbidden(msg('forbidden.ownerAddsMaintainers'));
  const [u] = await db.select().from(users).where(eq(users.handle, handle)).limit(1);
  if (!u) throw notFound.user(handle);
  if (u.id === design.ownerId) throw new AppError('conflict', msg('registry.ownsAlready', { handle }));
  await db.insert(designMaintainers).values({ designId: design.id, userId: u.id }).onConflictDoNothing();
  return maintainersOf(db, design.id);
}

export async function removeMaintainer(db: Db, design: DesignRow, caller: Caller, handle: string): Promise<void> {
  if (design.ownerId !== caller.id) throw forbidden(msg('forbidden.ownerRemovesMaintainers'));
  const [u] = await db.select().from(users).where(eq(users.handle, handle)).limit(1);
  if (!u) throw notFound.user(handle);
  const gone = await db
    .delete(designMaintainers)
    .where(and(eq(designMaintainers.designId, design.id), eq(designMaintainers.userId, u.id)))
    .returning();
  if (!gone.length) throw notFound(msg('notFound.maintainer', { handle }));
}

/** The upstream version of a fork of a mirrored design, as its home instance has it. */
/**
 * `owner/slug@version` for a fork of a local design (the contract local clients read); for a fork of a design
 * mirrored from another instance an object that also says where that version lives: `{url, owner, slug, version,
 * instance, ref}` (`url` the version's web page at its home, `ref` the same string a local fork has).
 */
function forkedFromOf(ref: string | null, home: ForkedHome | string | null) {
  if (!ref) return null;
  // json arrives parsed from node-postgres and PGlite alike; a string means a driver that left it as text
  const h = typeof home === 'string' ? (JSON.parse(home) as ForkedHome) : home;
  if (!h) return ref;
  const page = h.url ? `${h.url.replace(/\/$/, '')}/${encodeURIComponent(h.version)}` : null;
  return { url: page, owner: h.owner, slug: h.slug, version: h.version, instance: h.instance, ref };
}

async function designExtras(db: Executor, rows: DesignRow[]): Promise<DesignExtras[]> {
  const ids = sql.join(
    rows.map((d) => sql`${d.id}`),
    sql`, `,
  );
  return rowsOf<DesignExtras>(
    await db.execute(sql`select d.id, ${sql.raw(designExtrasColumns)} from ${designs} d where d.id in (${ids})`),
  );
}

/** The API shape of a design. */
export async function describeDesign(db: Executor, d: DesignRow) {
  return (await describeDesigns(db, [d]))[0];
}

/**
 * The API shapes of several designs with one query for all of them (latest version, maintainers, fork origin as
 * subselects), so a list page costs two queries, not three per item; only forks add their upstream lookup.
 */
export async function describeDesigns(db: Executor, rows: DesignRow[]) {
  if (!rows.length) return [];
  // read with its design in one statement (design-read.ts): nothing left to ask
  const known = rows.map(readExtrasOf);
  const extra = known.every((x) => x !== undefined) ? known : await designExtras(db, rows);
  const byId = new Map(extra.map((r) => [r.id, r]));
  return Promise.all(
    rows.map(async (d) => {
      const x = byId.get(d.id);
      // json arrives parsed from node-postgres and PGlite alike; a string means a driver that left it as text
      const maintainers =
        typeof x?.maintainers === 'string' ? (JSON.parse(x.maintainers) as string[]) : (x?.maintainers ?? []);
      return {
        owner: d.ownerHandle,
        slug: d.slug,
        title: d.title,
        summary: d.summary,
        category: d.category,
        tags: d.tags,
        licenses: d.licenses,
        maintainers,
        latestVersion: x?.latest ?? null,
        forkedFrom: forkedFromOf(x?.forked_from ?? null, x?.forked_home ?? null),
        upstream: await upstreamStatus(db, d),
        licenseFlags: licenseFlags(d.licenses),
        hidden: d.hidden,
        stars: Number(x?.stars ?? 0),
        federation: d.federation,
        ...(await mirrorOfDesign(db, d)),
        createdAt: d.createdAt.toISOString(),
        updatedAt: d.updatedAt.toISOString(),
      };
    }),
  );
}

/** A page of the designs the caller may see, newest first or by title: one statement, then forks' upstreams. */
export async function listDesigns(database: Database, q: DesignListQuery, caller?: Caller) {
  const limit = Math.min(q.limit ?? 20, maxListLimit);
  const byTitle = q.sort === 'title';
  const rows = await readDesignPage(
    database,
    {
      sort: byTitle ? 'title' : 'recent',
      rows: limit + 1,
      category: q.category,
      owner: q.owner,
      tag: q.tag,
      license: q.license,
      text: q.q,
      after: q.cursor ? decodeCursor(q.cursor, byTitle ? 'text' : 'date') : undefined,
    },
    caller,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last ? encodeCursor(byTitle ? last.title : last.updatedAt.toISOString(), last.id) : null;
  return { items: await describeDesigns(database.db, page), nextCursor };
}

/** Records where a design came from (a fork whose first version is its own content, e.g. a sample). */
export async function setForkOrigin(db: Executor, designId: string, upstreamVersionId: string): Promise<void> {
  await db.update(designs).set({ forkedFromVersionId: upstreamVersionId }).where(eq(designs.id, designId));
}

/**
 * An account is deleted: its designs stay (others' forks, builds and reviews point at them) under the deleted
 * account's new handle, and it leads nobody else's design any more. Returns the ids of the designs it owned.
 */
/**
 * A deleted account's designs keep their owner handle: `owner/slug@version` names one set of bytes for ever, so the
 * address stays (and the handle with it, see registerUser) while the account is gone. Its maintainerships end.
 * Returns the designs it owned, whose pages change.
 */
export async function keepDesignsOfDeletedAccount(db: Executor, userId: string): Promise<string[]> {
  const owned = await db.select({ id: designs.id }).from(designs).where(eq(designs.ownerId, userId));
  await db.delete(designMaintainers).where(eq(designMaintainers.userId, userId));
  return owned.map((d) => d.id);
}

/** "owner/slug" or "owner/slug@version" → its parts; anything else is a usage error. */
export function parseDesignRef(ref: string, withVersion: boolean): { owner: string; slug: string; version?: string } {
  const m = (withVersion ? /^([^/@\s]+)\/([^/@\s]+)@(\S+)$/ : /^([^/@\s]+)\/([^/@\s]+)$/).exec(ref);
  if (!m)
    throw new AppError(
      'bad-request',
      msg('registry.badRef', { form: withVersion ? 'OWNER/SLUG@VERSION' : 'OWNER/SLUG', ref }),
    );
  return { owner: m[1], slug: m[2], version: m[3] };
}

async function setDesignHidden(db: Db, ref: string, hidden: boolean): Promise<void> {
  const { owner, slug } = parseDesignRef(ref, false);
  const d = await findDesign(db, owner, slug);
  await db.update(designs).set({ hidden }).where(eq(designs.id, d.id));
}

/** Takedown: the design answers 404 to everyone but its owner and admins; nothing is deleted. */
export const hideDesign = (db: Db, ref: string) => setDesignHidden(db, ref, true);
export const restoreDesign = (db: Db, ref: string) => setDesignHidden(db, ref, false);
