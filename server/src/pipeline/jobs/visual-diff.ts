// visual-diff: two versions of one CAD file → a PNG (old-only red, new-only green, common grey), made in a
// worker thread and stored as a derivative keyed by both sha256s, so any compare of the same pair reuses it.
import { PermanentJobError } from '../job-kinds.js';
import type { JobDefinition } from '../job-definition.js';
import { findDerivative, saveDerivative, type DerivativeKey } from '../derivatives.js';
import { VISUAL_DIFF_VERSION } from '../../render/visual-diff.js';
import type { PipelineServices } from '../services.js';
import { transferable } from '../pool.js';

export const visualDiffSize = 512;

export interface VisualDiffSubject {
  /** the design whose compare asked for it: the job is seen by whoever may see that design */
  designId: string;
  beforeSha256: string;
  afterSha256: string;
  beforePath: string;
  afterPath: string;
  units?: string;
}

declare module '../job-kinds.js' {
  interface JobPayloads {
    'visual-diff': VisualDiffSubject;
  }
}

export const visualDiffKey = (s: Pick<VisualDiffSubject, 'beforeSha256' | 'afterSha256'>): DerivativeKey => ({
  subjectKey: `${s.beforeSha256}:${s.afterSha256}`,
  rendererVersion: VISUAL_DIFF_VERSION,
  kind: 'visual-diff',
  variant: `${visualDiffSize}.png`,
});

export const visualDiff = (s: PipelineServices): JobDefinition<'visual-diff'> => ({
  kind: 'visual-diff',
  async handle(job) {
    const subject = job.payload;
    const key = visualDiffKey(subject);
    if (await findDerivative(s.db, key)) return { cached: true };
    const result = await s.pool.visualDiff({
      before: { bytes: transferable(await s.blobs.getBuffer(subject.beforeSha256)), filename: subject.beforePath },
      after: { bytes: transferable(await s.blobs.getBuffer(subject.afterSha256)), filename: subject.afterPath },
      units: subject.units,
      size: visualDiffSize,
    });
    if (!result.ok) throw new PermanentJobError(result.message);
    const blob = await s.blobs.putBuffer(result.png);
    await saveDerivative(s.db, key, { ...blob, data: { pixels: result.pixels } });
    return { pixels: result.pixels };
  },
});
