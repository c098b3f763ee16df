// What the federation reads of this instance's own designs: which ones are followable, and each published
// version as the RemoteVersion other instances mirror (files and the BOM by their download URLs and sha256s).
import type { Executor } from '../db/client.js';
import { and, eq, isNull } from 'drizzle-orm';
import { findDesign, type DesignRow } from '../registry/designs.js';
import { designs } from '../registry/tables.js';
import { filesOf, listVersions, resolveVersion, type VersionRow } from '../registry/versions.js';
import type { RemoteVersion } from './remote-version.js';
import { changelogHtml } from './version-object.js';
import { fieldData } from '../builds/field.js';
import { parentOf } from '../registry/lineage.js';
import { findMirroredVersion } from '../registry/mirrors.js';
import { fileApiUrl, versionApiUrl, versionObjectUrl, versionWebUrl } from './names.js';

/** The design if it may be federated (this instance's own, public, not hidden, not opted out), else undefined. */
export async function federatedDesign(db: Executor, owner: string, slug: string): Promise<DesignRow | undefined> {
  const d = await findDesign(db, owner, slug).catch(() => undefined);
  // a mirror of another instance's design is followed at its home, never here
  return d && !d.hidden && d.federation && !d.originActor ? d : undefined;
}

/**
 * Federated designs still owned under a handle: an account deleted here keeps its designs at their addresses (the
 * handle stays reserved), so its Person actor — their attribution, and the signer of its own Delete — still answers.
 */
export async function federatedDesignsOwnedBy(db: Executor, handle: string): Promise<DesignRow[]> {
  const rows = await db
    .select()
    .from(designs)
    .where(and(eq(designs.ownerHandle, handle), isNull(designs.originActor), eq(designs.hidden, false)));
  return rows.filter((d) => d.federation);
}

/** Published and yanked versions, newest first (a yanked one is still downloadable, so still mirrored). */
export async function versionNamesOf(db: Executor, d: DesignRow): Promise<string[]> {
  return (await listVersions(db, d)).items.map((v) => v.version);
}

export const versionRow = (db: Executor, d: DesignRow, version: string) =>
  resolveVersion(db, d, version).catch(() => undefined);

/** The one-line licence others show: the hardware licence, else the documentation's. */
export const designLicense = (d: DesignRow): string | undefined =>
  d.licenses.hardware ?? d.licenses.documentation ?? Object.values(d.licenses)[0];

export async function localRemoteVersion(
  db: Executor,
  publicUrl: string,
  d: DesignRow,
  v: VersionRow,
  objectUri: string,
): Promise<RemoteVersion> {
  const owner = d.ownerHandle;
  const files = await filesOf(db, v.id);
  const changelog = changelogHtml(v.changelog);
  return {
    objectUri,
    url: versionWebUrl(publicUrl, owner, d.slug, v.version),
    version: v.version,
    ...(changelog ? { changelogHtml: changelog } : {}),
    publishedAt: v.publishedAt.toISOString(),
    ...(v.state === 'yanked' ? { yanked: true } : {}),
    manifest: v.manifest,
    files: files.map((f) => ({
      path: f.path,
      size: f.size,
      sha256: f.sha256,
      mediaType: f.mediaType,
      url: fileApiUrl(publicUrl, owner, d.slug, v.version, f.path),
    })),
    ...(v.bomBlob
      ? {
          bom: {
            filename: v.bomFilename ?? 'bom.csv',
            sha256: v.bomBlob,
            url: `${versionApiUrl(publicUrl, owner, d.slug, v.version)}/bom/source`,
          },
        }
      : {}),
    field: await fieldData(db, v.id),
    ...(d.forkedFromVersionId ? await forkOrigin(db, publicUrl, d) : {}),
  };
}

/** What a fork says it was forked from: the version's object id at that version's home (here, or a mirror's origin). */
async function forkOrigin(db: Executor, publicUrl: string, d: DesignRow): Promise<{ forkedFrom?: string }> {
  const parent = await parentOf(db, d);
  if (!parent) return {};
  if (!parent.design.originActor)
    return {
      forkedFrom: versionObjectUrl(publicUrl, parent.design.ownerHandle, parent.design.slug, parent.version.version),
    };
  const copied = await findMirroredVersion(db, parent.design.id, parent.version.version);
  return copied ? { forkedFrom: copied.objectUri } : {};
}
