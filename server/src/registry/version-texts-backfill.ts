// Versions published before their texts were recorded (migration 0024) get them once, after a start: each
// design's versions oldest first, so a translation carried from an earlier version finds that version's source.
// A version whose manifest names a translation file it lacks is left without texts, as its publish would have
// been refused now; it is logged, never fatal.
import { sql } from 'drizzle-orm';
import semver from 'semver';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import type { BlobStore } from '../storage/blob-store.js';
import { designChanged, type DesignChangedHook } from './design-changed.js';
import { filesOf } from './versions.js';
import { readVersionTexts, recordVersionTexts } from './translations.js';

interface Candidate {
  id: string;
  designId: string;
  version: string;
  manifest: Record<string, unknown>;
}

/** Fills the texts of versions without any that have a README or name one; returns how many versions it filled. */
export async function backfillVersionTexts(db: Db, blobs: BlobStore, changed: readonly DesignChangedHook[]) {
  const candidates = rowsOf<Candidate>(
    await db.execute(sql`
      select v.id, v.design_id as "designId", v.version, v.manifest from design_versions v
      where not exists (select 1 from version_texts t where t.version_id = v.id)
        and (v.manifest ? 'readme' or v.manifest ? 'translations'
          or exists (select 1 from files f where f.version_id = v.id and f.path ~* '^readme(\\.[a-z0-9-]+)?\\.(md|markdown)$'))`),
  );
  const byDesign = new Map<string, Candidate[]>();
  for (const c of candidates) byDesign.set(c.designId, [...(byDesign.get(c.designId) ?? []), c]);
  let filled = 0;
  for (const [designId, versions] of byDesign) {
    for (const v of versions.sort((a, b) => semver.compare(a.version, b.version))) {
      try {
        const texts = await readVersionTexts(blobs, v.manifest, await filesOf(db, v.id));
        if (!texts.source && !texts.translations.length) continue;
        await db.transaction((tx) => recordVersionTexts(tx, v, texts));
        filled++;
      } catch (err) {
        console.warn(`texts of version ${v.version} (${v.id}) not recorded: ${(err as Error).message}`);
      }
    }
    await db.transaction((tx) => designChanged(tx, changed, designId));
  }
  return filled;
}
