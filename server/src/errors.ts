// The one error catalogue: every failure a client sees is one of these, sent as application/problem+json.
import { isConnectionCode, isDatabaseConnectionLoss } from './db/connection-loss.js';
import { translator } from './locales/translate.js';
import { defaultLocale } from './locales/catalogues.js';

export interface FieldError {
  field?: string;
  line?: number;
  column?: string;
  value?: unknown;
  /** what is wrong as a stable code and its values, where the message has one (a BOM's unreadable lines) */
  code?: string;
  values?: Record<string, string | number>;
  message: string;
}

// title: the key of the code's title in the problems section of locales/<tag>.json (English there is the text sent
// without Accept-Language)
const catalogue = {
  'bad-request': { status: 400, title: 'titles.bad-request' },
  validation: { status: 400, title: 'titles.validation' },
  'bad-path': { status: 400, title: 'titles.bad-path' },
  'bad-version': { status: 400, title: 'titles.bad-version' },
  'bad-manifest': { status: 400, title: 'titles.bad-manifest' },
  unauthenticated: { status: 401, title: 'titles.unauthenticated' },
  forbidden: { status: 403, title: 'titles.forbidden' },
  'not-found': { status: 404, title: 'titles.not-found' },
  conflict: { status: 409, title: 'titles.conflict' },
  'version-exists': { status: 409, title: 'titles.version-exists' },
  taken: { status: 409, title: 'titles.taken' },
  'too-large': { status: 413, title: 'titles.too-large' },
  'unsupported-file': { status: 415, title: 'titles.unsupported-file' },
  'range-not-satisfiable': { status: 416, title: 'titles.range-not-satisfiable' },
  unprocessable: { status: 422, title: 'titles.unprocessable' },
  'too-many-requests': { status: 429, title: 'titles.too-many-requests' },
  internal: { status: 500, title: 'titles.internal' },
  unavailable: { status: 503, title: 'titles.unavailable' },
  'insufficient-storage': { status: 507, title: 'titles.insufficient-storage' },
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

/**
 * A detail in the caller's language: a key of the problems section of locales/<tag>.json (ICU) and its values.
 * The key is written out in full where the message is made (`msg('notFound.design', { design })`).
 */
export interface Message {
  readonly key: string;
  readonly values?: Readonly<Record<string, string | number>>;
  /** the English text when it is not the catalogue's (a library's own wording, such as Ajv's, kept as it was) */
  readonly english?: string;
}
export const msg = (key: string, values?: Record<string, string | number>, english?: string): Message => ({
  key,
  values,
  english,
});

/** A code as an ICU select argument, whose selectors cannot hold '-': `changes-requested` → `changesRequested`. */
export const selector = (code: string): string => code.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** A detail: English text (sent as is), a message to translate, or one composed per locale. */
export type Detail = string | Message | ((locale: string) => string);

/** A field error whose message may be translated (a catalogue message, or one worded per locale). */
export type FieldErrorInput = Omit<FieldError, 'message'> & { message: Detail };

/** A message in a locale, else in English (a plain string is sent as written: English). */
export function renderMessage(message: Detail, locale: string = defaultLocale): string {
  if (typeof message === 'string') return message;
  if (typeof message === 'function') return message(locale);
  if (message.english !== undefined && locale === defaultLocale) return message.english;
  return translator('problems', locale)(message.key, message.values);
}

/**
 * A message whose values are rendered in the same locale first: a translated reason, or a list of field errors
 * (`fieldList`), inside a sentence.
 */
export function composed(
  key: string,
  values: Record<string, string | number | Message | ((locale: string) => string)>,
): (locale: string) => string {
  return (locale) =>
    renderMessage(
      msg(
        key,
        Object.fromEntries(
          Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? v : renderMessage(v, locale)]),
        ),
      ),
      locale,
    );
}

/** Field errors as one text ("/a is invalid; /b is required"), in a locale. */
export const fieldList =
  (errors: FieldErrorInput[], separator = '; ') =>
  (locale: string): string =>
    errors.map((e) => `${e.field ?? ''} ${renderMessage(e.message, locale)}`).join(separator);

/** An error a client can act on; `toProblem` turns it into the problem+json body, in the caller's locale. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** the field errors in English (logs, callers); `toProblem` translates them */
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  /** the detail as given: English text, a message to translate, or none (the title then) */
  readonly detail?: Detail;
  private readonly fieldErrors?: FieldErrorInput[];

  constructor(
    code: ErrorCode,
    detail?: Detail,
    opts: { errors?: FieldErrorInput[]; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    // the message stays English: it is what the logs show
    super(renderMessage(detail ?? msg(catalogue[code].title)));
    this.name = 'AppError';
    this.code = code;
    this.status = catalogue[code].status;
    this.detail = detail;
    this.fieldErrors = opts.errors;
    this.errors = opts.errors && localizeFieldErrors(opts.errors, defaultLocale);
    this.extra = opts.extra;
    this.headers = opts.headers;
  }

  /** The problem document, `title` and `detail` in `locale` (a supported one; English by default), `type` fixed. */
  toProblem(locale: string = defaultLocale): Problem {
    const title = msg(catalogue[this.code].title);
    return {
      type: `https://andecha.org/problems/${this.code}`,
      title: renderMessage(title, locale),
      status: this.status,
      detail: renderMessage(this.detail ?? title, locale),
      ...(this.fieldErrors ? { errors: localizeFieldErrors(this.fieldErrors, locale) } : {}),
      ...this.extra,
    };
  }
}

function localizeFieldErrors(errors: FieldErrorInput[], locale: string): FieldError[] {
  return errors.map(
    (e) => (typeof e.message === 'string' ? e : { ...e, message: renderMessage(e.message, locale) }) as FieldError,
  );
}

const missing = (what: Message) => new AppError('not-found', what);
/**
 * 404 for `what`: a message whose English reads "… was not found" (`msg('notFound.job', { id })`), never bare text,
 * so every 404 follows Accept-Language; the named ones are the things many routes look up, worded the same everywhere.
 */
export const notFound = Object.assign(missing, {
  user: (handle: string) => missing(msg('notFound.user', { handle })),
  design: (owner: string, slug: string) => missing(msg('notFound.design', { design: `${owner}/${slug}` })),
  buildReport: (id: string) => missing(msg('notFound.buildReport', { id })),
  workshop: (slug: string) => missing(msg('notFound.workshop', { slug })),
  comment: (id: string) => missing(msg('notFound.comment', { id })),
  /** no route serves this path (the not-found handler; GET /metrics without its token, to look the same) */
  route: (method: string, path: string) => new AppError('not-found', msg('notFound.route', { method, path })),
});
export const forbidden = (why: Message) => new AppError('forbidden', why);
/** 403 for a write on a mirror: the design lives on another instance, and changes are made there. */
export const mirroredReadOnly = (ref: string, home: string) =>
  new AppError('forbidden', msg('forbidden.mirror', { ref, home }), { extra: { home } });

/** 400s that several routes give for the same bad query value; `field` is the JSON pointer the client sent it at. */
export const invalid = {
  cursor: () =>
    new AppError('validation', msg('invalid.cursor'), {
      errors: [{ field: '/cursor', message: msg('fields.invalid') }],
    }),
  length: (name: string, text: string, field: string) =>
    new AppError('validation', msg('invalid.length', { name, text }), {
      errors: [{ field, message: msg('fields.notALength') }],
    }),
  rates: (field: string) =>
    new AppError('validation', msg('invalid.rates'), {
      errors: [{ field, message: msg('fields.notRates') }],
    }),
};

/** Following designs on other instances and blocking instances. */
export const federationProblem = {
  host: (input: string) =>
    new AppError('validation', msg('federation.host', { input }), {
      errors: [{ field: '/host', message: msg('fields.notAHost') }],
    }),
  localTarget: (target: string) =>
    new AppError('bad-request', msg('federation.localTarget', { target }), {
      errors: [{ field: '/target', message: msg('fields.localDesign') }],
    }),
  /** why: the lookup's failure, ours to translate or the library's English */
  unreachable: (target: string, why: string | Message) =>
    new AppError(
      'unprocessable',
      (locale: string) =>
        renderMessage(msg('federation.unreachable', { target, why: renderMessage(why, locale) }), locale),
      {
        errors: [{ field: '/target', message: why }],
      },
    ),
  notADesign: (target: string, what: string) =>
    new AppError('unprocessable', msg('federation.notADesign', { target, what }), {
      errors: [{ field: '/target', message: msg('fields.notADesign') }],
    }),
  blocked: (host: string) => new AppError('forbidden', msg('federation.blocked', { host })),
};

/** 413s for a part over its own limit (bytes), the limit in the problem for clients to show. */
export const overLimit = {
  bom: (limit: number) => new AppError('too-large', msg('tooLarge.bom', { limit }), { extra: { limit } }),
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
    return new AppError(
      'insufficient-storage',
      msg('storage.full', { why: code === 'EROFS' || code === 'EIO' ? 'readOnly' : 'full' }),
      {
        headers: { 'retry-after': '60' },
      },
    );
  }
  // an AWS SDK error (it carries $metadata) is the blob store's, even for a connection refused
  if (
    err.$metadata &&
    (storageDownCodes.has(code) || isConnectionCode(err.code) || (err.$metadata.httpStatusCode ?? 500) >= 500)
  ) {
    return new AppError('unavailable', msg('storage.down'), { headers: { 'retry-after': '5' } });
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
  if (pgCode === '23505') return new AppError('conflict', msg('database.unique'));
  if (pgCode === '23503') return new AppError('conflict', msg('database.reference'));
  if (pgCode === '22P02' || pgCode === '22003') return new AppError('bad-request', msg('database.format'));
  // a NUL character (or another one PostgreSQL text cannot hold) in a field or the manifest
  if (pgCode === '22021' || pgCode === '22P05') return new AppError('bad-request', msg('database.character'));
  if (isDatabaseConnectionLoss(err))
    return new AppError('unavailable', msg('database.down'), { headers: { 'retry-after': '5' } });
  if (
    err.code === 'FST_REQ_FILE_TOO_LARGE' ||
    err.code === 'FST_FILES_LIMIT' ||
    err.code === 'FST_PARTS_LIMIT' ||
    err.code === 'FST_FIELDS_LIMIT'
  ) {
    return new AppError('too-large', err.message);
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('too-large', msg('tooLarge.body'));
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError('unsupported-file', err.message);
  }
  if (err.statusCode === 429)
    return new AppError('too-many-requests', msg('tooManyRequests'), {
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

/**
 * A bearer token that is invalid, expired or revoked: 401 with RFC 6750's `WWW-Authenticate: Bearer
 * error="invalid_token"`, so a client tells a dead token (forget it, go on signed out) from a wrong password.
 */
export function invalidToken(): AppError {
  return new AppError('unauthenticated', msg('unauthenticated.invalidToken'), {
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  });
}
