// A page of the design list in one prepared statement: the page's rows with what each document shows beyond its row
// (design-extras.ts), as one JSON text. Filters and the cursor are parameters that may be null, so one statement per
// sort and kind of reader serves every page; the cursor is a row comparison, which the index scan starts from.
import type { Database } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import type { DesignRow } from './tables.js';
import { designExtrasColumns } from './design-extras.js';
import { designRowWithExtras } from './design-read.js';

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
const visibility: Record<Reader, string> = {
  anonymous: 'd.hidden = false and d.origin_blocked = false',
  signedIn: '(d.hidden = false or d.owner_id = $9::uuid) and d.origin_blocked = false',
  admin: 'true',
};

// no cursor: the row comparison starts past every row (titles sort after '', dates before infinity)
const order = {
  recent: {
    after: `(d.updated_at, d.id) < (coalesce($7::timestamptz, 'infinity'), coalesce($8::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))`,
    by: (t: string) => `${t}.updated_at desc, ${t}.id desc`,
  },
  title: {
    after: `(d.title, d.id) > (coalesce($7::text, ''), coalesce($8::uuid, '00000000-0000-0000-0000-000000000000'))`,
    by: (t: string) => `${t}.title asc, ${t}.id asc`,
  },
};

function statement(sort: DesignPageQuery['sort'], reader: Reader): string {
  return `select coalesce(json_agg(row_to_json(x) order by ${order[sort].by('x')}), '[]')::text as page from (
    select d.*, ${designExtrasColumns} from designs d
    where ${visibility[reader]}
      and ($2::text is null or d.category = $2)
      and ($3::text is null or d.owner_handle = $3)
      and ($4::text is null or d.tags @> jsonb_build_array($4::text))
      and ($5::text is null or exists (select 1 from jsonb_each_text(d.licenses) l where l.value ilike $5))
      and ($6::text is null or d.title ilike $6 or d.summary ilike $6 or d.slug ilike $6)
      and ${order[sort].after}
    order by ${order[sort].by('d')}
    limit $1::int) x`;
}

const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

/** The rows of a page of designs the caller may see, in order, each with its document's extras kept. */
export async function readDesignPage(database: Database, q: DesignPageQuery, caller?: Caller): Promise<DesignRow[]> {
  const reader: Reader = !caller ? 'anonymous' : caller.isAdmin ? 'admin' : 'signedIn';
  const after = q.after && q.sort === 'recent' ? [new Date(q.after[0]).toISOString(), q.after[1]] : q.after;
  const values: unknown[] = [
    q.rows,
    q.category ?? null,
    q.owner ?? null,
    q.tag ?? null,
    q.license === undefined ? null : like(q.license),
    q.text === undefined ? null : like(q.text),
    after?.[0] ?? null,
    after?.[1] ?? null,
  ];
  if (reader === 'signedIn') values.push(caller!.id);
  const { rows } = await database.prepared<{ page: string }>(
    `andecha_design_page_${q.sort}_${reader}`,
    statement(q.sort, reader),
    values,
  );
  return (JSON.parse(rows[0].page) as Record<string, unknown>[]).map(designRowWithExtras);
}
