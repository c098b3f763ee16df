// process-photo: one uploaded build photo → its metadata-free original and large/thumb variants (WebP and JPEG),
// stored as blobs; a photo that cannot be decoded within the limits fails at once with its reason.
import { PermanentJobError } from '../job-kinds.js';
import type { PipelineServices } from '../services.js';
import type { JobDefinition } from '../job-definition.js';
import { renderPhoto, PhotoUnreadableError, type PhotoFormat } from '../../builds/photos.js';
import { failPhoto, findPhoto, markPhotoRunning, savePhotoCopies } from '../../builds/photo-records.js';

export interface ProcessPhotoPayload {
  photoId: string;
}
declare module '../job-kinds.js' {
  interface JobPayloads {
    'process-photo': ProcessPhotoPayload;
  }
}

export const processPhoto = (s: PipelineServices): JobDefinition<'process-photo'> => ({
  kind: 'process-photo',
  async handle(job) {
    const photo = await findPhoto(s.db, job.payload.photoId);
    if (!photo) return { skipped: 'the photo no longer exists' };
    if (photo.state === 'done') return { skipped: 'the photo was processed already' };
    if (!photo.uploadSha256) throw new PermanentJobError('the uploaded photo is no longer stored; send it again');
    await markPhotoRunning(s.db, photo.id);
    const bytes = await s.blobs.getBuffer(photo.uploadSha256);
    try {
      const rendered = await renderPhoto(bytes, photo.format as PhotoFormat);
      await savePhotoCopies(s.db, s.blobs, photo, rendered);
      return { width: rendered.width, height: rendered.height };
    } catch (err) {
      // the bytes will not change: retrying a photo sharp cannot read only delays the answer
      if (err instanceof PhotoUnreadableError) throw new PermanentJobError(err.message);
      throw err;
    }
  },
  async onFailed(job, error) {
    await failPhoto(s.db, s.blobs, job.payload.photoId, error);
  },
});
