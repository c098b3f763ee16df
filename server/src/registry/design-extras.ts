// What a design document shows beyond the design's own row — its latest version, maintainers and fork origin — as
// subselects over `d` (the designs row): the list reads them for a page of designs at once, a design read with its
// row in the one statement it costs (design-read.ts), which leaves them on the row it returns.
import type { DesignRow } from './tables.js';

/** where the version a fork was made from lives, when its design is a mirror of another instance's */
export interface ForkedHome {
  url: string | null;
  instance: string | null;
  owner: string;
  slug: string;
  version: string;
}

export interface DesignExtras {
  id: string;
  latest: string | null;
  /** json arrives parsed from node-postgres and PGlite alike; a string means a driver that left it as text */
  maintainers: string[] | string;
  forked_from: string | null;
  forked_home: ForkedHome | string | null;
  /** how many people starred it (the community's stars: counted here so a list shows them without a query per card) */
  stars?: number;
}

/** The select-list of the extras of the design row `d` (plain SQL: it is also part of a prepared statement). */
export const designExtrasColumns = `
  (select v.version from design_versions v
    where v.design_id = d.id and v.state = 'published' and v.prerelease is null
    order by v.major desc, v.minor desc, v.patch desc limit 1) as latest,
  (select coalesce(json_agg(u.handle order by u.handle), '[]'::json) from design_maintainers m
    join users u on u.id = m.user_id where m.design_id = d.id) as maintainers,
  (select up.owner_handle || '/' || up.slug || '@' || fv.version from design_versions fv
    join designs up on up.id = fv.design_id where fv.id = d.forked_from_version_id) as forked_from,
  (select json_build_object('url', up.origin_url, 'instance', up.origin_instance, 'owner', up.owner_handle,
      'slug', up.slug, 'version', fv.version)
    from design_versions fv join designs up on up.id = fv.design_id
    where fv.id = d.forked_from_version_id and up.origin_actor is not null) as forked_home,
  (select count(*)::int from stars st where st.design_id = d.id) as stars`;

/** Extras read in the same statement as their row, by row object: a row from anywhere else has none. */
const readWithRow = new WeakMap<DesignRow, DesignExtras>();

export function keepExtras(row: DesignRow, extras: DesignExtras): void {
  readWithRow.set(row, extras);
}

export function readExtrasOf(row: DesignRow): DesignExtras | undefined {
  return readWithRow.get(row);
}
