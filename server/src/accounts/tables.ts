// Tables owned by accounts: users, sessions and API tokens.
import { pgTable, uuid, text, timestamp, boolean, index, jsonb } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  handle: text('handle').notNull().unique(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  isAdmin: boolean('is_admin').notNull().default(false),
  /** the home instance of a remote owner of mirrored designs (handle `name@instance`): never logs in nor acts here */
  remoteInstance: text('remote_instance'),
  /** the interface's language the person chose (a locale of locales/), null: their browser's */
  locale: text('locale'),
  // the public profile (`/{handle}`): a display name, a short bio, a place rounded to a town, links
  name: text('name'),
  bio: text('bio'),
  place: text('place'),
  links: jsonb('links').$type<{ label?: string; url: string }[]>().notNull().default([]),
  /** the avatar as the photo pipeline re-encoded it (no metadata): variant name → blob sha256; null without one */
  avatar: jsonb('avatar').$type<Record<string, string>>(),
  /** how often the email digest reaches them: daily | weekly | never; null: the instance's cadence (ANDECHA_DIGEST) */
  digest: text('digest'),
  /** when a digest run last claimed this person's period: one run per period sends (back to before when it fails) */
  digestClaimedAt: timestamp('digest_claimed_at', { withTimezone: true }),
  /** a run is sending them a digest until then: no other run may, even `--now` (a lease: a run that dies ends) */
  digestSendingUntil: timestamp('digest_sending_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scope: text('scope').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);
