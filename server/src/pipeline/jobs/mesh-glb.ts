// mesh-glb: the compact GLB the web viewer loads, for one 3D file, made after the previews (lower priority)
// and stored as a derivative keyed like them; the file's previews then link it (`previews.glb`).
import { PermanentJobError } from '../job-kinds.js';
import type { JobDefinition } from '../job-definition.js';
import { fileAddress, setFileState } from '../../registry/file-state.js';
import { previewKey } from '../../registry/preview-keys.js';
import { findDerivative, saveDerivative } from '../derivatives.js';
import { RENDERER_VERSION } from '../../render/preview.js';
import { files } from '../../registry/tables.js';
import { eq } from 'drizzle-orm';
import type { PipelineServices } from '../services.js';
import { fileSource, siblingsOf, unitsOf } from './process-file.js';

export interface MeshGlbPayload {
  fileId: string;
}
declare module '../job-kinds.js' {
  interface JobPayloads {
    'mesh-glb': MeshGlbPayload;
  }
}

export const meshGlb = (s: PipelineServices): JobDefinition<'mesh-glb'> => ({
  kind: 'mesh-glb',
  async handle(job) {
    const f = await fileAddress(s.db, job.payload.fileId);
    if (!f) return { skipped: 'the file no longer exists' };
    const key = { subjectKey: f.sha256, rendererVersion: RENDERER_VERSION, kind: 'mesh-glb' };
    let glb = await findDerivative(s.db, key);
    if (!glb) {
      const made = await s.pool.processFile({
        ...(await fileSource(s, f.sha256)),
        filename: f.path,
        units: unitsOf(f),
        sizes: [],
        formats: [],
        siblings: await siblingsOf(s, f),
        glb: true,
      });
      if (!made.ok) throw new PermanentJobError(made.message);
      if (!made.glb) return { skipped: 'no triangles to put in a GLB (a point cloud)' };
      await saveDerivative(s.db, key, await s.blobs.putBuffer(made.glb));
      glb = await findDerivative(s.db, key);
    }
    const [row] = await s.db
      .select({ previews: files.previews, state: files.state })
      .from(files)
      .where(eq(files.id, f.fileId))
      .limit(1);
    if (glb?.sha256 && row?.state === 'done') {
      await setFileState(s.db, f.fileId, {
        state: 'done',
        previews: { ...(row.previews ?? {}), glb: previewKey('glb') },
      });
    }
    return { glb: glb?.sha256 ?? null };
  },
});
