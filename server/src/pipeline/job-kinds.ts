// The job kinds of the pipeline: one union, each kind owned by one file in jobs/ (its payload, handler, onFailed).
import type { Job } from '../schema-types.js';

/** The kinds are the enum of schemas/job.schema.json (what GET /api/jobs/{id} answers): one list, not two. */
export type JobKind = Job['kind'];

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

/**
 * Work no user is waiting on to see their file: the viewer's GLB, the version thumbnail, visual diffs, build packets.
 * The worker runs these in a lane of their own, on threads of their own at a lower CPU priority, so a preview never
 * waits behind them (a 1 M-triangle GLB takes ~5 s on one thread).
 */
export const backgroundKinds: readonly JobKind[] = ['mesh-glb', 'version-thumbnail', 'visual-diff', 'packet-pdf'];

/** Priorities: lower runs first. Sample loading yields to what users upload. */
export const priority = { user: 0, samples: 10 } as const;

/** A failure the job's own input causes (a broken file): retrying cannot help. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
