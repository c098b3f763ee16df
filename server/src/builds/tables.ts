// Tables owned by builds: workshops and their members, build reports, their photos and review history.
import {
  pgTable,
  uuid,
  text,
  timestamp,
  integer,
  jsonb,
  doublePrecision,
  numeric,
  boolean,
  date,
  primaryKey,
  unique,
  index,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { blobs, designs, designVersions } from '../registry/tables.js';

export const workshops = pgTable(
  'workshops',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    city: text('city').notNull(),
    region: text('region'),
    /** ISO 3166-1 alpha-2, upper case */
    country: text('country').notNull(),
    // rounded to 2 decimals (~1 km) before they are stored: a workshop is often someone's home
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    processes: jsonb('processes').$type<string[]>().notNull().default([]),
    /** a workshop of another instance that reported a build of a design here (slug `name@instance`): never edited here */
    remoteInstance: text('remote_instance'),
    tools: jsonb('tools').$type<string[]>().notNull().default([]),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('workshops_country_idx').on(t.country)],
);

export const workshopMembers = pgTable(
  'workshop_members',
  {
    workshopId: uuid('workshop_id')
      .notNull()
      .references(() => workshops.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** admin | member: admins add members */
    role: text('role').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workshopId, t.userId] })],
);

export const buildReports = pgTable(
  'build_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    designId: uuid('design_id')
      .notNull()
      .references(() => designs.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => designVersions.id, { onDelete: 'cascade' }),
    workshopId: uuid('workshop_id')
      .notNull()
      .references(() => workshops.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    /** submitted | changes-requested | approved | rejected */
    state: text('state').notNull().default('submitted'),
    /** success | partial | failed */
    outcome: text('outcome').notNull(),
    /** checksum of the version's BOM when the report was made: the parts list this build is evidence for */
    bomChecksum: text('bom_checksum'),
    // the workshop's country when the report was made, so field data by region does not move if a workshop does
    country: text('country').notNull(),
    startedOn: date('started_on', { mode: 'string' }),
    finishedOn: date('finished_on', { mode: 'string' }),
    hours: numeric('hours'),
    unitsBuilt: integer('units_built'),
    costAmount: numeric('cost_amount'),
    costCurrency: text('cost_currency'),
    lines: jsonb('lines').$type<Record<string, unknown>[]>().notNull().default([]),
    deviations: text('deviations'),
    safetyNotes: text('safety_notes'),
    /** Markdown as written; sanitised only when rendered */
    notes: text('notes'),
    /** taken down by a moderator: seen only by its author and admins */
    hidden: boolean('hidden').notNull().default(false),
    /**
     * A report of a mirrored design filed here, on its way to the design's home: queued (not yet taken there),
     * delivered (the home recorded it) or failed (the home refused it: delivery_error says why). Null for a local design.
     */
    delivery: text('delivery').$type<'queued' | 'delivered' | 'failed'>(),
    deliveryError: text('delivery_error'),
    /** when the Offer went into the federation queue: a restart re-offers reports still queued without one */
    offeredAt: timestamp('offered_at', { withTimezone: true, precision: 3 }),
    // a report received from another instance (its author and workshop are remote): the report's object there, its
    // author's actor and the inbox reviews are sent back to
    remoteObject: text('remote_object').unique('build_reports_remote_object'),
    remoteActor: text('remote_actor'),
    remoteInbox: text('remote_inbox'),
    /** the last (re)submission: queue order and age count from here */
    submittedAt: timestamp('submitted_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('build_reports_version_idx').on(t.versionId, t.state),
    index('build_reports_queue_idx').on(t.state, t.submittedAt),
    index('build_reports_workshop_idx').on(t.workshopId),
  ],
);

export const buildPhotos = pgTable(
  'build_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => buildReports.id, { onDelete: 'cascade' }),
    /** 1-based, in upload order */
    n: integer('n').notNull(),
    /** queued | running | done | failed */
    state: text('state').notNull().default('queued'),
    error: text('error'),
    /** the sniffed format: jpeg | png | webp | avif | tiff */
    format: text('format').notNull(),
    // the bytes as uploaded (with their EXIF): only until the job has made the metadata-free copies
    uploadSha256: text('upload_sha256').references(() => blobs.sha256),
    originalSha256: text('original_sha256').references(() => blobs.sha256),
    width: integer('width'),
    height: integer('height'),
    /** "large.webp" | "large.jpeg" | "thumb.webp" | "thumb.jpeg" | "original.<ext>" → sha256 */
    variants: jsonb('variants').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [unique('build_photos_report_n').on(t.reportId, t.n)],
);

/** Every transition of a report: submit, edit-and-resubmit, and each review decision. */
export const buildTransitions = pgTable(
  'build_transitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => buildReports.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => users.id),
    /** submit | resubmit | approve | request-changes | reject */
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    comment: text('comment').notNull().default(''),
    /** per-field or per-line remarks of a review: [{field?, line?, message}] */
    remarks: jsonb('remarks').$type<Record<string, unknown>[]>().notNull().default([]),
    safetyChecked: boolean('safety_checked'),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('build_transitions_report_idx').on(t.reportId, t.at)],
);
