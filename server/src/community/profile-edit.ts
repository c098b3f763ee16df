// Editing one's public profile (the profile fields of PATCH /api/me) and the profile part of GET /api/me.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { users } from '../accounts/tables.js';
import { AppError, msg } from '../errors.js';
import type { MePatch } from '../schema-types.js';
import { avatarUrls } from './profile-avatar.js';

/**
 * "43.54, -5.66", "43°32'N 5°40'W": a place that is a position. A profile says a town, never where someone lives to
 * the metre, so coordinates are refused rather than rounded (a rounded pair still reads as a position).
 */
const angle = String.raw`[-+]?\d{1,3}(?:[.,]\d+)?\s*°?(?:\s*\d{1,2}(?:[.,]\d+)?\s*['′])?(?:\s*\d{1,2}(?:[.,]\d+)?\s*["″])?\s*[NSEWOnsewo]?`;
const coordinates = new RegExp(String.raw`^\s*${angle}\s*[,;/\s]\s*${angle}\s*$`);

export function looksLikeCoordinates(place: string): boolean {
  return coordinates.test(place) && /\d.*\D.*\d/.test(place);
}

/** Blank text clears a field: an empty name is no name. */
const text = (v: string | null | undefined) =>
  v === undefined ? undefined : v === null || !v.trim() ? null : v.trim();

/** The profile fields of a PATCH /api/me body; the others (locale) are the account's. 400 for coordinates. */
export async function updateProfile(db: Executor, userId: string, patch: MePatch): Promise<void> {
  const changes: Partial<typeof users.$inferInsert> = {};
  if (patch.name !== undefined) changes.name = text(patch.name);
  if (patch.bio !== undefined) changes.bio = text(patch.bio);
  if (patch.place !== undefined) {
    const place = text(patch.place);
    if (place && looksLikeCoordinates(place))
      throw new AppError('validation', msg('profiles.placeCoordinates'), {
        errors: [{ field: '/place', value: place, message: msg('fields.notCoordinates') }],
      });
    changes.place = place;
  }
  if (patch.links !== undefined)
    changes.links = patch.links.map((l) => ({ ...(l.label?.trim() ? { label: l.label.trim() } : {}), url: l.url }));
  if (Object.keys(changes).length) await db.update(users).set(changes).where(eq(users.id, userId));
}

/** `name, bio, place, links, avatar` of GET /api/me (a meSections entry). */
export async function profileOfMe(db: Executor, userId: string): Promise<Record<string, unknown>> {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  return { name: u.name, bio: u.bio, place: u.place, links: u.links, avatar: avatarUrls(u.handle, u.avatar) };
}
