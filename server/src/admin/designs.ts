// Admin takedown commands: hide or restore any design, yank any version, addressed as owner/slug[@version].
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { designs } from '../registry/tables.js';
import { findDesign } from '../registry/designs.js';
import { resolveVersion, yankVersion } from '../registry/versions.js';

/** "owner/slug" or "owner/slug@version" → its parts; anything else is a usage error. */
export function parseDesignRef(ref: string, withVersion: boolean): { owner: string; slug: string; version?: string } {
  const m = (withVersion ? /^([^/@\s]+)\/([^/@\s]+)@(\S+)$/ : /^([^/@\s]+)\/([^/@\s]+)$/).exec(ref);
  if (!m) throw new AppError('bad-request', `Expected ${withVersion ? 'OWNER/SLUG@VERSION' : 'OWNER/SLUG'}, got "${ref}"`);
  return { owner: m[1], slug: m[2], version: m[3] };
}

async function setHidden(db: Db, ref: string, hidden: boolean): Promise<void> {
  const { owner, slug } = parseDesignRef(ref, false);
  const d = await findDesign(db, owner, slug);
  await db.update(designs).set({ hidden }).where(eq(designs.id, d.id));
}

/** Takedown: the design answers 404 to everyone but its owner and admins; nothing is deleted. */
export const hideDesign = (db: Db, ref: string) => setHidden(db, ref, true);
export const restoreDesign = (db: Db, ref: string) => setHidden(db, ref, false);

export async function yankAnyVersion(db: Db, ref: string): Promise<string> {
  const { owner, slug, version } = parseDesignRef(ref, true);
  const v = await resolveVersion(db, await findDesign(db, owner, slug), version!);
  await yankVersion(db, v);
  return v.version;
}
