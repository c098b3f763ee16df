// Anonymous reads of the busiest documents (a design, the design list and search, parts, versions) answered from
// memory. Correct before fast: a change of stored data — a write through any route of any process, a pipeline job's
// outcome, an admin command, samples loaded — drops what it may have touched (the event bus carries it across
// processes). A change that names its designs drops their documents and the shared ones (lists, search, parts, forks,
// which show many designs); a change that cannot say drops everything. Entries also expire after `responseCacheMs`.
// Routes opt in with `config: { publicCache: true }`; a request with an Authorization header is never cached (what a
// caller sees depends on who they are). A write route whose change touches its own design alone says so with
// `config: { changesDesign: true }`; every other write drops everything.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ChangedDesigns } from '../events.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** anonymous GETs of this route may be answered from the response cache */
    publicCache?: boolean;
    /** a write of this route (under /api/designs/:owner/:slug) changes that design's documents and nothing else's */
    changesDesign?: boolean;
  }
  interface FastifyRequest {
    /** the cache's change count when this request started, when its answer may be cached */
    cacheGeneration: number | undefined;
  }
}

interface Entry {
  body: string;
  type: string;
  expires: number;
  bytes: number;
  /** the one design (`owner/slug`) the document shows; undefined: it may show any (a list, a fork's upstream) */
  design: string | undefined;
}

const MAX_ENTRY_BYTES = 512 * 1024;
const MAX_TOTAL_BYTES = 32 * 1024 * 1024;
/** designs whose last change is remembered; past it, the memory is dropped as if a change named nothing */
const MAX_REMEMBERED_DESIGNS = 10_000;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  /** keys of the entries showing one design, by design */
  private readonly byDesign = new Map<string, Set<string>>();
  /** keys of the entries that may show any design */
  private readonly shared = new Set<string>();
  private bytes = 0;
  /** counts changes: a request remembers the count it started at, and an answer computed across a change is not stored */
  generation = 0;
  private lastUnnamedChange = 0;
  private readonly lastChangeOf = new Map<string, number>();

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

  /**
   * Stores an answer computed from `generation` on, unless a change that may touch it came since. `design` is the one
   * design the document shows; without it, the document counts as showing every design.
   */
  set(key: string, body: string, type: string, generation: number, design?: string): void {
    if (body.length > MAX_ENTRY_BYTES) return;
    const changedSince =
      design === undefined
        ? this.generation !== generation
        : this.lastUnnamedChange > generation || (this.lastChangeOf.get(design) ?? 0) > generation;
    if (changedSince) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    // oldest first out (a Map iterates in insertion order)
    for (const [k, e] of this.entries) {
      if (this.bytes + body.length <= MAX_TOTAL_BYTES) break;
      this.remove(k, e);
    }
    this.entries.set(key, { body, type, expires: Date.now() + this.maxAgeMs, bytes: body.length, design });
    this.bytes += body.length;
    if (design === undefined) this.shared.add(key);
    else {
      let keys = this.byDesign.get(design);
      if (!keys) this.byDesign.set(design, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Stored data changed: drops the documents of the named designs and the shared ones, or everything unnamed. */
  changed(designs: ChangedDesigns): void {
    this.generation++;
    if (!designs || this.lastChangeOf.size + designs.length > MAX_REMEMBERED_DESIGNS) {
      this.lastUnnamedChange = this.generation;
      this.lastChangeOf.clear();
      this.entries.clear();
      this.byDesign.clear();
      this.shared.clear();
      this.bytes = 0;
      return;
    }
    for (const design of designs) {
      this.lastChangeOf.delete(design); // re-inserted last: the map stays in order of change
      this.lastChangeOf.set(design, this.generation);
      for (const key of this.byDesign.get(design) ?? []) this.remove(key, this.entries.get(key)!);
    }
    for (const key of this.shared) this.remove(key, this.entries.get(key)!);
  }

  /** Drops everything, as a change that names nothing. */
  clear(): void {
    this.changed(undefined);
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.bytes;
    if (e.design === undefined) this.shared.delete(key);
    else {
      const keys = this.byDesign.get(e.design);
      keys?.delete(key);
      if (keys?.size === 0) this.byDesign.delete(e.design);
    }
  }
}

const cacheable = (req: FastifyRequest) =>
  req.method === 'GET' && req.routeOptions.config.publicCache === true && !req.headers.authorization;

/**
 * The one design a request's document shows or its write changed, as `[owner/slug]`: the design its route resolved,
 * unless that is a fork, whose documents also show its upstream (its latest version, its name): those count as
 * showing any design. Undefined when there is none.
 */
function designOf(req: FastifyRequest): [string] | undefined {
  const d = req.design as FastifyRequest['design'] | null;
  if (!d || d.forkedFromVersionId) return undefined;
  return [`${d.ownerHandle}/${d.slug}`];
}

/** Registered after the auth plugin, so its onRequest runs after the caller is known. */
export const responseCachePlugin = fp(async (app: FastifyInstance) => {
  const { events, config } = app.deps;
  app.decorateRequest('cacheGeneration', undefined);
  if (config.responseCacheMs <= 0) return;
  const cache = new ResponseCache(config.responseCacheMs);
  const unsubscribe = events.onChanged((designs) => cache.changed(designs));
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
      if (reply.statusCode < 400) events.changed(req.routeOptions.config.changesDesign ? designOf(req) : undefined);
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
        designOf(req)?.[0],
      );
    }
    return payload;
  });
});
