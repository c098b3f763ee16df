// Fedify inside Fastify (no second HTTP server): the federation paths become a web Request for
// federation.fetch(), and a design's or person's web page asked for as ActivityPub redirects to its actor.
// Inbox POSTs are size-limited, refused from blocked instances, and rate-limited per remote instance whose key
// verifiably signed them (requests no key verifies: per address, apart) before Fedify handles them (unsigned or
// mis-signed: 401, nothing changes).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { AppError, federationProblem, msg } from '../errors.js';
import type { AndechaFederation } from './federation.js';
import { isBlocked } from './blocks.js';
import { designIdentifier, parseIdentifier } from './names.js';

/** An activity is a few kilobytes; a body past this is not one. */
export const inboxBodyLimit = 256 * 1024;
/** activities one remote instance may post per minute (a busy relay stays far below it) */
export const inboxPostsPerMinute = 600;

const federationPaths = ['/ap/*', '/.well-known/webfinger', '/.well-known/nodeinfo', '/nodeinfo/2.1'];

/** Does the Accept header ask for ActivityPub JSON (activity+json, or ld+json with the ActivityStreams profile)? */
export function wantsActivityJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(',')
    .some(
      (part) =>
        /^\s*application\/activity\+json/i.test(part) ||
        (/^\s*application\/ld\+json/i.test(part) && /activitystreams/i.test(part)),
    );
}

/** The host a request claims signed it (the HTTP Signature's keyId), if it is signed: not verified yet. */
function signerHost(req: FastifyRequest): string | undefined {
  const header = [req.headers.signature, req.headers['signature-input']].flat().find(Boolean);
  const keyId = header ? /keyid="([^"]+)"/i.exec(header)?.[1] : undefined;
  try {
    return keyId ? new URL(keyId).host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

class PerHostWindow {
  private counts = new Map<string, { start: number; n: number }>();
  constructor(private readonly limit: number) {}
  /** true when the host is over its allowance for this minute */
  over(host: string): boolean {
    const now = Date.now();
    const c = this.counts.get(host);
    if (!c || now - c.start > 60_000) {
      if (this.counts.size > 10_000) this.counts.clear();
      this.counts.set(host, { start: now, n: 1 });
      return false;
    }
    return ++c.n > this.limit;
  }
}

/** The Fastify request as the web Request Fedify reads (the body as received: Fedify checks its Digest). */
function webRequest(req: FastifyRequest, publicUrl: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const value of [v].flat()) headers.append(k, value);
  }
  const body = req.body as Buffer | undefined;
  return new Request(new URL(req.url, publicUrl), {
    method: req.method,
    headers,
    ...(body && req.method === 'POST' ? { body: new Uint8Array(body) } : {}),
  });
}

export function federationMount(fed: AndechaFederation, config: Config) {
  return async function federationRoutes(app: FastifyInstance) {
    const db = app.deps.db.db;
    const window = new PerHostWindow(inboxPostsPerMinute);
    const unverified = new PerHostWindow(inboxPostsPerMinute);
    // this scope only: activities arrive as bytes, which Fedify hashes (Digest) before it parses them
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: inboxBodyLimit }, (_req, body, done) =>
      done(null, body),
    );

    async function toFedify(req: FastifyRequest, reply: FastifyReply) {
      const request = webRequest(req, config.publicUrl);
      if (req.method === 'GET' || req.method === 'HEAD')
        for (const serve of fed.objects) {
          const json = await serve(new URL(request.url));
          if (json)
            return reply
              .header('content-type', 'application/activity+json')
              .header('vary', 'Accept')
              .send(JSON.stringify(json));
        }
      if (req.method === 'POST') {
        const claimed = signerHost(req);
        if (claimed && (await isBlocked(db, claimed))) throw federationProblem.blocked(claimed);
        // the allowance of the instance whose key signed; a request no key verifies spends its address's own
        const signer = await fed.verifiedSigner(request);
        if (signer ? window.over(signer) : unverified.over(req.ip))
          throw new AppError(
            'too-many-requests',
            signer
              ? msg('federation.inboxRate', { limit: inboxPostsPerMinute, from: signer })
              : msg('federation.inboxRateUnverified', { limit: inboxPostsPerMinute, from: req.ip }),
            { headers: { 'retry-after': '60' } },
          );
      }
      const response = await fed.federation.fetch(request, {
        contextData: undefined,
        onNotFound: () =>
          new Response(
            JSON.stringify(new AppError('not-found', msg('notFound.activityPub', { url: req.url })).toProblem()),
            {
              status: 404,
              headers: { 'content-type': 'application/problem+json' },
            },
          ),
        onNotAcceptable: () =>
          new Response('This address answers ActivityPub JSON (Accept: application/activity+json)', {
            status: 406,
            headers: { 'content-type': 'text/plain; charset=utf-8', vary: 'Accept' },
          }),
      });
      reply.code(response.status);
      response.headers.forEach((value, key) => {
        if (key !== 'content-length' && key !== 'transfer-encoding') reply.header(key, value);
      });
      return reply.send(Buffer.from(await response.arrayBuffer()));
    }

    for (const url of federationPaths)
      app.route({ method: ['GET', 'HEAD', 'POST'], url, schema: { hide: true }, handler: toFedify });
  };
}

/**
 * Content negotiation on the web app's pages: `/ana`, `/ana/brick-press` and `/ana/brick-press/1.2.0` asked for
 * as ActivityPub answer a redirect to the person's, the design's or the version's ActivityPub id, so a page
 * address pasted into another instance or a fediverse search finds the actor.
 */
export const activityContentNegotiation = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (req, reply) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !wantsActivityJson(req.headers.accept)) return;
    const path = req.url.split('?')[0];
    if (/^\/(api|ap|assets|\.well-known|nodeinfo)(\/|$)/.test(path)) return;
    let segments: string[];
    try {
      segments = path.split('/').slice(1).filter(Boolean).map(decodeURIComponent);
    } catch {
      return;
    }
    let target: string | undefined;
    if (segments.length === 1 && parseIdentifier(segments[0])?.kind === 'person') target = `/ap/actors/${segments[0]}`;
    else if (segments.length >= 2 && segments.length <= 3) {
      const identifier = designIdentifier(segments[0], segments[1]);
      if (parseIdentifier(identifier)?.kind !== 'design') return;
      target =
        segments.length === 2
          ? `/ap/actors/${identifier}`
          : `/ap/designs/${segments[0]}/${segments[1]}/versions/${encodeURIComponent(segments[2])}`;
    }
    if (!target) return;
    reply.header('vary', 'Accept');
    return reply.redirect(new URL(target, app.deps.config.publicUrl).href, 302);
  });
});
