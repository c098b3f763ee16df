// Every HTTP call of the web app: bearer token, JSON bodies, problem+json → ApiError, multipart uploads with progress.
import type { Problem, ProblemFieldError } from './api-types';
import { bomWarningText } from './bom-warning-text';
import { currentLocale, t } from './i18n';
import { readToken, signOut } from './session';

/** What the web reads of a problem: the server's problem+json, or one made here for an answer that is not one. */
type ProblemReading = Omit<Problem, 'type'>;

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly fieldErrors: { field: string; message: string }[];

  constructor(problem: ProblemReading) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.fieldErrors = (problem.errors ?? []).map(describeFieldError);
  }
}

/**
 * One readable sentence per failing field: a JSON pointer (the server names a missing or extra property in it
 * already), or a BOM file's line and column.
 */
export function describeFieldError(e: ProblemFieldError | string): { field: string; message: string } {
  if (typeof e === 'string') return { field: '', message: e };
  let field = (e.field ?? '').replace(/^\//, '').replaceAll('/', '.');
  if (e.line !== undefined)
    field =
      e.column !== undefined
        ? t('api.fieldLineColumn', { line: e.line, column: e.column })
        : t('api.fieldLine', { line: e.line });
  // a BOM's unreadable line carries a code: worded here, as its warnings are
  const message = e.message === undefined ? t('api.notValid') : bomWarningText({ ...e, message: e.message });
  return {
    field,
    message:
      e.value !== undefined && e.value !== '' ? t('api.fieldValue', { message, value: String(e.value) }) : message,
  };
}

/** The title of an answer that carries none: by its status, else "Request failed (status)". */
function statusTitle(status: number, failed: 'request' | 'upload' = 'request'): string {
  const keys: Record<number, string> = {
    0: 'api.status.unreachable',
    401: 'api.status.signIn',
    403: 'api.status.forbidden',
    404: 'api.status.notFound',
    413: 'api.status.tooLarge',
    502: 'api.status.badGateway',
    503: 'api.status.busy',
  };
  if (keys[status]) return t(keys[status]);
  return failed === 'upload' ? t('api.uploadFailed', { status }) : t('api.requestFailed', { status });
}

export async function problemFrom(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem> & { message?: string; error?: string };
      return new ApiError({
        title: body.title ?? body.error ?? statusTitle(response.status),
        status: body.status ?? response.status,
        detail: body.detail ?? body.message,
        errors: body.errors,
      });
    } catch {
      /* fall through to a status-only message */
    }
  }
  return new ApiError({
    title: statusTitle(response.status),
    status: response.status,
  });
}

/** A 401 for the token this request carried (RFC 6750's invalid_token), not for a wrong password. */
function tokenIsDead(status: number, wwwAuthenticate: string | null, sent: Record<string, string>): boolean {
  return status === 401 && Boolean(sent.authorization) && /invalid_token/.test(wwwAuthenticate ?? '');
}

/**
 * The interface's language as Accept-Language: the server's problem documents (and packets) then speak the language
 * chosen here, not the browser's.
 */
export function languageHeaders(): Record<string, string> {
  return { 'accept-language': currentLocale() };
}

export function authHeaders(): Record<string, string> {
  const token = readToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

type RequestOptions = { method?: string; json?: unknown; form?: FormData; signal?: AbortSignal };

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...languageHeaders(), ...authHeaders() };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError({ title: statusTitle(0), status: 0, detail: t('api.checkConnection') });
  }
  const reading = !options.method || options.method === 'GET';
  if (reading && tokenIsDead(response.status, response.headers.get('www-authenticate'), headers)) {
    // the server ended this session (signed out in another tab, revoked, expired): forget it and read again signed
    // out, so pages keep working instead of failing on a token nobody can use. A write is not retried nor the
    // session forgotten under it: its form shows the problem and keeps what the person typed.
    signOut();
    return apiRequest<T>(path, options);
  }
  if (!response.ok) throw await problemFrom(response);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>(path, { signal }),
  post: <T>(path: string, json: unknown) => apiRequest<T>(path, { method: 'POST', json }),
  patch: <T>(path: string, json: unknown) => apiRequest<T>(path, { method: 'PATCH', json }),
  del: (path: string) => apiRequest<void>(path, { method: 'DELETE' }),
  postForm: <T>(path: string, form: FormData) => apiRequest<T>(path, { method: 'POST', form }),
};

/**
 * Sign out: the server revokes the session, then the browser forgets it — also when the server cannot be reached,
 * so the person is signed out here whatever happens.
 */
export async function signOutAndRevoke(): Promise<void> {
  try {
    await api.post('/api/auth/logout', {});
  } catch {
    // offline or already revoked: forgetting it here is all that is left to do
  } finally {
    signOut();
  }
}

/** A multipart POST through XMLHttpRequest, the one browser API that reports upload progress. */
export function uploadWithProgress<T>(
  path: string,
  form: FormData,
  onProgress: (loaded: number, total: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', currentLocale());
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onerror = () => reject(new ApiError({ title: statusTitle(0), status: 0, detail: t('api.uploadInterrupted') }));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        /* not JSON: reported by status below */
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const problem = (body ?? {}) as Partial<Problem>;
      reject(
        new ApiError({
          title: problem.title ?? statusTitle(xhr.status, 'upload'),
          status: problem.status ?? xhr.status,
          detail: problem.detail,
          errors: problem.errors,
        }),
      );
    };
    xhr.send(form);
  });
}

/** Builds `/api/designs/{owner}/{slug}…` with each path segment encoded, file paths keeping their slashes. */
export function designPath(owner: string, slug: string, rest = ''): string {
  return `/api/designs/${encodeURIComponent(owner)}/${encodeURIComponent(slug)}${rest}`;
}

export function versionPath(owner: string, slug: string, version: string, rest = ''): string {
  return designPath(owner, slug, `/versions/${encodeURIComponent(version)}${rest}`);
}

export function encodeFilePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
