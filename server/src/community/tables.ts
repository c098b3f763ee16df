// Tables owned by the community: discussions on a design (questions, ideas, problems) and their replies with their
// edit history, and stars. Profiles live on `users` (accounts), notifications and watches in notifications/.
import { pgTable, uuid, text, timestamp, boolean, index, primaryKey } from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { designs, designVersions } from '../registry/tables.js';

export const discussions = pgTable(
  'discussions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    designId: uuid('design_id')
      .notNull()
      .references(() => designs.id, { onDelete: 'cascade' }),
    /** the version a question is about: it stays attached to it; null for the design as a whole */
    versionId: uuid('version_id').references(() => designVersions.id, { onDelete: 'set null' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    /** question | idea | problem */
    kind: text('kind').notNull(),
    /** open | answered | closed */
    state: text('state').notNull().default('open'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** the reply a lead marked as the answer */
    answerReplyId: uuid('answer_reply_id'),
    /** a problem a lead marked fixed by a later version */
    fixedByVersionId: uuid('fixed_by_version_id').references(() => designVersions.id, { onDelete: 'set null' }),
    locked: boolean('locked').notNull().default(false),
    pinned: boolean('pinned').notNull().default(false),
    /** taken down by a moderator or a lead */
    hidden: boolean('hidden').notNull().default(false),
    /** received from another instance: the Note's id there (a second delivery adds nothing) */
    remoteNote: text('remote_note').unique(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** the last reply or change: what a design's list sorts by */
    activeAt: timestamp('active_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('discussions_design_idx').on(t.designId, t.activeAt), index('discussions_version_idx').on(t.versionId)],
);

export const discussionReplies = pgTable(
  'discussion_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    discussionId: uuid('discussion_id')
      .notNull()
      .references(() => discussions.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    hidden: boolean('hidden').notNull().default(false),
    remoteNote: text('remote_note').unique(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('discussion_replies_discussion_idx').on(t.discussionId, t.createdAt)],
);

/** What a discussion or reply said before each edit (its author edits within a window; the history is kept). */
export const discussionEdits = pgTable(
  'discussion_edits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    discussionId: uuid('discussion_id')
      .notNull()
      .references(() => discussions.id, { onDelete: 'cascade' }),
    /** null: the discussion's own title and body were edited */
    replyId: uuid('reply_id').references(() => discussionReplies.id, { onDelete: 'cascade' }),
    editorId: uuid('editor_id')
      .notNull()
      .references(() => users.id),
    previousTitle: text('previous_title'),
    previousBody: text('previous_body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('discussion_edits_discussion_idx').on(t.discussionId, t.createdAt)],
);

export const stars = pgTable(
  'stars',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    designId: uuid('design_id')
      .notNull()
      .references(() => designs.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.designId] }), index('stars_design_idx').on(t.designId)],
);
