// A person's public profile (GET /api/users/{handle}): who they are, the designs they maintain and fork, their
// workshops, approved builds and recent activity. The same document for a person of another instance, from what
// federation mirrored here. Reads the registry's and builds' tables read-only, one query per list.
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import { getUserByHandle } from '../accounts/accounts.js';
import { notFound } from '../errors.js';
import { designs, designMaintainers, designVersions, proposals } from '../registry/tables.js';
import { describeDesigns } from '../registry/designs.js';
import { buildReports } from '../builds/tables.js';
import { reportsWithContext, renderNotes } from '../builds/reports.js';
import { workshopsOfMember } from '../builds/workshops.js';
import { profileHidden } from '../moderation/reports.js';
import { avatarUrls } from './profile-avatar.js';

/** How many designs, builds and activity entries a profile lists. */
export const profileListLimit = 100;
export const activityLimit = 30;

type UserRow = NonNullable<Awaited<ReturnType<typeof getUserByHandle>>>;

/** A person of this instance, or of another one (`name@host`) known here through federation; else 404. */
export async function findProfileUser(db: Executor, handle: string): Promise<UserRow> {
  const u = await getUserByHandle(db, handle);
  if (!u) throw notFound.user(handle);
  return u;
}

/** What the person wrote about themself may be shown: not when an admin hid it, except to them and admins. */
export async function profileShown(db: Executor, u: UserRow, caller?: Caller) {
  const hidden = await profileHidden(db, u.handle);
  return { hidden, shown: !hidden || !!caller?.isAdmin || caller?.id === u.id };
}

/** Designs others may see (not taken down, not of a blocked instance); their owner and admins see theirs anyway. */
function visibleDesigns(caller?: Caller): SQL | undefined {
  if (caller?.isAdmin) return undefined;
  return and(
    caller ? sql`(${designs.hidden} = false or ${designs.ownerId} = ${caller.id})` : eq(designs.hidden, false),
    eq(designs.originBlocked, false),
  );
}

/** For everyone alike (activity, builds): never a hidden design. */
const publicDesigns = and(eq(designs.hidden, false), eq(designs.originBlocked, false));

/** Where a person of another instance lives: their home and their profile's page there. */
async function remoteOf(db: Executor, u: UserRow) {
  if (!u.remoteInstance) return null;
  const name = u.handle.slice(0, u.handle.lastIndexOf('@'));
  // a mirrored design's address says the home's scheme and port (http on a LAN, https in the open)
  const [d] = await db
    .select({ url: designs.originUrl })
    .from(designs)
    .where(and(eq(designs.ownerId, u.id), sql`${designs.originUrl} is not null`))
    .limit(1);
  let origin = `https://${u.remoteInstance}`;
  try {
    if (d?.url) origin = new URL(d.url).origin;
  } catch {
    // an address that does not parse: the instance's name is enough
  }
  return { instance: u.remoteInstance, url: `${origin}/${encodeURIComponent(name)}` };
}

async function designsOf(db: Executor, u: UserRow, caller?: Caller) {
  const maintained = db
    .select({ id: designMaintainers.designId })
    .from(designMaintainers)
    .where(eq(designMaintainers.userId, u.id));
  const rows = await db
    .select()
    .from(designs)
    .where(and(or(eq(designs.ownerId, u.id), inArray(designs.id, maintained)), visibleDesigns(caller)))
    .orderBy(desc(designs.updatedAt), desc(designs.id))
    .limit(profileListLimit);
  const described = await describeDesigns(db, rows);
  return {
    designs: described.filter((d) => !d.forkedFrom),
    // a fork is theirs when they own it: maintaining someone's fork does not make it their fork
    forks: described.filter((d, i) => d.forkedFrom && rows[i].ownerId === u.id),
  };
}

async function buildsOf(db: Executor, u: UserRow) {
  const rows = await reportsWithContext(
    db,
    and(eq(buildReports.authorId, u.id), eq(buildReports.hidden, false), publicDesigns),
    'newest',
    profileListLimit,
  );
  const approved = rows
    .filter(({ r }) => r.state === 'approved')
    .map(({ r, context: c }) => ({
      id: r.id,
      design: { owner: c.owner, slug: c.slug, version: c.version },
      workshop: c.workshopInstance
        ? {
            slug: c.workshopSlug.slice(0, c.workshopSlug.lastIndexOf('@')),
            name: c.workshopName,
            instance: c.workshopInstance,
          }
        : { slug: c.workshopSlug, name: c.workshopName },
      outcome: r.outcome as 'success' | 'partial' | 'failed',
      date: (r.finishedOn ? new Date(r.finishedOn) : r.submittedAt).toISOString(),
    }));
  const activity = rows.map(({ r, context: c }) => ({
    kind: 'build-report' as const,
    at: r.submittedAt.toISOString(),
    design: { owner: c.owner, slug: c.slug },
    version: c.version,
    report: r.id,
    outcome: r.outcome,
    state: r.state,
  }));
  return { approved, activity };
}

type Activity = {
  kind: 'version' | 'build-report' | 'proposal';
  at: string;
  design: { owner: string; slug: string };
  version?: string;
  report?: string;
  outcome?: string;
  proposal?: string;
  state?: string;
};

async function versionsAndProposalsOf(db: Executor, u: UserRow): Promise<Activity[]> {
  const versions = await db
    .select({
      owner: designs.ownerHandle,
      slug: designs.slug,
      version: designVersions.version,
      at: designVersions.publishedAt,
    })
    .from(designVersions)
    .innerJoin(designs, eq(designs.id, designVersions.designId))
    .where(and(eq(designVersions.createdBy, u.id), publicDesigns))
    .orderBy(desc(designVersions.publishedAt))
    .limit(activityLimit);
  const proposed = await db
    .select({
      owner: designs.ownerHandle,
      slug: designs.slug,
      id: proposals.id,
      state: proposals.state,
      at: proposals.createdAt,
    })
    .from(proposals)
    .innerJoin(designs, eq(designs.id, proposals.designId))
    .where(and(eq(proposals.authorId, u.id), publicDesigns))
    .orderBy(desc(proposals.createdAt))
    .limit(activityLimit);
  return [
    ...versions.map((v) => ({
      kind: 'version' as const,
      at: v.at.toISOString(),
      design: { owner: v.owner, slug: v.slug },
      version: v.version,
    })),
    ...proposed.map((p) => ({
      kind: 'proposal' as const,
      at: p.at.toISOString(),
      design: { owner: p.owner, slug: p.slug },
      proposal: p.id,
      state: p.state,
    })),
  ];
}

/** The document of GET /api/users/{handle}. */
export async function describeProfile(db: Executor, handle: string, caller?: Caller) {
  const u = await findProfileUser(db, handle);
  const { hidden, shown } = await profileShown(db, u, caller);
  const { designs: maintained, forks } = await designsOf(db, u, caller);
  const builds = await buildsOf(db, u);
  const activity = [...(await versionsAndProposalsOf(db, u)), ...builds.activity]
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, activityLimit);
  return {
    handle: u.handle,
    name: shown ? u.name : null,
    bio: shown ? u.bio : null,
    bioHtml: shown ? renderNotes(u.bio) : null,
    place: shown ? u.place : null,
    links: shown ? u.links : [],
    avatar: shown ? avatarUrls(u.handle, u.avatar) : null,
    remote: await remoteOf(db, u),
    hidden,
    createdAt: u.createdAt.toISOString(),
    designs: maintained,
    forks,
    workshops: (await workshopsOfMember(db, u.id)).workshops as {
      slug: string;
      name: string;
      role: 'admin' | 'member';
    }[],
    builds: builds.approved,
    activity,
  };
}
