// Anonymous reads of the busiest documents (a design, the design list and search, parts, versions) answered from
// memory. Correct before fast: any change of stored data — a write through any route of any process, a pipeline
// job's outcome, an admin command, samples loaded — drops every entry (the event bus carries it across processes);
// entries also expire after `responseCacheMs`. Routes opt in with `config: { publicCache: true }`; a request with
// an Authorization header is never cached (what a caller sees depends on who they are).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** anonymous GETs of this route may be answered from the response cache */
    publicCache?: boolean;
  }
  interface FastifyRequest {
    /** the cache generation this request started in, when its answer may be cached */
    cacheGeneration: number | undefined;
  }
}

interface Entry {
  body: string;
  type: string;
  expires: number;
  bytes: number;
}

const MAX_ENTRY_BYTES = 512 * 1024;
const MAX_TOTAL_BYTES = 32 * 1024 * 1024;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** bumped by every change: an answer computed across a change is not stored */
  generation = 0;

  constructor(private readonly maxAgeMs: number) {}

  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= Date.now()) {
      this.remove(key, e);
      return undefined;
    }
    return e;
  }

  set(key: string, body: string, type: string, generation: number): void {
    if (generation !== this.generation || body.length > MAX_ENTRY_BYTES) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    // oldest first out (a Map iterates in insertion order)
    for (const [k, e] of this.entries) {
      if (this.bytes + body.length <= MAX_TOTAL_BYTES) break;
      this.remove(k, e);
    }
    this.entries.set(key, { body, type, expires: Date.now() + this.maxAgeMs, bytes: body.length });
    this.bytes += body.length;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }
}

const cacheable = (req: FastifyRequest) =>
  req.method === 'GET' && req.routeOptions.config.publicCache === true && !req.headers.authorization;

/** Registered after the auth plugin, so its onRequest runs after the caller is known. */
export const responseCachePlugin = fp(async (app: FastifyInstance) => {
  const { events, config } = app.deps;
  app.decorateRequest('cacheGeneration', undefined);
  if (config.responseCacheMs <= 0) return;
  const cache = new ResponseCache(config.responseCacheMs);
  const unsubscribe = events.onChanged(() => cache.clear());
  app.addHook('onClose', async () => unsubscribe());

  app.addHook('onRequest', async (req, reply) => {
    if (!cacheable(req)) return;
    const hit = cache.get(req.url);
    if (hit) return reply.header('content-type', hit.type).header('x-cache', 'hit').send(hit.body);
    req.cacheGeneration = cache.generation;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!READS.has(req.method)) {
      // a change went through: drop what was derived from the rows before it, here and in the other processes
      if (reply.statusCode < 400) events.changed();
      return payload;
    }
    if (req.cacheGeneration === undefined || reply.getHeader('x-cache') === 'hit') return payload;
    reply.header('x-cache', 'miss');
    if (reply.statusCode === 200 && typeof payload === 'string') {
      cache.set(
        req.url,
        payload,
        String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
        req.cacheGeneration,
      );
    }
    return payload;
  });
});
