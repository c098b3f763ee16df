// Reading a build report upload: the `report` JSON field checked against schemas/build-report.schema.json, and the
// `photos` parts sniffed, size-checked from their headers and streamed to the blob store. Writes no rows.
import type { FastifyRequest } from 'fastify';
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { Readable } from 'node:stream';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { AppError } from '../errors.js';
import { loadSchemas } from '../schemas.js';
import { BlobTooLargeError, type BlobStore } from '../storage/blob-store.js';
import type { BuildReport } from '../schema-types.js';
import { checkPhotoHead, maxPhotoBytes, maxPhotosPerReport, photoHeadBytes, sniffPhoto } from './photos.js';
import type { UploadedPhoto } from './photo-records.js';
import { quotaExceeded, storageLeft } from '../registry/publish.js';

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
        message: e.keyword === 'additionalProperties' ? 'is not an allowed field' : (e.message ?? 'is invalid'),
      }));
    throw new AppError(
      'validation',
      `The report is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      { errors },
    );
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
 * A photo that is not an image is refused (415) and one above the pixel limit (413) before it is stored.
 */
export async function receiveReportParts(
  req: FastifyRequest,
  store: BlobStore,
  onReport: (r: BuildReport) => Promise<void>,
  opts: { requireReport?: boolean; maxPhotos?: number } = {},
): Promise<ReportUpload> {
  if (!req.isMultipart())
    throw new AppError(
      'unsupported-file',
      'Send a build report as multipart/form-data: a report field (JSON) and photos parts',
    );
  const maxPhotos = opts.maxPhotos ?? maxPhotosPerReport;
  let report: BuildReport | undefined;
  const photos: UploadedPhoto[] = [];
  // photos count against the author's storage quota like published files (a photo sent twice counts once)
  const { db } = req.server.deps;
  const config = req.server.deps.config;
  let quotaLeft = req.caller ? await storageLeft(db.db, req.caller.id, config) : Infinity;
  const charged = new Set<string>();
  for await (const part of req.parts()) {
    if (part.type === 'field') {
      const field = part as MultipartValue<string>;
      if (field.fieldname !== 'report')
        throw new AppError('validation', `Unknown field "${field.fieldname}"; send report and photos`, {
          errors: [{ field: field.fieldname, message: 'is not a build report field' }],
        });
      if (report)
        throw new AppError('validation', 'The report field was sent twice', {
          errors: [{ field: 'report', message: 'sent twice' }],
        });
      let json: unknown;
      try {
        json = JSON.parse(String(field.value));
      } catch (err) {
        throw new AppError('validation', `The report field is not valid JSON: ${(err as SyntaxError).message}`, {
          errors: [{ field: 'report', message: 'is not valid JSON' }],
        });
      }
      report = validateReport(json);
      await onReport(report);
      continue;
    }
    const file = part as MultipartFile;
    const label = `photo ${photos.length + 1}${file.filename ? ` ("${file.filename}")` : ''}`;
    try {
      if (file.fieldname !== 'photos')
        throw new AppError('validation', `Unknown file part "${file.fieldname}"; photos go in parts named photos`, {
          errors: [{ field: file.fieldname, message: 'is not a build report part' }],
        });
      if (photos.length >= maxPhotos)
        throw new AppError('too-large', `A build report holds at most ${maxPhotosPerReport} photos`, {
          extra: { limit: maxPhotosPerReport },
        });
    } catch (err) {
      file.file.resume();
      throw err;
    }
    const { head, complete } = await peekHead(file.file, photoHeadBytes);
    try {
      const format = sniffPhoto(head, label);
      await checkPhotoHead(head, complete, label);
      const blob = complete
        ? await store.putBuffer(head)
        : await store.put(file.file, { maxBytes: Math.min(maxPhotoBytes, quotaLeft) });
      if (!charged.has(blob.sha256)) {
        charged.add(blob.sha256);
        quotaLeft -= blob.size;
        // the blob stays unreferenced in the store; gc removes it after its grace period
        if (quotaLeft < 0) throw quotaExceeded(config.quotaBytes);
      }
      photos.push({ ...blob, format });
    } catch (err) {
      file.file.resume();
      if (err instanceof BlobTooLargeError && quotaLeft < maxPhotoBytes) throw quotaExceeded(config.quotaBytes);
      if (err instanceof BlobTooLargeError || (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError('too-large', `${label} is larger than the limit of ${maxPhotoBytes / 1048576} MB`, {
          extra: { limit: maxPhotoBytes },
        });
      }
      throw err;
    }
  }
  if (!report && opts.requireReport !== false)
    throw new AppError('validation', 'The report field is missing', {
      errors: [{ field: 'report', message: 'is required' }],
    });
  return { report: report!, photos };
}
