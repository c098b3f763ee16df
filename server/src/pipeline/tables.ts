// Tables owned by the pipeline: the durable job queue and the derivatives (facts, previews) it makes.
import { pgTable, uuid, text, timestamp, integer, jsonb, real, index, unique } from 'drizzle-orm/pg-core';
import { blobs } from '../registry/tables.js';

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    /** what the job is about, for lookups: a version id, a file id, a photo id */
    subject: text('subject').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    state: text('state').notNull().default('queued'),
    /** lower runs first: user uploads 0, sample loading 10 */
    priority: integer('priority').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    runAt: timestamp('run_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, precision: 3 }),
    progress: real('progress').notNull().default(0),
    error: text('error'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('jobs_ready_idx').on(t.state, t.priority, t.runAt), index('jobs_subject_idx').on(t.subject)],
);

export const derivatives = pgTable(
  'derivatives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** sha256 of the source file (or "a:b" for a pair) */
    subjectKey: text('subject_key').notNull(),
    rendererVersion: text('renderer_version').notNull(),
    kind: text('kind').notNull(),
    /** size/format/options, e.g. "512.png" */
    variant: text('variant').notNull().default(''),
    sha256: text('sha256').references(() => blobs.sha256),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** when it was last asked for (build packets: one not asked for again in a while is deleted) */
    requestedAt: timestamp('requested_at', { withTimezone: true }),
  },
  (t) => [unique('derivatives_key').on(t.subjectKey, t.rendererVersion, t.kind, t.variant)],
);
