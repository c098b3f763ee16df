// The job kinds of the pipeline: one union, each handled by one file in jobs/.
export const jobKinds = [
  'ingest-version',
  'process-file',
  'process-photo',
  'visual-diff',
  'version-thumbnail',
  'mesh-glb',
  'packet-pdf',
] as const;
export type JobKind = (typeof jobKinds)[number];

/** Priorities: lower runs first. Sample loading yields to what users upload. */
export const priority = { user: 0, samples: 10 } as const;

/** A failure the job's own input causes (a broken file): retrying cannot help. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
