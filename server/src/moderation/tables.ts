// Tables owned by moderation: abuse reports on designs, build reports and comments, and how an admin resolved them.
import { pgTable, uuid, text, timestamp, index } from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';

export const abuseReports = pgTable(
  'abuse_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** design | build | comment */
    subject: text('subject').notNull(),
    /** "owner/slug" of a design, the id of a build report or a comment */
    subjectId: text('subject_id').notNull(),
    reason: text('reason').notNull(),
    reporterId: uuid('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    /** open | resolved */
    state: text('state').notNull().default('open'),
    /** hide | restore | dismiss */
    action: text('action'),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('abuse_reports_queue_idx').on(t.state, t.createdAt),
    index('abuse_reports_subject_idx').on(t.subject, t.subjectId),
  ],
);
