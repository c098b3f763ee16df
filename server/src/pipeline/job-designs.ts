// What a pipeline job's outcome changed, for the response caches: the design of the file, version or mirrored design
// it worked on. Kinds whose outcome may show on many designs (derivatives shared by content — visual diffs, packets —
// and build photos) or that this file does not know name nothing, which drops everything: the safe default.
import type { Executor } from '../db/client.js';
import type { ChangedDesigns } from '../events.js';
import { designNameOf } from '../registry/design-lookups.js';
import type { JobRow } from './queue.js';

type Subject = { designId: string } | { versionId: string } | { fileId: string };

const subjectOf: Record<string, (payload: Record<string, unknown>) => Subject | undefined> = {
  'ingest-version': (p) => (typeof p.versionId === 'string' ? { versionId: p.versionId } : undefined),
  'version-thumbnail': (p) => (typeof p.versionId === 'string' ? { versionId: p.versionId } : undefined),
  'process-file': (p) => (typeof p.fileId === 'string' ? { fileId: p.fileId } : undefined),
  'mesh-glb': (p) => (typeof p.fileId === 'string' ? { fileId: p.fileId } : undefined),
  'mirror-version': (p) => (typeof p.designId === 'string' ? { designId: p.designId } : undefined),
};

/** The designs a job's outcome changes, or undefined when that cannot be said (the lookup failed included). */
export async function designsOfJob(db: Executor, job: JobRow): Promise<ChangedDesigns> {
  const payload = job.payload as Record<string, unknown> | null;
  const subject = payload && typeof payload === 'object' ? subjectOf[job.kind]?.(payload) : undefined;
  if (!subject) return undefined;
  const name = await designNameOf(db, subject).catch(() => undefined);
  return name ? [name] : undefined;
}
