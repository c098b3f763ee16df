// Outgoing federation fetches that cannot be turned against this instance's network (SSRF): the name is resolved
// once, every address is checked, and the connection goes to the checked address (no second lookup to rebind);
// redirects are checked the same way; time and size are limited; the body streams.
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, Transform, type Readable } from 'node:stream';
import { refusedAddress } from './address-rules.js';

export interface SafeFetchOptions {
  /** private, loopback and link-local addresses allowed (config.federationAllowPrivate) */
  allowPrivate: boolean;
  /** the whole exchange, body included */
  timeoutMs: number;
  /** a body longer than this is cut off with SafeFetchError */
  maxBytes: number;
  accept?: string;
  maxRedirects?: number;
}

export interface SafeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** the body, ending in an error past maxBytes or the time limit */
  body: Readable;
}

/** A fetch refused or failed: `retryable` for network faults and 5xx, not for refusals and 4xx. */
export class SafeFetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SafeFetchError';
  }
}

/** The address to connect to for `host`, refused when private (unless allowed). */
export async function checkedAddress(
  host: string,
  allowPrivate: boolean,
): Promise<{ address: string; family: number }> {
  const bare = host.replace(/^\[|\]$/g, '');
  const found = isIP(bare)
    ? [{ address: bare, family: isIP(bare) }]
    : await lookup(bare, { all: true }).catch((err: NodeJS.ErrnoException) => {
        throw new SafeFetchError(`${host} could not be resolved (${err.code ?? err.message})`, true);
      });
  if (!found.length) throw new SafeFetchError(`${host} has no address`, true);
  if (!allowPrivate) {
    // every address the name has: one public and one private answer is a rebinding attempt, not a choice
    for (const a of found) {
      const why = refusedAddress(a.address);
      if (why) throw new SafeFetchError(`Refused to fetch from ${host}: ${why}`, false);
    }
  }
  return found[0];
}

function requestOnce(url: URL, address: { address: string; family: number }, opts: SafeFetchOptions, deadline: number) {
  const pinned: LookupFunction = (_host, options, callback) => {
    // Node asks with `all: true` since 20 (happy eyeballs): answer in the form it asked for
    if ((options as { all?: boolean }).all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(url, { method: 'GET', lookup: pinned, headers: { accept: opts.accept ?? '*/*' } }, resolve);
    const timer = setTimeout(
      () => req.destroy(new SafeFetchError(`${url.host} did not answer within ${opts.timeoutMs} ms`, true)),
      Math.max(0, deadline - Date.now()),
    );
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) =>
      reject(err instanceof SafeFetchError ? err : new SafeFetchError(`${url.host}: ${err.message}`, true)),
    );
    req.end();
  });
}

/** GET `target` under the SSRF rules and limits; a non-2xx answer is a SafeFetchError (5xx retryable). */
export async function safeFetch(target: string, opts: SafeFetchOptions): Promise<SafeResponse> {
  const deadline = Date.now() + opts.timeoutMs;
  let url = new URL(target);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new SafeFetchError(`Refused to fetch ${url.protocol} URLs: only http and https`, false);
    const address = await checkedAddress(url.hostname, opts.allowPrivate);
    const res = await requestOnce(url, address, opts, deadline);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= (opts.maxRedirects ?? 3)) throw new SafeFetchError(`${target}: too many redirects`, false);
      url = new URL(res.headers.location, url);
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw new SafeFetchError(`${url.href} answered ${status}`, status >= 500 || status === 429);
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      res.destroy();
      throw new SafeFetchError(`${url.href} is ${declared} bytes, over the limit of ${opts.maxBytes}`, false);
    }
    return { status, headers: res.headers, body: limitBody(res, opts.maxBytes, deadline, url) };
  }
}

/** The body as a stream that ends in an error past the byte limit or the deadline. */
function limitBody(res: IncomingMessage, maxBytes: number, deadline: number, url: URL): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) return done(new SafeFetchError(`${url.href} is over the limit of ${maxBytes} bytes`, false));
      done(null, chunk);
    },
  });
  const timer = setTimeout(
    () => counter.destroy(new SafeFetchError(`${url.href} was not received before the time limit`, true)),
    Math.max(0, deadline - Date.now()),
  );
  // an error on either side ends both (pipeline destroys the rest); a lost connection is retryable
  pipeline(res, counter, (err) => {
    clearTimeout(timer);
    if (err && !(err instanceof SafeFetchError))
      counter.destroy(new SafeFetchError(`${url.href}: ${err.message}`, true));
  });
  return counter;
}

/** A JSON document fetched under the same rules. */
export async function safeFetchJson(target: string, opts: SafeFetchOptions): Promise<unknown> {
  const res = await safeFetch(target, { ...opts, accept: opts.accept ?? 'application/json' });
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
