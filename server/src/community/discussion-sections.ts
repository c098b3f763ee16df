// What a version document says of discussions: the problems raised on the version before it that are still open
// (a new version's page lists them, for its leads to check), and how many questions about the design are open.
import { and, asc, count, eq } from 'drizzle-orm';
import type { VersionDocumentSection } from '../registry/versions.js';
import { versionBefore } from '../registry/versions.js';
import { discussions } from './tables.js';

export const openProblemsSection: VersionDocumentSection = async (db, v) => {
  const before = await versionBefore(db, v.designId, v.version);
  if (!before) return ['openProblems', []];
  const rows = await db
    .select({ id: discussions.id, title: discussions.title })
    .from(discussions)
    .where(
      and(
        eq(discussions.versionId, before.id),
        eq(discussions.kind, 'problem'),
        eq(discussions.state, 'open'),
        eq(discussions.hidden, false),
      ),
    )
    .orderBy(asc(discussions.createdAt));
  return ['openProblems', rows];
};

export const openQuestionsSection: VersionDocumentSection = async (db, v) => {
  const [row] = await db
    .select({ n: count() })
    .from(discussions)
    .where(
      and(
        eq(discussions.designId, v.designId),
        eq(discussions.kind, 'question'),
        eq(discussions.state, 'open'),
        eq(discussions.hidden, false),
      ),
    );
  return ['openQuestions', Number(row.n)];
};
