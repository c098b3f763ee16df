// Tables owned by the registry: designs, maintainers, versions, files and the blobs they point at.
import {
  pgTable,
  uuid,
  text,
  timestamp,
  boolean,
  jsonb,
  bigint,
  integer,
  primaryKey,
  unique,
  index,
  date,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from '../accounts/tables.js';
import type { VersionWarning } from '../schema-types.js';

export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A blob an upload in flight (any process) stored and is about to reference: it counts as a reference (its column is
 * named sha256), so no other request's clean-up nor gc deletes it before the upload's rows commit.
 */
export const uploadHolds = pgTable(
  'upload_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** the upload holding it: released together when it ends */
    uploadId: uuid('upload_id').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('upload_holds_sha256_idx').on(t.sha256), index('upload_holds_upload_idx').on(t.uploadId)],
);

/** Bytes refused uploads sent, per key (`account:<id>`, `address:<ip>`): the hourly allowance shared by every process. */
export const refusedUploadBytes = pgTable(
  'refused_upload_bytes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('refused_upload_bytes_key_at_idx').on(t.key, t.at)],
);

export const designs = pgTable(
  'designs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    ownerHandle: text('owner_handle').notNull(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    category: text('category'),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    licenses: jsonb('licenses').$type<Record<string, string>>().notNull().default({}),
    forkedFromVersionId: uuid('forked_from_version_id'),
    hidden: boolean('hidden').notNull().default(false),
    /** followable across instances (its ActivityPub actor answers, versions are sent); hidden designs never are */
    federation: boolean('federation').notNull().default(true),
    // a mirror of a design that lives on another instance: its actor URI there, its web page, the instance's name
    originActor: text('origin_actor').unique('designs_origin_actor'),
    originUrl: text('origin_url'),
    originInstance: text('origin_instance'),
    /** the origin deleted it (or its owner): the copies stay downloadable */
    originGone: boolean('origin_gone').notNull().default(false),
    /** its instance is blocked by this one's admins: hidden from everyone until unblocked */
    originBlocked: boolean('origin_blocked').notNull().default(false),
    /** a mirror's followers as its home's followers collection said when its actor was last read (lineage shows them) */
    originFollowers: jsonb('origin_followers').$type<{ count: number; instances: string[] }>(),
    // millisecond precision: list cursors carry these timestamps through JavaScript Dates
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique('designs_owner_slug').on(t.ownerHandle, t.slug),
    index('designs_updated_idx').on(t.updatedAt, t.id),
    // what a visitor's list reads, newest first: with the mirror's blocked flag beside hidden, the planner chose a
    // scan and sort of every design over designs_updated_idx (the uncached list answered 22% slower)
    index('designs_listed_updated_idx')
      .on(t.updatedAt, t.id)
      .where(sql`${t.hidden} = false and ${t.originBlocked} = false`),
    index('designs_title_idx').on(t.title, t.id),
    index('designs_forked_from_idx').on(t.forkedFromVersionId),
  ],
);

export const designMaintainers = pgTable(
  'design_maintainers',
  {
    designId: uuid('design_id')
      .notNull()
      .references(() => designs.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.designId, t.userId] })],
);

export const designVersions = pgTable(
  'design_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    designId: uuid('design_id')
      .notNull()
      .references(() => designs.id, { onDelete: 'cascade' }),
    version: text('version').notNull(),
    major: integer('major').notNull(),
    minor: integer('minor').notNull(),
    patch: integer('patch').notNull(),
    prerelease: text('prerelease'),
    state: text('state').notNull().default('published'),
    changelog: text('changelog'),
    manifest: jsonb('manifest').$type<Record<string, unknown>>().notNull(),
    bomBlob: text('bom_blob').references(() => blobs.sha256),
    bomFilename: text('bom_filename'),
    // what this publish dropped from the previous version (safety notes, licences…): kept so every reader sees it
    warnings: jsonb('warnings').$type<VersionWarning[]>().notNull().default([]),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('design_versions_design_version').on(t.designId, t.version)],
);

export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => designVersions.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    size: bigint('size', { mode: 'number' }).notNull(),
    mediaType: text('media_type').notNull(),
    format: text('format'),
    role: text('role').notNull(),
    // pipeline state of this file: queued|running|done|failed, with the reader's facts or error
    state: text('state').notNull().default('queued'),
    error: text('error'),
    facts: jsonb('facts').$type<Record<string, unknown>>(),
    /** preview keys by format (registry/preview-keys.ts: `preview-png/512`, `mesh-glb`); replies build the URLs */
    previews: jsonb('previews').$type<Record<string, string>>(),
  },
  (t) => [unique('files_version_path').on(t.versionId, t.path), index('files_sha_idx').on(t.sha256)],
);

/**
 * A published version of a mirrored design, from the moment the origin announced it: the mirror fetches its files
 * (verified by sha256) and then publishes it here like an upload. `remote` is what the origin said (RemoteVersion).
 */
export const mirroredVersions = pgTable(
  'mirrored_versions',
  {
    designId: uuid('design_id')
      .notNull()
      .references(() => designs.id, { onDelete: 'cascade' }),
    version: text('version').notNull(),
    objectUri: text('object_uri').notNull(),
    /** queued | fetching | complete | failed */
    state: text('state').notNull().default('queued'),
    error: text('error'),
    remote: jsonb('remote').$type<Record<string, unknown>>().notNull(),
    /** the origin took this version down for abuse: hidden here from all but admins */
    takenDown: boolean('taken_down').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.designId, t.version] })],
);

/** A version of a fork proposed to an upstream design; its leads accept (a new upstream version) or decline it. */
export const proposals = pgTable(
  'proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** the upstream design the proposal is made to */
    designId: uuid('design_id')
      .notNull()
      .references(() => designs.id, { onDelete: 'cascade' }),
    /**
     * the fork's version proposed (at a design's home, the verified copy of a fork made on another instance); for a
     * translation, the version of this design whose README it translates
     */
    fromVersionId: uuid('from_version_id')
      .notNull()
      .references(() => designVersions.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    message: text('message').notNull(),
    /** open | accepted | declined */
    state: text('state').notNull().default('open'),
    reason: text('reason'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true, precision: 3 }),
    /** the upstream version an accepted proposal became */
    acceptedVersionId: uuid('accepted_version_id').references(() => designVersions.id, { onDelete: 'set null' }),
    /** made here to a mirrored design, decided at its home: that version as named here (its copy may come later) */
    acceptedRef: text('accepted_ref'),
    /** made here to a mirrored design: queued | delivered (its home recorded it) | failed (refused, see error) */
    delivery: text('delivery'),
    deliveryError: text('delivery_error'),
    /** when its Offer went into the federation queue (a restart offers those without one) */
    offeredAt: timestamp('offered_at', { withTimezone: true, precision: 3 }),
    /** received from another instance: the proposal's object there, and its author's actor and inbox */
    remoteObject: text('remote_object').unique(),
    remoteActor: text('remote_actor'),
    remoteInbox: text('remote_inbox'),
    /** fork (a fork's version proposed upstream) | translation (a translation of the README, registry/translation-proposals.ts) */
    kind: text('kind').notNull().default('fork'),
    /** a translation: its BCP 47 tag and its Markdown (front matter naming the README it translates) */
    translationLang: text('translation_lang'),
    translationBlob: text('translation_blob').references(() => blobs.sha256),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('proposals_design_idx').on(t.designId, t.createdAt)],
);

export const proposalComments = pgTable(
  'proposal_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    proposalId: uuid('proposal_id')
      .notNull()
      .references(() => proposals.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    /** taken down by a moderator: left out of the proposal */
    hidden: boolean('hidden').notNull().default(false),
    /** received from another instance: the Note's id there (a second delivery adds nothing) */
    remoteNote: text('remote_note').unique(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('proposal_comments_proposal_idx').on(t.proposalId, t.createdAt)],
);

/** A design as stored; every registry module (and the domains above) passes these around. */
export type DesignRow = typeof designs.$inferSelect;

/**
 * A version's instructions as text: its source README (`sourceSha256` null) and each translation of it, with the
 * sha256 of the source text the translation was made from (registry/translations.ts decides it at publish). Kept
 * here, not read from blobs on each request, so staleness, the lineage of a translation and search are one query.
 */
export const versionTexts = pgTable(
  'version_texts',
  {
    versionId: uuid('version_id')
      .notNull()
      .references(() => designVersions.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    /** BCP 47 tag: the source's from the manifest's `language` (en by default), a translation's from its name */
    lang: text('lang').notNull(),
    /** the file's own sha256 */
    sha256: text('sha256').notNull(),
    /** a translation's source text's sha256; null for the source README itself */
    sourceSha256: text('source_sha256'),
    /** the Markdown without front matter, cut at 200 000 characters (what search and the packet read) */
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.path] })],
);

/**
 * How often a version was downloaded, per kind (file | archive | packet), file path ('' for the archive and the
 * packet) and day. Counts only: nothing says who downloaded (no address, no account).
 */
export const versionDownloads = pgTable(
  'version_downloads',
  {
    versionId: uuid('version_id')
      .notNull()
      .references(() => designVersions.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    path: text('path').notNull().default(''),
    day: date('day').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.kind, t.path, t.day] })],
);
