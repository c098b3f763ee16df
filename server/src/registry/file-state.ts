// What the pipeline may read and record about a version's files (the registry owns these rows).
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { designs, designVersions, files } from './tables.js';

export interface FileOutcome {
  state: 'queued' | 'running' | 'done' | 'failed';
  error?: string | null;
  facts?: Record<string, unknown> | null;
  /** preview keys by format (registry/preview-keys.ts), never URLs */
  previews?: Record<string, string> | null;
  /** what the content turned out to be when the name did not say (a Gerber named .txt) */
  format?: string;
}

export async function setFileState(db: Executor, fileId: string, outcome: FileOutcome): Promise<void> {
  await db
    .update(files)
    .set({
      state: outcome.state,
      error: outcome.state === 'failed' ? (outcome.error ?? 'failed') : null,
      ...(outcome.facts !== undefined ? { facts: outcome.facts } : {}),
      ...(outcome.previews !== undefined ? { previews: outcome.previews } : {}),
      ...(outcome.format !== undefined ? { format: outcome.format } : {}),
    })
    .where(eq(files.id, fileId));
}

export async function setFilesQueued(db: Executor, versionId: string, fileIds?: string[]): Promise<void> {
  await db
    .update(files)
    .set({ state: 'queued', error: null })
    .where(fileIds ? and(eq(files.versionId, versionId), inArray(files.id, fileIds)) : eq(files.versionId, versionId));
}

export interface FileAddress {
  fileId: string;
  versionId: string;
  path: string;
  sha256: string;
  size: number;
  role: string;
  format: string | null;
  owner: string;
  slug: string;
  version: string;
  manifest: Record<string, unknown>;
}

const addressColumns = {
  fileId: files.id,
  versionId: files.versionId,
  path: files.path,
  sha256: files.sha256,
  size: files.size,
  role: files.role,
  format: files.format,
  owner: designs.ownerHandle,
  slug: designs.slug,
  version: designVersions.version,
  manifest: designVersions.manifest,
};

export async function fileAddress(db: Executor, fileId: string): Promise<FileAddress | undefined> {
  const [row] = await db
    .select(addressColumns)
    .from(files)
    .innerJoin(designVersions, eq(designVersions.id, files.versionId))
    .innerJoin(designs, eq(designs.id, designVersions.designId))
    .where(eq(files.id, fileId))
    .limit(1);
  return row;
}

export async function versionFileAddresses(db: Executor, versionId: string): Promise<FileAddress[]> {
  return db
    .select(addressColumns)
    .from(files)
    .innerJoin(designVersions, eq(designVersions.id, files.versionId))
    .innerJoin(designs, eq(designs.id, designVersions.designId))
    .where(eq(files.versionId, versionId));
}
