// Admin takedown commands: hide or restore any design, yank any version, addressed as owner/slug[@version].
import type { Db } from '../db/client.js';
import { findDesign, parseDesignRef } from '../registry/designs.js';
import { resolveVersion, yankVersion } from '../registry/versions.js';

// hiding is the registry's own switch, shared with the moderation queue
export { hideDesign, restoreDesign, parseDesignRef } from '../registry/designs.js';

export async function yankAnyVersion(db: Db, ref: string): Promise<string> {
  const { owner, slug, version } = parseDesignRef(ref, true);
  const v = await resolveVersion(db, await findDesign(db, owner, slug), version!);
  await yankVersion(db, v);
  return v.version;
}
