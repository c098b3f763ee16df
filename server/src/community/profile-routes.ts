// HTTP routes of profiles: a person's public profile and avatar, and the signed-in account's avatar upload.
import type { FastifyInstance } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { requireWriter } from '../accounts/auth.js';
import { AppError, msg, notFound } from '../errors.js';
import { noContentReply } from '../schemas.js';
import { multipartParts } from '../registry/intake.js';
import { sendBlob } from '../registry/download.js';
import { blobSize, variantKey } from '../builds/photo-records.js';
import { maxPhotoBytes, photoMediaTypes, type PhotoOutputFormat } from '../builds/photos.js';
import { describeProfile, findProfileUser, profileShown } from './profiles.js';
import { avatarUrls, removeAvatar, setAvatar, type AvatarSize } from './profile-avatar.js';

const handleParams = {
  type: 'object',
  required: ['handle'],
  properties: { handle: { type: 'string', minLength: 1, maxLength: 300 } },
} as const;
const avatarParams = {
  type: 'object',
  required: ['handle', 'size'],
  properties: { ...handleParams.properties, size: { type: 'string', enum: ['large', 'thumb'] } },
} as const;
const avatarQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: { type: 'string', enum: ['webp', 'jpeg'], default: 'webp' },
    v: {
      type: 'string',
      maxLength: 64,
      description: 'Names the image (its URLs carry it), so it may be cached for good',
    },
  },
} as const;
const imageReply = {
  description: 'The avatar',
  content: Object.fromEntries(
    ['image/webp', 'image/jpeg'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
  ),
};

export async function profileRoutes(app: FastifyInstance) {
  const { db: database, blobs } = app.deps;
  const db = database.db;

  app.get<{ Params: { handle: string } }>(
    '/api/users/:handle',
    {
      schema: {
        tags: ['profiles'],
        summary: "A person's profile: who they are, their designs, forks, workshops, approved builds and activity",
        params: handleParams,
        response: { 200: { $ref: 'user-profile#' } },
      },
    },
    async (req) => describeProfile(db, req.params.handle, req.caller),
  );

  app.get<{ Params: { handle: string; size: AvatarSize }; Querystring: { format?: PhotoOutputFormat; v?: string } }>(
    '/api/users/:handle/avatar/:size',
    {
      schema: {
        tags: ['profiles'],
        summary: "A person's avatar: large (512 px) or thumb (128 px), WebP or ?format=jpeg, with no metadata",
        params: avatarParams,
        querystring: avatarQuery,
        response: { 200: imageReply, 206: imageReply },
      },
    },
    async (req, reply) => {
      const u = await findProfileUser(db, req.params.handle);
      const { hidden, shown } = await profileShown(db, u, req.caller);
      const format = req.query.format ?? 'webp';
      const sha256 = shown ? u.avatar?.[variantKey(req.params.size, format)] : undefined;
      if (!sha256) throw notFound(msg('notFound.avatar', { handle: u.handle }));
      const current = avatarUrls(u.handle, u.avatar)?.large.split('?v=')[1];
      return sendBlob(req, reply, blobs, {
        isPublic: !hidden,
        sha256,
        size: await blobSize(db, sha256),
        mediaType: photoMediaTypes[format],
        filename: `${u.handle}-${req.params.size}.${format === 'jpeg' ? 'jpg' : 'webp'}`,
        // the URL the profile gives names this very image: it never changes under it
        immutable: !hidden && req.query.v !== undefined && req.query.v === current,
      });
    },
  );

  app.put(
    '/api/me/avatar',
    {
      // re-encoding costs CPU: a few a minute is plenty for a person choosing a picture
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['profiles'],
        summary:
          'Set your avatar: multipart with one avatar part (JPEG, PNG, WebP, AVIF or TIFF), re-encoded without metadata',
        consumes: ['multipart/form-data'],
        response: { 200: { $ref: 'user-profile-avatar#' } },
      },
    },
    async (req) => {
      const caller = requireWriter(req);
      let bytes: Buffer | undefined;
      for await (const part of multipartParts(req, msg('intake.avatar'), { fileSize: maxPhotoBytes })) {
        const file = part as MultipartFile;
        if (part.type !== 'file' || part.fieldname !== 'avatar' || bytes) {
          if (part.type === 'file') file.file.resume();
          throw new AppError('validation', msg('profiles.oneAvatar', { part: part.fieldname }), {
            errors: [{ field: part.fieldname, message: msg('fields.notAcceptedHere') }],
          });
        }
        try {
          bytes = await file.toBuffer();
        } catch (err) {
          if ((err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE')
            throw new AppError(
              'too-large',
              msg('builds.photoTooLarge', { label: 'avatar', mb: maxPhotoBytes / 1048576 }),
              {
                extra: { limit: maxPhotoBytes },
              },
            );
          throw err;
        }
      }
      if (!bytes)
        throw new AppError('validation', msg('profiles.avatarMissing'), {
          errors: [{ field: 'avatar', message: msg('fields.required') }],
        });
      const variants = await setAvatar(db, blobs, caller.id, bytes);
      return { avatar: avatarUrls(caller.handle, variants)! };
    },
  );

  app.delete(
    '/api/me/avatar',
    {
      schema: { tags: ['profiles'], summary: 'Remove your avatar', response: { 204: noContentReply } },
    },
    async (req, reply) => {
      await removeAvatar(db, requireWriter(req).id);
      return reply.code(204).send();
    },
  );
}
