// Who hears of a build report: a new one tells the design's leads and watchers and the workshop's watchers; a review
// tells the report's author. Called inside the transaction that writes the report or the review.
import type { Executor } from '../db/client.js';
import type { DesignRow } from '../registry/designs.js';
import { leadIds } from '../registry/leads.js';
import { notify, watchersOf } from '../notifications/notify.js';
import { buildReportSubject } from '../notifications/subjects.js';
import type { buildReports } from './tables.js';

/** The columns of a report this needs (reports.ts's ReportRow has them). */
type ReportRow = Pick<typeof buildReports.$inferSelect, 'id' | 'authorId' | 'workshopId'>;

export async function notifyBuildReport(tx: Executor, design: DesignRow, version: string, report: ReportRow) {
  await notify(tx, {
    userIds: [
      ...(await leadIds(tx, design)),
      ...(await watchersOf(tx, 'design', [design.id])),
      ...(await watchersOf(tx, 'workshop', [report.workshopId])),
    ],
    kind: 'build-report',
    subject: buildReportSubject(design, version, report.id),
    actorId: report.authorId,
  });
}

export async function notifyReview(
  tx: Executor,
  design: Pick<DesignRow, 'ownerHandle' | 'slug' | 'title'>,
  version: string,
  report: ReportRow,
  reviewerId: string,
) {
  await notify(tx, {
    userIds: [report.authorId],
    kind: 'review',
    subject: buildReportSubject(design, version, report.id, 'review'),
    actorId: reviewerId,
  });
}
