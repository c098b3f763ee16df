// HTTP to an Andecha instance: JSON calls, downloads, and a streamed multipart upload that reports progress per part.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { CliError } from './output.js';
import { userLanguage } from './config.js';
import type { FieldError } from '../errors.js';

export class ApiClient {
  constructor(
    readonly url: string,
    readonly token?: string,
    /** the user's language (from LANG and the like; null for none): the server's problem documents come back in it */
    readonly language: string | null = userLanguage() ?? null,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      ...(this.language ? { 'accept-language': this.language } : {}),
      ...extra,
    };
  }

  private endpoint(path: string) {
    return new URL(path, this.url.replace(/\/?$/, '/')).toString();
  }

  async raw(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(this.endpoint(path), {
        method,
        headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (caught) {
      const err = caught as Error & { cause?: { code?: string } };
      throw new CliError(`Cannot reach ${this.url}: ${err.cause?.code ?? err.message}`);
    }
  }

  /** A JSON call; a problem+json answer becomes a CliError carrying its detail. */
  async json<T = ServerReply>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body);
    if (!res.ok) throw await problemError(res, `${method} ${path}`);
    return (await res.json()) as T;
  }

  async bytes(path: string): Promise<Buffer> {
    const res = await this.raw('GET', path);
    if (!res.ok) throw await problemError(res, `GET ${path}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** Sends a multipart body built from fields and files, calling `onBytes(partIndex, n)` as file bytes leave. */
  async multipart(
    path: string,
    parts: MultipartPart[],
    onBytes: (index: number, n: number) => void = () => {},
  ): Promise<ServerReply> {
    const boundary = `andecha-${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
    const heads = parts.map((p) =>
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename.replace(/["\r\n]/g, '_')}"\r\nContent-Type: application/octet-stream` : ''}\r\n\r\n`,
      ),
    );
    const tail = Buffer.from(`--${boundary}--\r\n`);
    const length = parts.reduce(
      (s, p, i) =>
        s +
        heads[i].length +
        (p.value !== undefined ? Buffer.byteLength(p.value) : p.data ? p.data.length : p.size!) +
        2,
      tail.length,
    );
    async function* body() {
      for (const [i, p] of parts.entries()) {
        yield heads[i];
        if (p.value !== undefined) yield Buffer.from(p.value);
        else if (p.data) {
          onBytes(i, p.data.length);
          yield Buffer.from(p.data);
        } else {
          for await (const chunk of createReadStream(p.file!)) {
            onBytes(i, (chunk as Buffer).length);
            yield chunk as Buffer;
          }
        }
        yield Buffer.from('\r\n');
      }
      yield tail;
    }
    const url = new URL(this.endpoint(path));
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          headers: this.headers({
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': String(length),
          }),
        },
        resolve,
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(new CliError(`Upload to ${this.url} failed: ${err.code ?? err.message}`)),
      );
      Readable.from(body()).pipe(req);
    });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if ((res.statusCode ?? 500) >= 400) throw problemFromText(res.statusCode ?? 500, text, `POST ${path}`);
    return JSON.parse(text);
  }
}

export interface MultipartPart {
  name: string;
  /** a text field */
  value?: string;
  /** a file part from memory */
  data?: Uint8Array;
  /** a file part from disk: its path, size and the filename sent */
  file?: string;
  size?: number;
  filename?: string;
}

/**
 * A reply's JSON as the server sent it: the commands read the few fields they print, and the server's reply schemas,
 * not this client, define them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ServerReply = any;

function problemFromText(status: number, text: string, what: string): CliError {
  let problem: { detail?: string; title?: string; errors?: unknown; [field: string]: unknown } | undefined;
  try {
    problem = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  const detail = problem?.detail ?? problem?.title ?? (text.slice(0, 200) || 'no detail');
  const errors = Array.isArray(problem?.errors)
    ? (problem!.errors as FieldError[])
        .map((e) => `  - ${[e.field, e.line ? `line ${e.line}` : undefined, e.message].filter(Boolean).join(' ')}`)
        .join('\n')
    : '';
  return new CliError(`${what} failed (${status}): ${detail}${errors ? '\n' + errors : ''}`, 1, problem);
}

async function problemError(res: Response, what: string): Promise<CliError> {
  return problemFromText(res.status, await res.text(), what);
}
