// A page of the design list in one statement: the page's rows with what each document shows beyond its row
// (design-extras.ts), as one JSON text; the cursor is a row comparison, which the index scan starts from.
import type { Database } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import type { DesignRow } from './tables.js';
import { designExtrasColumns } from './design-extras.js';
import { designRowWithExtras } from './design-read.js';
import { containing } from '../db/like-pattern.js';

export interface DesignPageQuery {
  sort: 'recent' | 'title';
  /** rows to read: the page and one more, which says whether there is a next page */
  rows: number;
  category?: string;
  owner?: string;
  tag?: string;
  license?: string;
  /** text that title, summary or slug contain (any case) */
  text?: string;
  /** the last row of the previous page: its sort key (an ISO date for `recent`) and id */
  after?: [string, string];
}

type Reader = 'anonymous' | 'signedIn' | 'admin';

// anonymous: the conditions of the partial index designs_listed_updated_idx, spelled as it is so the planner uses it
const visibility: Record<Reader, (viewer: string) => string> = {
  anonymous: () => 'd.hidden = false and d.origin_blocked = false',
  signedIn: (viewer) => `(d.hidden = false or d.owner_id = ${viewer}::uuid) and d.origin_blocked = false`,
  admin: () => 'true',
};

const order = {
  recent: {
    after: (key: string, id: string) => `(d.updated_at, d.id) < (${key}::timestamptz, ${id}::uuid)`,
    by: (t: string) => `${t}.updated_at desc, ${t}.id desc`,
  },
  title: {
    after: (key: string, id: string) => `(d.title, d.id) > (${key}::text, ${id}::uuid)`,
    by: (t: string) => `${t}.title asc, ${t}.id asc`,
  },
};

/**
 * The page's rows first, then their extras, so the extras' subselects run for the page's rows only. Only the
 * conditions asked for are in the text, and the page size too: a generic plan of optional conditions, or of a limit
 * it cannot see, guesses many rows and reads and sorts them all instead of walking the index from the cursor.
 */
function statement(q: DesignPageQuery, reader: Reader, caller?: Caller): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = [visibility[reader](reader === 'signedIn' ? param(caller!.id) : '')];
  if (q.category !== undefined) where.push(`d.category = ${param(q.category)}`);
  if (q.owner !== undefined) where.push(`d.owner_handle = ${param(q.owner)}`);
  if (q.tag !== undefined) where.push(`d.tags @> jsonb_build_array(${param(q.tag)}::text)`);
  if (q.license !== undefined)
    where.push(
      `exists (select 1 from jsonb_each_text(d.licenses) l where l.value ilike ${param(containing(q.license))})`,
    );
  if (q.text !== undefined) {
    const t = param(containing(q.text));
    where.push(`(d.title ilike ${t} or d.summary ilike ${t} or d.slug ilike ${t})`);
  }
  if (q.after) {
    // a date cursor as JavaScript reads it (decodeCursor checked it does), in the form PostgreSQL reads the same way
    const key = q.sort === 'recent' ? new Date(q.after[0]).toISOString() : q.after[0];
    where.push(order[q.sort].after(param(key), param(q.after[1])));
  }
  const text = `select coalesce(json_agg(row_to_json(x) order by ${order[q.sort].by('x')}), '[]')::text as page from (
    select d.*, ${designExtrasColumns} from (
      select d.* from designs d where ${where.join(' and ')}
      order by ${order[q.sort].by('d')}
      limit ${q.rows}) d) x`;
  return { text, values };
}

const filters = ['category', 'owner', 'tag', 'license', 'text'] as const;

/** The rows of a page of designs the caller may see, in order, each with its document's extras kept. */
export async function readDesignPage(database: Database, q: DesignPageQuery, caller?: Caller): Promise<DesignRow[]> {
  if (!Number.isInteger(q.rows) || q.rows < 1 || q.rows > 1000) throw new Error(`not a page size: ${q.rows}`);
  const reader: Reader = !caller ? 'anonymous' : caller.isAdmin ? 'admin' : 'signedIn';
  const { text, values } = statement(q, reader, caller);
  // a plain page (the list everyone reads, and its next pages) is a prepared statement of its shape; a filtered
  // one is planned for its values, as before
  const { rows } = filters.some((f) => q[f] !== undefined)
    ? await database.raw<{ page: string }>(text, values)
    : await database.prepared<{ page: string }>(
        `andecha_design_page_${q.sort}_${reader}_${q.rows}${q.after ? '_after' : ''}`.toLowerCase(),
        text,
        values,
      );
  return (JSON.parse(rows[0].page) as Record<string, unknown>[]).map(designRowWithExtras);
}
