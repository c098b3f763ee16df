// Discussions on a design: ask, reply, read one with its replies, list a design's; the documents they answer with.
import { and, asc, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Executor } from '../db/client.js';
import { AppError, forbidden, msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { users } from '../accounts/tables.js';
import { designs, designVersions } from '../registry/tables.js';
import { findDesignById, isLead, visibleOrNotFound, type DesignRow } from '../registry/designs.js';
import { latestPublishedVersion, resolveVersion } from '../registry/versions.js';
import { decodeCursor, encodeCursor } from '../registry/cursor.js';
import { designatedLinesOf, distinctPartsOf } from '../bom/store.js';
import { boardsOf } from '../electronics/boards.js';
import type { DiscussionCreate, DiscussionListQuery } from '../schema-types.js';
import { discussionReplies, discussions } from './tables.js';
import {
  designatorLinks,
  noMarkdownLinks,
  renderDiscussionMarkdown,
  type MarkdownLinks,
} from './discussion-markdown.js';
import { tellOfDiscussion, tellOfReply } from './discussion-notify.js';
import { notFromBlockedInstance } from './discussion-blocks.js';

export type DiscussionRow = typeof discussions.$inferSelect;
export type ReplyRow = typeof discussionReplies.$inferSelect;

const aboutVersion = alias(designVersions, 'about_version');
const fixedVersion = alias(designVersions, 'fixed_version');

/** A discussion with what its document names: the design, the versions, the author, the replies that show. */
const documentColumns = {
  d: discussions,
  owner: designs.ownerHandle,
  slug: designs.slug,
  version: aboutVersion.version,
  fixedBy: fixedVersion.version,
  author: users.handle,
  /** the design is a mirror (its actor at its home), and the author someone of another instance */
  mirrorOf: designs.originActor,
  authorInstance: users.remoteInstance,
  replyCount: sql<number>`(select count(*)::int from discussion_replies r join users ru on ru.id = r.author_id
    where r.discussion_id = ${discussions.id} and not r.hidden
      and ${notFromBlockedInstance(sql`ru.remote_instance`)})`.mapWith(Number),
};

type DocumentRow = {
  d: DiscussionRow;
  owner: string;
  slug: string;
  version: string | null;
  fixedBy: string | null;
  author: string;
  mirrorOf: string | null;
  authorInstance: string | null;
  replyCount: number;
};

export async function selectDiscussions(db: Executor, where: SQL | undefined, order: SQL[], limit: number) {
  return db
    .select(documentColumns)
    .from(discussions)
    .innerJoin(designs, eq(designs.id, discussions.designId))
    .innerJoin(users, eq(users.id, discussions.authorId))
    .leftJoin(aboutVersion, eq(aboutVersion.id, discussions.versionId))
    .leftJoin(fixedVersion, eq(fixedVersion.id, discussions.fixedByVersionId))
    .where(and(where, notFromBlockedInstance(users.remoteInstance)))
    .orderBy(...order)
    .limit(limit) as Promise<DocumentRow[]>;
}

/**
 * The part numbers, designators and page a discussion's `#PART` and `#C1` references link to: its version's, else the
 * latest's.
 */
export function markdownLinksOf(db: Executor) {
  const cache = new Map<string, Promise<MarkdownLinks>>();
  return (r: { d: DiscussionRow; owner: string; slug: string }) => {
    const key = r.d.versionId ?? `latest:${r.d.designId}`;
    if (!cache.has(key))
      cache.set(
        key,
        (async () => {
          const v = r.d.versionId
            ? (await db.select().from(designVersions).where(eq(designVersions.id, r.d.versionId)))[0]
            : await latestPublishedVersion(db, r.d.designId);
          if (!v) return noMarkdownLinks;
          const parts = await distinctPartsOf(db, v.id);
          const designated = await designatedLinesOf(db, v.id);
          const boards = designated.length > 0 ? await boardsOf(db, v.id) : [];
          const versionPath = `/${r.owner}/${r.slug}/${v.version}`;
          return {
            partNumbers: new Set(parts.flatMap((p) => (p.partNumber ? [p.partNumber] : []))),
            versionPath,
            designators: designatorLinks(
              versionPath,
              designated,
              boards.map((b) => b.boardId),
            ),
          };
        })(),
      );
    return cache.get(key)!;
  };
}

export const editableUntil = (createdAt: Date, windowMinutes: number) =>
  new Date(createdAt.getTime() + windowMinutes * 60_000);

export interface DescribeOptions {
  editWindowMinutes: number;
  links: ReturnType<typeof markdownLinksOf>;
  admin?: boolean;
}

export async function describeDiscussion(r: DocumentRow, o: DescribeOptions) {
  return {
    id: r.d.id,
    design: { owner: r.owner, slug: r.slug },
    version: r.version,
    kind: r.d.kind as 'question' | 'idea' | 'problem',
    state: r.d.state as 'open' | 'answered' | 'closed',
    title: r.d.title,
    body: r.d.body,
    html: renderDiscussionMarkdown(r.d.body, await o.links(r)),
    author: { handle: r.author },
    createdAt: r.d.createdAt.toISOString(),
    updatedAt: r.d.updatedAt.toISOString(),
    edited: r.d.updatedAt.getTime() > r.d.createdAt.getTime(),
    editableUntil: editableUntil(r.d.createdAt, o.editWindowMinutes).toISOString(),
    locked: r.d.locked,
    pinned: r.d.pinned,
    answer: r.d.answerReplyId,
    fixedBy: r.fixedBy,
    replyCount: r.replyCount,
    ...(o.admin ? { hidden: r.d.hidden } : {}),
    ...deliveryOf(r),
  };
}

/**
 * Asked here on a mirrored design: sent to the design's home, and `delivered` once the home's own copy came back
 * (the thread is then known here by the home's Note).
 */
function deliveryOf(r: DocumentRow): { delivery?: 'queued' | 'delivered' } {
  if (!r.mirrorOf || r.authorInstance) return {};
  return { delivery: r.d.remoteNote ? 'delivered' : 'queued' };
}

export function describeReply(r: ReplyRow, author: string, d: DiscussionRow, html: string, editWindowMinutes: number) {
  return {
    id: r.id,
    discussion: r.discussionId,
    author: { handle: author },
    body: r.body,
    html,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    edited: r.updatedAt.getTime() > r.createdAt.getTime(),
    editableUntil: editableUntil(r.createdAt, editWindowMinutes).toISOString(),
    hidden: r.hidden,
    answer: d.answerReplyId === r.id,
  };
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export const discussionNotFound = (id: string) => notFound(msg('discussions.notFound', { id: id.slice(0, 60) }));

/**
 * A discussion the caller may see, with its design: one taken down (or on a design they cannot see) is the same 404
 * as one that never was.
 */
export async function findVisibleDiscussion(
  db: Executor,
  id: string,
  caller?: Caller,
): Promise<{ row: DocumentRow; design: DesignRow }> {
  if (!isUuid(id)) throw discussionNotFound(id);
  const [row] = await selectDiscussions(db, eq(discussions.id, id), [], 1);
  if (!row || (row.d.hidden && !caller?.isAdmin)) throw discussionNotFound(id);
  const design = await findDesignById(db, row.d.designId);
  try {
    visibleOrNotFound(design, caller);
  } catch {
    throw discussionNotFound(id);
  }
  return { row, design };
}

/** A question on a mirror goes to the design's home: not to one that deleted it, nor to a blocked instance. */
function refuseUnreachableHome(design: DesignRow): void {
  const home = design.originInstance ?? '';
  if (design.originBlocked) throw forbidden(msg('discussions.homeBlocked', { home }));
  if (design.originGone) throw new AppError('conflict', msg('discussions.homeGone', { home }));
}

export async function createDiscussion(
  db: Db,
  design: DesignRow,
  caller: Caller,
  body: DiscussionCreate,
): Promise<string> {
  refuseUnreachableHome(design);
  const version = body.version ? await resolveVersion(db, design, body.version) : undefined;
  return db.transaction(async (tx) => {
    const [d] = await tx
      .insert(discussions)
      .values({
        designId: design.id,
        versionId: version?.id ?? null,
        authorId: caller.id,
        kind: body.kind,
        title: body.title,
        body: body.body,
      })
      .returning();
    await tellOfDiscussion(tx, design, d, caller);
    return d.id;
  });
}

/** One discussion with the replies the caller may see (hidden ones: to its leads and admins, marked hidden). */
export async function readDiscussion(db: Executor, id: string, editWindowMinutes: number, caller?: Caller) {
  const { row, design } = await findVisibleDiscussion(db, id, caller);
  const lead = caller ? await isLead(db, design, caller) : false;
  const links = markdownLinksOf(db);
  const replies = await db
    .select({ r: discussionReplies, author: users.handle })
    .from(discussionReplies)
    .innerJoin(users, eq(users.id, discussionReplies.authorId))
    .where(
      and(
        eq(discussionReplies.discussionId, id),
        lead || caller?.isAdmin ? undefined : eq(discussionReplies.hidden, false),
        notFromBlockedInstance(users.remoteInstance),
      ),
    )
    .orderBy(asc(discussionReplies.createdAt), asc(discussionReplies.id));
  const partLinks = await links(row);
  return {
    ...(await describeDiscussion(row, { editWindowMinutes, links, admin: caller?.isAdmin })),
    ...(caller ? { viewer: { lead } } : {}),
    replies: replies.map(({ r, author }) =>
      describeReply(r, author, row.d, renderDiscussionMarkdown(r.body, partLinks), editWindowMinutes),
    ),
  };
}

/** A design's discussions: pinned first, then the most recently active; keyset-paged. */
export async function listDiscussions(
  db: Executor,
  design: DesignRow,
  q: DiscussionListQuery,
  editWindowMinutes: number,
  caller?: Caller,
) {
  const limit = Math.min(q.limit ?? 20, 100);
  const conditions: (SQL | undefined)[] = [eq(discussions.designId, design.id)];
  if (!caller?.isAdmin) conditions.push(eq(discussions.hidden, false));
  if (q.kind) conditions.push(eq(discussions.kind, q.kind));
  if (q.state) conditions.push(eq(discussions.state, q.state));
  if (q.version) conditions.push(eq(discussions.versionId, (await resolveVersion(db, design, q.version)).id));
  if (q.cursor) {
    const [key, id] = decodeCursor(q.cursor, 'text');
    const [pinnedKey, at] = key.split('|');
    const pinned = pinnedKey === '1';
    if (!at || Number.isNaN(new Date(at).getTime())) throw new AppError('validation', msg('discussions.badCursor'));
    const activeAt = new Date(at);
    const later = or(
      lt(discussions.activeAt, activeAt),
      and(eq(discussions.activeAt, activeAt), lt(discussions.id, id)),
    );
    conditions.push(
      pinned
        ? or(eq(discussions.pinned, false), and(eq(discussions.pinned, true), later))
        : and(eq(discussions.pinned, false), later),
    );
  }
  const rows = await selectDiscussions(
    db,
    and(...conditions),
    [desc(discussions.pinned), desc(discussions.activeAt), desc(discussions.id)],
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const links = markdownLinksOf(db);
  const last = page[page.length - 1];
  return {
    items: await Promise.all(
      page.map((r) => describeDiscussion(r, { editWindowMinutes, links, admin: caller?.isAdmin })),
    ),
    nextCursor:
      rows.length > limit ? encodeCursor(`${last.d.pinned ? 1 : 0}|${last.d.activeAt.toISOString()}`, last.d.id) : null,
  };
}

export async function addReply(db: Db, id: string, caller: Caller, body: string): Promise<string> {
  const { row, design } = await findVisibleDiscussion(db, id, caller);
  if (row.d.locked) throw new AppError('conflict', msg('discussions.locked', { title: row.d.title }));
  return db.transaction(async (tx) => {
    const [r] = await tx.insert(discussionReplies).values({ discussionId: id, authorId: caller.id, body }).returning();
    await tx.update(discussions).set({ activeAt: r.createdAt }).where(eq(discussions.id, id));
    await tellOfReply(tx, design, row.d, r, caller);
    return r.id;
  });
}

/** A reply of this discussion as the caller sees it (hidden ones only to leads and admins). */
export async function readReply(
  db: Executor,
  discussionId: string,
  replyId: string,
  editWindowMinutes: number,
  caller?: Caller,
) {
  const { row, design } = await findVisibleDiscussion(db, discussionId, caller);
  const [found] = isUuid(replyId)
    ? await db
        .select({ r: discussionReplies, author: users.handle })
        .from(discussionReplies)
        .innerJoin(users, eq(users.id, discussionReplies.authorId))
        .where(
          and(
            eq(discussionReplies.id, replyId),
            eq(discussionReplies.discussionId, discussionId),
            notFromBlockedInstance(users.remoteInstance),
          ),
        )
    : [];
  if (!found || (found.r.hidden && !(caller && (caller.isAdmin || (await isLead(db, design, caller))))))
    throw notFound(msg('discussions.replyNotFound', { id: replyId.slice(0, 60) }));
  const html = renderDiscussionMarkdown(found.r.body, await markdownLinksOf(db)(row));
  return describeReply(found.r, found.author, row.d, html, editWindowMinutes);
}

/** Leads of the discussion's design act; anyone else (admins included: moderation is theirs) gets 403. */
export async function requireDiscussionLead(db: Executor, design: DesignRow, caller: Caller): Promise<void> {
  if (!(await isLead(db, design, caller)))
    throw forbidden(msg('discussions.leadsOnly', { design: `${design.ownerHandle}/${design.slug}` }));
}
