// ingest-version: a published version fans out into one process-file job per file that needs processing;
// files that are not CAD or images are done at once with {format, bytes}.
import { enqueue, requestIdOf } from '../queue.js';
import { setFileState, versionFileAddresses } from '../../registry/file-state.js';
import type { PipelineServices } from '../services.js';
import type { JobDefinition } from '../job-definition.js';

export interface IngestVersionPayload {
  versionId: string;
}
declare module '../job-kinds.js' {
  interface JobPayloads {
    'ingest-version': IngestVersionPayload;
  }
}

const processedRoles = new Set(['cad', 'drawing', 'image']);

export const ingestVersion = (s: PipelineServices): JobDefinition<'ingest-version'> => ({
  kind: 'ingest-version',
  async handle(job) {
    const { versionId } = job.payload;
    const files = await versionFileAddresses(s.db, versionId);
    let queued = 0;
    await s.db.transaction(async (tx) => {
      for (const f of files) {
        if (processedRoles.has(f.role)) {
          await enqueue(
            tx,
            'process-file',
            { fileId: f.fileId },
            { subject: f.fileId, priority: job.priority, requestId: requestIdOf(job) },
          );
          queued++;
        } else {
          await setFileState(tx, f.fileId, { state: 'done', facts: { format: f.format ?? 'unknown', bytes: f.size } });
        }
      }
    });
    const first = files[0];
    if (first)
      s.events.publish({
        type: 'version',
        design: `${first.owner}/${first.slug}`,
        version: first.version,
        state: queued ? 'running' : 'done',
      });
    s.notify();
    return { files: files.length, queued };
  },
  /** the fan-out itself failed: every file of the version says so */
  async onFailed(job, error) {
    for (const f of await versionFileAddresses(s.db, job.payload.versionId)) {
      await setFileState(s.db, f.fileId, { state: 'failed', error: `the version could not be processed: ${error}` });
    }
  },
});
