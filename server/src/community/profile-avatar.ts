// A person's avatar: one uploaded image re-encoded by the build photos' code (oriented, no EXIF, GPS or other
// metadata, WebP and JPEG at two sizes) and kept as blobs; the upload itself is never stored.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import { users } from '../accounts/tables.js';
import { blobs } from '../registry/tables.js';
import { AppError, msg } from '../errors.js';
import { checkPhotoHead, renderPhoto, sniffPhoto, PhotoUnreadableError } from '../builds/photos.js';
import { variantKey } from '../builds/photo-records.js';

/** An avatar is shown small: a profile header and a thumbnail beside a name. */
export const avatarSizes = { large: 512, thumb: 128 } as const;
export type AvatarSize = keyof typeof avatarSizes;

/** The avatar's URLs; `v` changes with the image, so a browser never shows the previous one from its cache. */
export function avatarUrls(handle: string, avatar: Record<string, string> | null) {
  if (!avatar?.[variantKey('large', 'webp')]) return null;
  const v = avatar[variantKey('large', 'webp')].slice(0, 12);
  const base = `/api/users/${encodeURIComponent(handle)}/avatar`;
  return { large: `${base}/large?v=${v}`, thumb: `${base}/thumb?v=${v}` };
}

/**
 * Re-encodes an uploaded image and makes it the account's avatar: 415 when it is not a photo (SVG and HTML
 * included), 413 above the photos' pixel limit, 422 when it cannot be decoded. Returns the variants stored.
 */
export async function setAvatar(db: Executor, store: BlobStore, userId: string, bytes: Buffer) {
  const label = 'avatar';
  const format = sniffPhoto(bytes.subarray(0, 64 * 1024), label);
  await checkPhotoHead(bytes, true, label);
  let rendered;
  try {
    rendered = await renderPhoto(bytes, format, avatarSizes);
  } catch (err) {
    if (err instanceof PhotoUnreadableError)
      throw new AppError('unprocessable', msg('profiles.avatarUnreadable', { why: err.message }));
    throw err;
  }
  const variants: Record<string, string> = {};
  for (const v of rendered.variants) {
    const blob = await store.putBuffer(v.bytes);
    await db.insert(blobs).values({ sha256: blob.sha256, size: blob.size }).onConflictDoNothing();
    variants[variantKey(v.size, v.format)] = blob.sha256;
  }
  await db.update(users).set({ avatar: variants }).where(eq(users.id, userId));
  return variants;
}

/** The account has no avatar any more; its blobs are left to gc (another account may have the same image). */
export async function removeAvatar(db: Executor, userId: string): Promise<void> {
  await db.update(users).set({ avatar: null }).where(eq(users.id, userId));
}
