// ingest-version: a published version fans out into one process-file job per file that needs processing and one
// process-board job per circuit board (its Gerber and drill files, found by content); other files are done at once
// with {format, bytes}.
import { enqueue, requestIdOf } from '../queue.js';
import { setFileState, versionFileAddresses } from '../../registry/file-state.js';
import type { PipelineServices } from '../services.js';
import type { JobDefinition } from '../job-definition.js';
import { planVersionBoards } from '../../electronics/version-boards.js';
import { insertBoards } from '../../electronics/boards.js';
import { manifestOfVersion } from '../../registry/versions.js';

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
    const boards = await planVersionBoards(
      s.blobs,
      files,
      files.filter((f) => !processedRoles.has(f.role)),
      await manifestOfVersion(s.db, versionId),
    );
    const fabrication = new Map(boards.fabrication.map((b) => [b.file.fileId, b]));
    let queued = 0;
    await s.db.transaction(async (tx) => {
      for (const board of await insertBoards(tx, versionId, boards.boards)) {
        await enqueue(
          tx,
          'process-board',
          { boardId: board.id },
          { subject: board.id, priority: job.priority, requestId: requestIdOf(job) },
        );
        queued++;
      }
      for (const f of files) {
        const fab = fabrication.get(f.fileId);
        if (fab) {
          // a Gerber or drill file is done as a file: what it is and which layer; its board draws it
          await setFileState(tx, f.fileId, {
            state: 'done',
            format: fab.format,
            facts: { format: fab.format, bytes: f.size, layer: fab.layer.type, side: fab.layer.side },
          });
          continue;
        }
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
