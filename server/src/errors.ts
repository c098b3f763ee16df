// The one error catalogue: every failure a client sees is one of these, sent as application/problem+json.
import { isConnectionCode, isDatabaseConnectionLoss } from './db/connection-loss.js';

export interface FieldError {
  field?: string;
  line?: number;
  column?: string;
  value?: unknown;
  message: string;
}

const catalogue = {
  'bad-request': { status: 400, title: 'The request is invalid' },
  validation: { status: 400, title: 'The request did not pass validation' },
  'bad-path': { status: 400, title: 'A file path is not allowed' },
  'bad-version': { status: 400, title: 'The version is not valid semver' },
  'bad-manifest': { status: 400, title: 'The manifest is invalid' },
  unauthenticated: { status: 401, title: 'Sign in first' },
  forbidden: { status: 403, title: 'You are not allowed to do this' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'This conflicts with the current state' },
  'version-exists': { status: 409, title: 'This version is already published' },
  taken: { status: 409, title: 'Already taken' },
  'too-large': { status: 413, title: 'Too large' },
  'unsupported-file': { status: 415, title: 'Unsupported file type' },
  'range-not-satisfiable': { status: 416, title: 'Range not satisfiable' },
  unprocessable: { status: 422, title: 'The content is well-formed but cannot be used' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'A dependency is unavailable, try again shortly' },
  'insufficient-storage': { status: 507, title: 'Storage is unavailable or full' },
} as const;

export type ErrorCode = keyof typeof catalogue;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

/** An error a client can act on; `toProblem` turns it into the problem+json body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail?: string,
    opts: { errors?: FieldError[]; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? catalogue[code].title);
    this.name = 'AppError';
    this.code = code;
    this.status = catalogue[code].status;
    this.errors = opts.errors;
    this.extra = opts.extra;
    this.headers = opts.headers;
  }

  toProblem(): Problem {
    return {
      type: `https://andecha.org/problems/${this.code}`,
      title: catalogue[this.code].title,
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

const missing = (what: string) => new AppError('not-found', `${what} was not found`);
/** 404 for `what` ("Job 12"); the named ones are the things many routes look up, worded the same everywhere. */
export const notFound = Object.assign(missing, {
  user: (handle: string) => missing(`User ${handle}`),
  design: (owner: string, slug: string) => missing(`Design ${owner}/${slug}`),
  buildReport: (id: string) => missing(`Build report ${id}`),
  workshop: (slug: string) => missing(`Workshop ${slug}`),
  comment: (id: string) => missing(`Comment ${id}`),
  /** no route serves this path (the not-found handler; GET /metrics without its token, to look the same) */
  route: (method: string, path: string) => new AppError('not-found', `No route ${method} ${path}`),
});
export const forbidden = (why: string) => new AppError('forbidden', why);
/** 403 for a write on a mirror: the design lives on another instance, and changes are made there. */
export const mirroredReadOnly = (ref: string, home: string) =>
  new AppError('forbidden', `${ref} is a read-only mirror of a design that lives at ${home}: change it there`, {
    extra: { home },
  });

/** 400s that several routes give for the same bad query value; `field` is the JSON pointer the client sent it at. */
export const invalid = {
  cursor: () =>
    new AppError('validation', 'The cursor is not one this API gave out', {
      errors: [{ field: '/cursor', message: 'is invalid' }],
    }),
  length: (name: string, text: string, field: string) =>
    new AppError('validation', `${name} "${text}" is not a length`, {
      errors: [{ field, message: 'is not a length like 6000mm' }],
    }),
  rates: (field: string) =>
    new AppError('validation', 'rates must look like USD:0.92,GBP:1.17', {
      errors: [{ field, message: 'is not a list of CUR:rate' }],
    }),
};

/** Following designs on other instances and blocking instances. */
export const federationProblem = {
  host: (input: string) =>
    new AppError('validation', `"${input}" is not an instance name (a host such as a.example or 127.0.0.1:3001)`, {
      errors: [{ field: '/host', message: 'is not a host name' }],
    }),
  localTarget: (target: string) =>
    new AppError('bad-request', `${target} is on this instance: it needs no following, it is here already`, {
      errors: [{ field: '/target', message: 'names a design on this instance' }],
    }),
  unreachable: (target: string, why: string) =>
    new AppError('unprocessable', `${target} could not be looked up: ${why}`, {
      errors: [{ field: '/target', message: why }],
    }),
  notADesign: (target: string, what: string) =>
    new AppError('unprocessable', `${target} is ${what}, not an Andecha design: only designs can be followed`, {
      errors: [{ field: '/target', message: 'is not a design' }],
    }),
  blocked: (host: string) => new AppError('forbidden', `The instance ${host} is blocked on this instance`),
};

/** 413s for a part over its own limit (bytes), the limit in the problem for clients to show. */
export const overLimit = {
  bom: (limit: number) =>
    new AppError('too-large', `The BOM file is larger than the limit of ${limit} bytes`, { extra: { limit } }),
};

// Blob store failures, by S3 error code (the SDK's `name`) or errno: full → 507, anything else → 503 so clients retry.
const storageFullCodes = new Set<unknown>([
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EIO',
  'XMinioStorageFull',
  'QuotaExceeded',
  'StorageFull',
]);
const storageDownCodes = new Set<unknown>([
  'ServiceUnavailable',
  'SlowDown',
  'InternalError',
  'RequestTimeout',
  'NoSuchBucket',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'XMinioServerNotInitialized',
  'TimeoutError',
  'NetworkingError',
]);

/** The fields drivers, the blob store's SDK and Fastify put on their errors; each may be absent. */
interface ErrorFields {
  code?: string;
  name?: string;
  Code?: string;
  message: string;
  statusCode?: number;
  cause?: { code?: unknown };
  $metadata?: { httpStatusCode?: number };
}

function classifyStorageError(err: ErrorFields): AppError | undefined {
  const code = err.$metadata ? (err.name ?? err.Code ?? err.code) : err.code;
  if (storageFullCodes.has(code)) {
    const why = code === 'EROFS' || code === 'EIO' ? 'cannot be written' : 'is full';
    return new AppError('insufficient-storage', `The blob store ${why}; the upload was not kept`, {
      headers: { 'retry-after': '60' },
    });
  }
  // an AWS SDK error (it carries $metadata) is the blob store's, even for a connection refused
  if (
    err.$metadata &&
    (storageDownCodes.has(code) || isConnectionCode(err.code) || (err.$metadata.httpStatusCode ?? 500) >= 500)
  ) {
    return new AppError('unavailable', 'The blob store is unreachable', { headers: { 'retry-after': '5' } });
  }
  return undefined;
}

/** Maps an error from any layer (Fastify, multipart, PostgreSQL, blob store) to an AppError, or undefined for a 5xx bug. */
export function classifyError(caught: unknown): AppError | undefined {
  if (caught instanceof AppError) return caught;
  if (!caught || typeof caught !== 'object') return undefined;
  const err = caught as ErrorFields;
  const storage = classifyStorageError(err);
  if (storage) return storage;
  const pgCode = typeof err.code === 'string' ? err.code : err.cause?.code;
  if (pgCode === '23505') return new AppError('conflict', 'A record with the same unique key already exists');
  if (pgCode === '23503') return new AppError('conflict', 'A referenced record does not exist or is still referenced');
  if (pgCode === '22P02' || pgCode === '22003') return new AppError('bad-request', 'A value has the wrong format');
  // a NUL character (or another one PostgreSQL text cannot hold) in a field or the manifest
  if (pgCode === '22021' || pgCode === '22P05')
    return new AppError(
      'bad-request',
      'A text holds a character that cannot be stored (such as a NUL, \\u0000); remove it',
    );
  if (isDatabaseConnectionLoss(err))
    return new AppError('unavailable', 'The database is unreachable', { headers: { 'retry-after': '5' } });
  if (
    err.code === 'FST_REQ_FILE_TOO_LARGE' ||
    err.code === 'FST_FILES_LIMIT' ||
    err.code === 'FST_PARTS_LIMIT' ||
    err.code === 'FST_FIELDS_LIMIT'
  ) {
    return new AppError('too-large', err.message);
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('too-large', 'The request body is too large');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError('unsupported-file', err.message);
  }
  if (err.statusCode === 429)
    return new AppError('too-many-requests', 'Too many attempts; wait a minute and try again', {
      headers: { 'retry-after': '60' },
    });
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError(
      err.statusCode === 413 ? 'too-large' : err.statusCode === 404 ? 'not-found' : 'bad-request',
      err.message,
    );
  }
  return undefined;
}
