// ingest-version: a published version fans out into one process-file job per file that needs processing;
// files that are not CAD or images are done at once with {format, bytes}.
import type { JobRow } from '../queue.js';
import { enqueue } from '../queue.js';
import { setFileState, versionFileAddresses } from '../../registry/file-state.js';
import type { PipelineServices } from '../services.js';

const processedRoles = new Set(['cad', 'drawing', 'image']);

export function ingestVersion(s: PipelineServices) {
  return async (job: JobRow) => {
    const versionId = String(job.payload.versionId);
    const files = await versionFileAddresses(s.db, versionId);
    let queued = 0;
    await s.db.transaction(async (tx) => {
      for (const f of files) {
        if (processedRoles.has(f.role)) {
          await enqueue(tx, {
            kind: 'process-file',
            subject: f.fileId,
            payload: { fileId: f.fileId },
            priority: job.priority,
          });
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
  };
}
