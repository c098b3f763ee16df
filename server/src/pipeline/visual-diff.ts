// Asking for a visual diff: the cached derivative when there is one, else the job that makes it (queued once).
import { and, desc, eq, sql } from 'drizzle-orm';
import { findDerivative } from './derivatives.js';
import { enqueue } from './queue.js';
import { jobs } from './tables.js';
import { priority } from './job-kinds.js';
import { visualDiffKey, type VisualDiffSubject } from './jobs/visual-diff.js';
import type { PipelineServices } from './services.js';

export type VisualDiffState =
  { state: 'done'; sha256: string } | { state: 'queued' | 'running'; job: string } | { state: 'failed'; error: string };

export async function requestVisualDiff(
  s: PipelineServices,
  subject: VisualDiffSubject,
  requestId?: string,
): Promise<VisualDiffState> {
  const key = visualDiffKey(subject);
  const cached = await findDerivative(s.db, key);
  if (cached?.sha256) return { state: 'done', sha256: cached.sha256 };
  const [last] = await s.db
    .select()
    .from(jobs)
    // one design's job is not another's: a hidden design's job (and its id) stays its own
    .where(
      and(
        eq(jobs.kind, 'visual-diff'),
        eq(jobs.subject, key.subjectKey),
        sql`${jobs.payload}->>'designId' = ${subject.designId}`,
      ),
    )
    .orderBy(desc(jobs.createdAt))
    .limit(1);
  if (last && (last.state === 'queued' || last.state === 'running')) return { state: last.state, job: last.id };
  // failed after its retries (or at once for a reader's refusal: the bytes will not change)
  if (last?.state === 'failed') return { state: 'failed', error: last.error ?? 'the visual diff could not be drawn' };
  const id = await enqueue(s.db, 'visual-diff', subject, {
    subject: key.subjectKey,
    priority: priority.user,
    requestId,
  });
  s.notify();
  return { state: 'queued', job: id };
}
