// Tables owned by the federation: Fedify's key-value store and delivery queue, actor key pairs, who follows our
// designs, what this instance follows, and the instances an admin blocked.
import { pgTable, uuid, text, timestamp, jsonb, bigserial, primaryKey, index, integer } from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { designs } from '../registry/tables.js';

/** Fedify's cache and idempotence records (its KvStore), durable so a restart forgets nothing it promised. */
export const federationKv = pgTable(
  'federation_kv',
  {
    key: text('key').primaryKey(),
    value: jsonb('value').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [index('federation_kv_expires_idx').on(t.expiresAt)],
);

/**
 * Fedify's message queue: outgoing deliveries and incoming activities, retried with backoff until done. A delivery
 * whose retries ran out stays as a failed row (the outbox lists it; an admin may try it again).
 */
export const federationQueue = pgTable(
  'federation_queue',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    message: jsonb('message').notNull(),
    deliverAt: timestamp('deliver_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** why the last attempt of this delivery failed, and when it was made */
    lastError: text('last_error'),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }),
    /** the retries ran out: never claimed again unless an admin retries it */
    failedAt: timestamp('failed_at', { withTimezone: true }),
  },
  (t) => [index('federation_queue_due_idx').on(t.deliverAt)],
);

/** Each local actor's key pairs (RSA for HTTP Signatures, Ed25519 for object proofs), made once. */
export const federationKeys = pgTable(
  'federation_keys',
  {
    actor: text('actor').notNull(),
    algorithm: text('algorithm').notNull(),
    privateKey: jsonb('private_key').notNull(),
    publicKey: jsonb('public_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.actor, t.algorithm] })],
);

/** Remote actors (instances, fediverse accounts) that follow one of our designs. */
export const designFollowers = pgTable(
  'design_followers',
  {
    designId: uuid('design_id')
      .notNull()
      .references(() => designs.id, { onDelete: 'cascade' }),
    actorUri: text('actor_uri').notNull(),
    inbox: text('inbox').notNull(),
    sharedInbox: text('shared_inbox'),
    instance: text('instance').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.designId, t.actorUri] })],
);

/** Remote designs this instance follows (once, on behalf of every user who asked). */
export const remoteFollows = pgTable('remote_follows', {
  id: uuid('id').primaryKey().defaultRandom(),
  target: text('target').notNull(),
  actorUri: text('actor_uri').notNull().unique(),
  inbox: text('inbox').notNull(),
  outbox: text('outbox'),
  instance: text('instance').notNull(),
  owner: text('owner').notNull(),
  slug: text('slug').notNull(),
  state: text('state').$type<'pending' | 'accepted' | 'rejected'>().notNull().default('pending'),
  followActivity: text('follow_activity').notNull(),
  /** the outbox as the last backfill saw it: its newest item and its count (unchanged: nothing to fetch) */
  outboxSeenItem: text('outbox_seen_item'),
  outboxSeenTotal: integer('outbox_seen_total'),
  backfilledAt: timestamp('backfilled_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Which users asked to follow a remote design: the follow lasts while one of them still wants it. */
export const remoteFollowRequesters = pgTable(
  'remote_follow_requesters',
  {
    followId: uuid('follow_id')
      .notNull()
      .references(() => remoteFollows.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.followId, t.userId] })],
);

/** Instances an admin blocked: nothing from them is accepted or fetched. */
export const blockedInstances = pgTable('blocked_instances', {
  host: text('host').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
