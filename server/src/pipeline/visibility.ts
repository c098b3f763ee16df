// Who may see a pipeline job or event: whoever may see the design it is about (a hidden design's jobs and events
// are its owner's and admins', as the design is), and for a build photo's job the build report too.
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import { designs, designVersions, files } from '../registry/tables.js';
import { buildPhotos, buildReports } from '../builds/tables.js';
import type { JobRow } from './queue.js';

/** The owners whose hidden things a job or event touches; empty when nothing hidden is involved. */
export interface Visibility {
  /** who may still see it, besides admins; `undefined`: everyone */
  onlyFor?: string[];
}

const everyone: Visibility = {};

export function mayView(v: Visibility, caller: Caller | undefined): boolean {
  if (!v.onlyFor) return true;
  return !!caller && (caller.isAdmin || v.onlyFor.includes(caller.id));
}

function ofDesign(d: { ownerId: string; hidden: boolean } | undefined): Visibility {
  return d?.hidden ? { onlyFor: [d.ownerId] } : everyone;
}

/** An event's design is `owner/slug`; one gone (deleted, never there) hides nothing. */
export async function designVisibility(db: Executor, design: string): Promise<Visibility> {
  const [owner, slug] = design.split('/');
  const [d] = await db
    .select({ ownerId: designs.ownerId, hidden: designs.hidden })
    .from(designs)
    .where(and(eq(designs.ownerHandle, owner), eq(designs.slug, slug)))
    .limit(1);
  return ofDesign(d);
}

/**
 * A job names its design through its payload: the design itself (a visual diff), a version, a file of a version,
 * or a build photo (whose report may be hidden on its own: then only its author and admins see it).
 */
export async function jobVisibility(db: Executor, job: Pick<JobRow, 'payload'>): Promise<Visibility> {
  const p = job.payload as Record<string, unknown>;
  const design = { ownerId: designs.ownerId, hidden: designs.hidden };
  if (typeof p.designId === 'string') {
    const [d] = await db.select(design).from(designs).where(eq(designs.id, p.designId));
    return ofDesign(d);
  }
  if (typeof p.versionId === 'string') {
    const [d] = await db
      .select(design)
      .from(designVersions)
      .innerJoin(designs, eq(designs.id, designVersions.designId))
      .where(eq(designVersions.id, p.versionId));
    return ofDesign(d);
  }
  if (typeof p.fileId === 'string') {
    const [d] = await db
      .select(design)
      .from(files)
      .innerJoin(designVersions, eq(designVersions.id, files.versionId))
      .innerJoin(designs, eq(designs.id, designVersions.designId))
      .where(eq(files.id, p.fileId));
    return ofDesign(d);
  }
  if (typeof p.photoId === 'string') {
    const [r] = await db
      .select({ ...design, authorId: buildReports.authorId, reportHidden: buildReports.hidden })
      .from(buildPhotos)
      .innerJoin(buildReports, eq(buildReports.id, buildPhotos.reportId))
      .innerJoin(designs, eq(designs.id, buildReports.designId))
      .where(eq(buildPhotos.id, p.photoId));
    if (r?.reportHidden) return { onlyFor: r.hidden ? [] : [r.authorId] };
    return ofDesign(r);
  }
  return everyone;
}
