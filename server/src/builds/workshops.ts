// Workshops: create, read, list (near a point, by process or country), edit, members and their roles.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { AppError, type FieldErrorInput, forbidden, msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { getUserByHandle } from '../accounts/accounts.js';
import { users } from '../accounts/tables.js';
import { PROCESSES, normaliseProcess } from '../bom/kernel/processes.js';
import type { WorkshopCreate, WorkshopListQuery, WorkshopPatch, WorkshopPlace } from '../schema-types.js';
import { workshops, workshopMembers } from './tables.js';
import { haversineKm, parsePoint, roundCoordinate } from './geo.js';
import { sqlStateOf } from '../db/sql-state.js';
import { containing } from '../db/like-pattern.js';

export type WorkshopRow = typeof workshops.$inferSelect;
export type WorkshopRole = 'admin' | 'member';

const maxWorkshopList = 100;

/**
 * Maps each process onto the shared vocabulary (everyday spellings like "mig" become "welding"), or 400 naming the
 * ones we do not know. The vocabulary is the BOM's, so workshops and BOM lines always speak the same words.
 */
export function checkProcesses(list: readonly string[], field: string): string[] {
  const errors: FieldErrorInput[] = [];
  const out: string[] = [];
  list.forEach((p, i) => {
    const known = normaliseProcess(p);
    if (!known)
      errors.push({
        field: `${field}/${i}`,
        value: p,
        message: msg('fields.unknownProcess', { processes: PROCESSES.join(', ') }),
      });
    else if (!out.includes(known)) out.push(known);
  });
  if (errors.length)
    throw new AppError(
      'validation',
      msg('builds.unknownProcesses', { count: errors.length, list: errors.map((e) => `"${e.value}"`).join(', ') }),
      { errors },
    );
  return out;
}

function placeColumns(place: WorkshopPlace) {
  return {
    city: place.city,
    region: place.region ?? null,
    country: place.country.toUpperCase(),
    lat: place.lat === undefined ? null : roundCoordinate(place.lat),
    lon: place.lon === undefined ? null : roundCoordinate(place.lon),
  };
}

export async function createWorkshop(db: Db, caller: Caller, body: WorkshopCreate): Promise<WorkshopRow> {
  const processes = checkProcesses(body.processes ?? [], '/processes');
  try {
    return await db.transaction(async (tx) => {
      const [w] = await tx
        .insert(workshops)
        .values({
          slug: body.slug,
          name: body.name,
          description: body.description ?? '',
          ...placeColumns(body.place),
          processes,
          tools: body.tools ?? [],
          createdBy: caller.id,
        })
        .returning();
      // the creator is the first admin: someone must be able to add members from the start
      await tx.insert(workshopMembers).values({ workshopId: w.id, userId: caller.id, role: 'admin' });
      return w;
    });
  } catch (err) {
    if (sqlStateOf(err) === '23505')
      throw new AppError('taken', msg('builds.workshopTaken', { slug: body.slug }), {
        errors: [{ field: '/slug', message: msg('fields.taken') }],
      });
    throw err;
  }
}

export async function findWorkshop(db: Executor, slug: string): Promise<WorkshopRow> {
  const [w] = await db.select().from(workshops).where(eq(workshops.slug, slug)).limit(1);
  if (!w) throw notFound.workshop(slug);
  return w;
}

export async function findWorkshopById(db: Executor, id: string): Promise<WorkshopRow | undefined> {
  const [w] = await db.select().from(workshops).where(eq(workshops.id, id)).limit(1);
  return w;
}

export async function roleIn(db: Executor, workshopId: string, userId: string): Promise<WorkshopRole | undefined> {
  const [m] = await db
    .select({ role: workshopMembers.role })
    .from(workshopMembers)
    .where(and(eq(workshopMembers.workshopId, workshopId), eq(workshopMembers.userId, userId)))
    .limit(1);
  return m?.role as WorkshopRole | undefined;
}

async function requireWorkshopAdmin(db: Executor, w: WorkshopRow, caller: Caller): Promise<void> {
  if ((await roleIn(db, w.id, caller.id)) !== 'admin' && !caller.isAdmin)
    throw forbidden(msg('forbidden.workshopAdmins', { slug: w.slug }));
}

export async function membersOf(db: Executor, workshopId: string) {
  return db
    .select({ handle: users.handle, role: workshopMembers.role, addedAt: workshopMembers.addedAt })
    .from(workshopMembers)
    .innerJoin(users, eq(users.id, workshopMembers.userId))
    .where(eq(workshopMembers.workshopId, workshopId))
    .orderBy(asc(workshopMembers.addedAt), asc(users.handle))
    .then((rows) => rows.map((r) => ({ handle: r.handle, role: r.role, addedAt: r.addedAt.toISOString() })));
}

export async function addMember(db: Db, w: WorkshopRow, caller: Caller, handle: string, role: WorkshopRole) {
  await requireWorkshopAdmin(db, w, caller);
  const u = await getUserByHandle(db, handle);
  if (!u) throw notFound.user(handle);
  // adding someone again changes their role: that is how an admin promotes or demotes a member
  await db
    .insert(workshopMembers)
    .values({ workshopId: w.id, userId: u.id, role })
    .onConflictDoUpdate({ target: [workshopMembers.workshopId, workshopMembers.userId], set: { role } });
  return membersOf(db, w.id);
}

export async function removeMember(db: Db, w: WorkshopRow, caller: Caller, handle: string): Promise<void> {
  const u = await getUserByHandle(db, handle);
  if (!u) throw notFound.user(handle);
  // anyone may leave; removing someone else takes an admin
  if (u.id !== caller.id) await requireWorkshopAdmin(db, w, caller);
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(workshopMembers)
      .where(and(eq(workshopMembers.workshopId, w.id), eq(workshopMembers.userId, u.id)))
      .returning();
    if (!gone.length) throw notFound(msg('notFound.member', { handle, slug: w.slug }));
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(workshopMembers)
      .where(and(eq(workshopMembers.workshopId, w.id), eq(workshopMembers.role, 'admin')));
    if (n === 0) throw new AppError('conflict', msg('builds.lastAdmin', { handle, slug: w.slug }));
  });
}

export async function patchWorkshop(db: Db, w: WorkshopRow, caller: Caller, body: WorkshopPatch): Promise<WorkshopRow> {
  await requireWorkshopAdmin(db, w, caller);
  const [row] = await db
    .update(workshops)
    .set({
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.place !== undefined ? placeColumns(body.place) : {}),
      ...(body.processes !== undefined ? { processes: checkProcesses(body.processes, '/processes') } : {}),
      ...(body.tools !== undefined ? { tools: body.tools } : {}),
    })
    .where(eq(workshops.id, w.id))
    .returning();
  return row;
}

/** The API shape of a workshop; `distanceKm` when listed near a point. */
export function workshopSummary(w: WorkshopRow, distanceKm?: number) {
  return {
    slug: w.slug,
    name: w.name,
    description: w.description,
    place: { city: w.city, region: w.region, country: w.country, lat: w.lat, lon: w.lon },
    processes: w.processes,
    tools: w.tools,
    createdAt: w.createdAt.toISOString(),
    ...(distanceKm !== undefined ? { distanceKm: Math.round(distanceKm * 10) / 10 } : {}),
  };
}

export async function describeWorkshop(db: Executor, w: WorkshopRow) {
  return { ...workshopSummary(w), members: await membersOf(db, w.id) };
}

/**
 * Workshops by country and process; with `near`, those within `radiusKm` (when given) nearest first, else by name.
 * Distances are computed here rather than in SQL: a registry holds thousands of workshops, not millions.
 */
export async function listWorkshops(db: Executor, q: WorkshopListQuery) {
  const limit = Math.min(q.limit ?? 20, maxWorkshopList);
  // workshops of other instances are known here only through the reports they sent
  const where = [isNull(workshops.remoteInstance)];
  if (q.country) where.push(eq(workshops.country, q.country.toUpperCase()));
  if (q.process)
    where.push(sql`${workshops.processes} @> ${JSON.stringify(checkProcesses([q.process], '/process'))}::jsonb`);
  if (q.q) {
    const like = containing(q.q);
    where.push(
      sql`(${workshops.name} ilike ${like} or ${workshops.city} ilike ${like} or ${workshops.slug} ilike ${like})`,
    );
  }
  const rows = await db
    .select()
    .from(workshops)
    .where(and(...where))
    .orderBy(asc(workshops.name), asc(workshops.slug));
  if (!q.near) return { items: rows.slice(0, limit).map((w) => workshopSummary(w)), nextCursor: null };
  const center = parsePoint(q.near, '/near');
  const placed = rows
    .filter((w) => w.lat !== null && w.lon !== null)
    .map((w) => ({ w, d: haversineKm(center, { lat: w.lat!, lon: w.lon! }) }))
    .filter((x) => q.radiusKm === undefined || x.d <= q.radiusKm)
    .sort((a, b) => a.d - b.d);
  return { items: placed.slice(0, limit).map((x) => workshopSummary(x.w, x.d)), nextCursor: null };
}

/** Every workshop with coordinates, for planning networks. */
export async function placedWorkshops(db: Executor): Promise<WorkshopRow[]> {
  return db
    .select()
    .from(workshops)
    .where(sql`${workshops.lat} is not null and ${workshops.lon} is not null`);
}

/** An account is deleted: it leaves every workshop (its reports stay, attributed to the deleted account). */
export async function leaveAllWorkshops(db: Executor, userId: string): Promise<void> {
  await db.delete(workshopMembers).where(eq(workshopMembers.userId, userId));
}

/** The workshops an account belongs to, with its role in each: `workshops` in GET /api/me. */
export async function workshopsOfMember(
  db: Executor,
  userId: string,
): Promise<{ workshops: { slug: string; name: string; role: string }[] }> {
  const rows = await db
    .select({ slug: workshops.slug, name: workshops.name, role: workshopMembers.role })
    .from(workshopMembers)
    .innerJoin(workshops, eq(workshops.id, workshopMembers.workshopId))
    .where(eq(workshopMembers.userId, userId))
    .orderBy(asc(workshops.name), asc(workshops.slug));
  return { workshops: rows };
}
