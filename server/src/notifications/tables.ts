// Tables owned by notifications: what a person watches (a design or a workshop) and what they have been told.
import { pgTable, uuid, text, timestamp, boolean, jsonb, index, primaryKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from '../accounts/tables.js';

export const watches = pgTable(
  'watches',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** design | workshop */
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.subjectType, t.subjectId] }),
    index('watches_subject_idx').on(t.subjectType, t.subjectId),
  ],
);

/** What a notification points at: enough to word it and link to it without another query. */
export interface NotificationSubject {
  /** design | version | discussion | reply | build-report | review | fork | proposal | workshop */
  type: string;
  id?: string;
  /** owner/slug of the design it is about */
  design?: string;
  version?: string;
  title?: string;
  /** the web path it opens */
  url: string;
}

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** reply | answer | mention | build-report | review | fork | proposal | version | discussion */
    kind: text('kind').notNull(),
    subject: jsonb('subject').$type<NotificationSubject>().notNull(),
    /** who did it (null: the system or someone since deleted) */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    read: boolean('read').notNull().default(false),
    /** when the email digest included it (null: not yet, or no digest configured) */
    digestedAt: timestamp('digested_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`${t.read} = false`),
  ],
);
