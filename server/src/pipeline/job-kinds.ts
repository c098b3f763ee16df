// The job kinds of the pipeline: one union, each kind owned by one file in jobs/ (its payload, handler, onFailed).
export const jobKinds = [
  'ingest-version',
  'process-file',
  'process-photo',
  'visual-diff',
  'version-thumbnail',
  'mesh-glb',
  'packet-pdf',
  // the federation's verified copy of a remote version (federation/mirror-job.ts, registered on the pipeline)
  'mirror-version',
] as const;
export type JobKind = (typeof jobKinds)[number];

/**
 * What each kind's payload holds. Empty here: each file in jobs/ adds its own kind's entry (`declare module
 * '../job-kinds.js'`), so a payload type lives beside the handler that reads it, and a domain under the jobs (builds,
 * which enqueues photos) can enqueue a kind without importing that file.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

/** Every kind has a payload entry, and no entry names a kind that does not exist. */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const payloadsCoverKinds: Exact<keyof JobPayloads, JobKind> = true;

/** Priorities: lower runs first. Sample loading yields to what users upload. */
export const priority = { user: 0, samples: 10 } as const;

/** A failure the job's own input causes (a broken file): retrying cannot help. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
