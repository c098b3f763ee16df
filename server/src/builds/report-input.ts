// Reading a build report upload: the `report` JSON field checked against schemas/build-report.schema.json, and the
// `photos` parts sniffed, size-checked from their headers and stored through the upload intake. Writes no rows.
import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart';
import type { Readable } from 'node:stream';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { AppError, composed, fieldList, msg } from '../errors.js';
import { ajvOwnMessage } from '../locales/ajv-messages.js';
import { loadSchemas } from '../schemas.js';
import { BlobTooLargeError } from '../storage/blob-store.js';
import type { BuildReport } from '../schema-types.js';
import { checkPhotoHead, maxPhotoBytes, maxPhotosPerReport, photoHeadBytes, sniffPhoto } from './photos.js';
import type { UploadedPhoto } from './photo-records.js';
import { checkFilePath } from '../registry/paths.js';
import type { UploadIntake } from '../registry/intake.js';

let validator: ReturnType<Ajv['compile']> | undefined;

/** The report field is JSON text inside multipart, so Fastify's body validation cannot reach it: same schema, same strictness. */
export function validateReport(value: unknown): BuildReport {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    ajv.addKeyword({ keyword: 'example' });
    for (const s of loadSchemas()) ajv.addSchema(s);
    validator = ajv.getSchema('build-report')!;
  }
  if (!validator(value)) {
    const errors = (validator.errors ?? [])
      .filter((e) => e.keyword !== 'if')
      .map((e) => ({
        field: `/report${e.instancePath}${e.keyword === 'required' ? '/' + e.params.missingProperty : e.keyword === 'additionalProperties' ? '/' + e.params.additionalProperty : ''}`,
        message: e.keyword === 'additionalProperties' ? msg('fields.notAllowed') : ajvOwnMessage(e, 'is invalid'),
      }));
    throw new AppError('validation', composed('builds.reportInvalid', { why: fieldList(errors) }), { errors });
  }
  return value as BuildReport;
}

/**
 * The first bytes of a stream, put back so the whole stream can still be read; `complete` when the stream ended
 * within them (then `head` is the whole file).
 */
function peekHead(stream: Readable, n: number): Promise<{ head: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (complete: boolean) => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      const head = Buffer.concat(chunks);
      if (!complete && head.length) stream.unshift(head);
      resolve({ head, complete });
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while (length < n && (chunk = stream.read()) !== null) {
        chunks.push(chunk);
        length += chunk.length;
      }
      if (length >= n) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = (err: Error) => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      reject(err);
    };
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

export interface ReportUpload {
  report: BuildReport;
  photos: UploadedPhoto[];
}

/**
 * Reads the multipart body. `onReport` runs as soon as the report field is read, so a caller who may not report for
 * the workshop is refused before any photo byte is stored (when the field comes first, as the web and CLI send it).
 * A photo that is not an image is refused (415) and one above the pixel limit (413) before it is stored; photos are
 * stored and charged to the author's quota through the intake.
 */
export async function receiveReportParts(
  parts: AsyncIterable<Multipart>,
  intake: UploadIntake,
  onReport: (r: BuildReport) => Promise<void>,
  opts: { requireReport?: boolean; alreadyHeld?: number } = {},
): Promise<ReportUpload> {
  const alreadyHeld = opts.alreadyHeld ?? 0;
  let report: BuildReport | undefined;
  const photos: UploadedPhoto[] = [];
  for await (const part of parts) {
    if (part.type === 'field') {
      const field = part as MultipartValue<string>;
      if (field.fieldname !== 'report')
        throw new AppError('validation', msg('builds.unknownField', { field: field.fieldname }), {
          errors: [{ field: field.fieldname, message: msg('fields.notAReportField') }],
        });
      if (report)
        throw new AppError('validation', msg('builds.reportTwice'), {
          errors: [{ field: 'report', message: msg('fields.sentTwice') }],
        });
      let json: unknown;
      try {
        json = JSON.parse(String(field.value));
      } catch (err) {
        throw new AppError(
          'validation',
          msg('publish.fieldNotJson', { field: 'report', why: (err as SyntaxError).message }),
          {
            errors: [{ field: 'report', message: msg('fields.notJson') }],
          },
        );
      }
      report = validateReport(json);
      await onReport(report);
      continue;
    }
    const file = part as MultipartFile;
    let label = `photo ${photos.length + 1}`;
    try {
      if (file.filename) label += ` ("${checkFilePath(file.filename, 'photos')}")`;
      if (file.fieldname !== 'photos')
        throw new AppError('validation', msg('builds.unknownPart', { part: file.fieldname }), {
          errors: [{ field: file.fieldname, message: msg('fields.notAReportPart') }],
        });
      if (alreadyHeld + photos.length >= maxPhotosPerReport)
        throw new AppError(
          'too-large',
          alreadyHeld
            ? msg('builds.photosLeft', {
                limit: maxPhotosPerReport,
                held: alreadyHeld,
                left: Math.max(0, maxPhotosPerReport - alreadyHeld),
              })
            : msg('builds.photosLimit', { limit: maxPhotosPerReport }),
          { extra: { limit: maxPhotosPerReport } },
        );
    } catch (err) {
      file.file.resume();
      throw err;
    }
    const { head, complete } = await peekHead(file.file, photoHeadBytes);
    try {
      const format = sniffPhoto(head, label);
      await checkPhotoHead(head, complete, label);
      // not capped at the quota left: a photo the account already stores costs nothing (charge decides, after hashing)
      if (complete) intake.received(head.length);
      const blob = complete ? await intake.storeBuffer(head) : await intake.storeStream(file.file, maxPhotoBytes);
      await intake.charge(blob);
      photos.push({ ...blob, format });
    } catch (err) {
      file.file.resume();
      if (err instanceof BlobTooLargeError || (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError('too-large', msg('builds.photoTooLarge', { label, mb: maxPhotoBytes / 1048576 }), {
          extra: { limit: maxPhotoBytes },
        });
      }
      throw err;
    }
  }
  if (!report && opts.requireReport !== false)
    throw new AppError('validation', msg('builds.reportMissing'), {
      errors: [{ field: 'report', message: msg('fields.required') }],
    });
  return { report: report!, photos };
}
