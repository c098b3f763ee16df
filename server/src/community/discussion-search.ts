// Finding discussions by what they say: title, body and the reply marked as the answer, matched word by word
// (PostgreSQL full text, `simple` configuration: the words of any language, unstemmed), best match first.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import { designs } from '../registry/tables.js';
import { discussions } from './tables.js';
import { describeDiscussion, markdownLinksOf, selectDiscussions } from './discussions.js';

const maxHits = 50;

/**
 * Computed per query, not indexed: a design has tens of discussions, an instance thousands; when that stops being
 * cheap, the same expression becomes a stored tsvector column with a GIN index.
 */
const searchText = sql`to_tsvector('simple', ${discussions.title} || ' ' || ${discussions.body} || ' ' ||
  coalesce((select r.body from discussion_replies r where r.id = ${discussions.answerReplyId} and not r.hidden), ''))`;

export async function searchDiscussions(
  db: Executor,
  q: { q: string; owner?: string; slug?: string },
  editWindowMinutes: number,
  caller?: Caller,
) {
  const query = sql`websearch_to_tsquery('simple', ${q.q})`;
  const rows = await selectDiscussions(
    db,
    and(
      sql`${searchText} @@ ${query}`,
      eq(discussions.hidden, false),
      // a design taken down or of a blocked instance shows nothing of its own in search
      eq(designs.hidden, false),
      eq(designs.originBlocked, false),
      q.owner ? eq(designs.ownerHandle, q.owner) : undefined,
      q.slug ? eq(designs.slug, q.slug) : undefined,
    ),
    [desc(sql`ts_rank(${searchText}, ${query})`), desc(discussions.activeAt)],
    maxHits,
  );
  const links = markdownLinksOf(db);
  return {
    items: await Promise.all(
      rows.map((r) => describeDiscussion(r, { editWindowMinutes, links, admin: caller?.isAdmin })),
    ),
    nextCursor: null,
  };
}
