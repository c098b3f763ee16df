// This instance following designs on other instances: once, from the instance actor, on behalf of every user
// who asked. On Accept the design is handed to the mirror and every version in its outbox is backfilled; each
// Create, Update and Delete from a followed design after that reaches the mirror too. What a design published while
// this instance was stopped or offline is backfilled again on start and when its instance is reachable again: since
// the outbox last seen (its newest item and count, stored), fetching only the versions not here.
import {
  Follow,
  Hashtag,
  PropertyValue,
  Service,
  Undo,
  fetchDocumentLoader,
  lookupWebFinger,
  type Accept,
  type Context,
  type Create,
  type Delete,
  type InboxContext,
  type Object as APObject,
  type Reject,
  type ResourceDescriptor,
  type Update,
} from '@fedify/fedify';
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { federationProblem, msg } from '../errors.js';
import type { MirrorSink, RemoteDesign } from './remote-version.js';
import { remoteFollowRequesters, remoteFollows } from './tables.js';
import { designs, mirroredVersions } from '../registry/tables.js';
import { instanceIdentifier, instanceName, parseIdentifier } from './names.js';
import { readRemoteVersion } from './version-object.js';
import { isBlocked } from './blocks.js';
import { takenDownSummary } from './version-object.js';
import { remoteFollowersOf } from './remote-followers.js';

type FollowRow = typeof remoteFollows.$inferSelect;

const lookupTimeoutMs = 15_000;
const maxOutboxPages = 500;
// a host reached again by several deliveries at once is caught up once
const backfillPauseMs = 10_000;

export interface FollowView {
  id: string;
  target: string;
  state: 'pending' | 'accepted' | 'rejected';
  design: { owner: string; slug: string };
  actor: string;
  instance: string;
  createdAt: string;
}

const view = (r: FollowRow): FollowView => ({
  id: r.id,
  target: r.target,
  state: r.state,
  design: { owner: `${r.owner}@${r.instance}`, slug: r.slug },
  actor: r.actorUri,
  instance: r.instance,
  createdAt: r.createdAt.toISOString(),
});

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${lookupTimeoutMs / 1000} s`)),
        lookupTimeoutMs,
      ).unref(),
    ),
  ]);
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The host a follow target names: a handle's part after @, or a URL's host. */
function targetHost(target: string): { host: string; handle?: string } | undefined {
  const handle = /^(?:acct:)?@?([^@\s/]+)@([^@\s/]+)$/.exec(target);
  if (handle) return { host: handle[2].toLowerCase(), handle: `${handle[1]}@${handle[2]}` };
  try {
    const url = new URL(target);
    if (url.protocol === 'https:' || url.protocol === 'http:') return { host: url.host };
  } catch {
    // not a URL: no host
  }
  return undefined;
}

async function plainHttpWebFinger(resource: string): Promise<ResourceDescriptor | null> {
  const host = resource.slice(resource.lastIndexOf('@') + 1);
  const url = `http://${host}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
  const res = await fetch(url, { headers: { accept: 'application/jrd+json' }, redirect: 'follow' });
  return res.ok ? ((await res.json()) as ResourceDescriptor) : null;
}

/** A design actor's shape for the mirror (title, summary, licence, tags from the actor document). */
export function remoteDesignOf(actor: Service): RemoteDesign | undefined {
  const name = actor.preferredUsername ? parseIdentifier(actor.preferredUsername.toString()) : undefined;
  if (!actor.id || name?.kind !== 'design') return undefined;
  return {
    actorUri: actor.id.href,
    url: actor.url instanceof URL ? actor.url.href : (actor.url?.href?.href ?? actor.id.href),
    instance: actor.id.host,
    owner: name.owner,
    slug: name.slug,
    title: actor.name?.toString() ?? name.slug,
    summary: actor.summary?.toString() ?? '',
    tags: [],
  };
}

export async function designWithDetails(
  actor: Service,
  ctx: Context<void>,
  allowPrivate: boolean,
): Promise<RemoteDesign | undefined> {
  const design = remoteDesignOf(actor);
  if (!design) return undefined;
  for await (const tag of actor.getTags(ctx))
    if (tag instanceof Hashtag && tag.name) design.tags.push(tag.name.toString().replace(/^#/, ''));
  for await (const a of actor.getAttachments(ctx))
    if (a instanceof PropertyValue && a.name?.toString() === 'License' && a.value) design.license = a.value.toString();
  design.followers = await remoteFollowersOf(actor, ctx, allowPrivate);
  return design;
}

export class FollowingInbox {
  private readonly db;
  // follows being backfilled now, and when each last finished
  private readonly backfilling = new Set<string>();
  private readonly backfilled = new Map<string, number>();

  constructor(
    private readonly database: Database,
    private readonly config: Config,
    private readonly sink: () => MirrorSink | undefined,
  ) {
    this.db = database.db;
  }

  /** POST /api/federation/follows: 202 and a new follow, or 200 and the one this instance has already. */
  async follow(ctx: Context<void>, userId: string, target: string): Promise<{ created: boolean; follow: FollowView }> {
    const where = targetHost(target);
    if (!where) throw federationProblem.unreachable(target, msg('federation.notAnAddress'));
    if (where.host === instanceName(this.config.publicUrl).toLowerCase()) throw federationProblem.localTarget(target);
    if (await isBlocked(this.db, where.host)) throw federationProblem.blocked(where.host);
    let object: APObject | null;
    try {
      object = await withTimeout(this.lookup(ctx, where.handle ?? target), target);
    } catch (err) {
      throw federationProblem.unreachable(target, reasonOf(err));
    }
    if (!object) throw federationProblem.unreachable(target, msg('federation.noActor'));
    const design = object instanceof Service ? remoteDesignOf(object) : undefined;
    if (!design || !(object instanceof Service) || !object.inboxId)
      throw federationProblem.notADesign(target, `a ${object.constructor.name}`);
    if (design.instance.toLowerCase() === instanceName(this.config.publicUrl).toLowerCase())
      throw federationProblem.localTarget(target);

    const followId = crypto.randomUUID();
    const followActivity = new URL(`#follows/${followId}`, ctx.getActorUri(instanceIdentifier)).href;
    const inserted = await this.db
      .insert(remoteFollows)
      .values({
        id: followId,
        target,
        actorUri: design.actorUri,
        inbox: object.inboxId.href,
        outbox: object.outboxId?.href ?? null,
        instance: design.instance,
        owner: design.owner,
        slug: design.slug,
        followActivity,
      })
      .onConflictDoNothing()
      .returning();
    const [row] = inserted.length
      ? inserted
      : await this.db.select().from(remoteFollows).where(eq(remoteFollows.actorUri, design.actorUri));
    await this.db.insert(remoteFollowRequesters).values({ followId: row.id, userId }).onConflictDoNothing();
    // followed before but refused or never answered: ask again
    if (inserted.length || row.state !== 'accepted') await this.sendFollow(ctx, row, object);
    return { created: inserted.length > 0, follow: view(row) };
  }

  private async lookup(ctx: Context<void>, target: string): Promise<APObject | null> {
    if (!target.includes('@') || target.includes('://')) return ctx.lookupObject(target);
    // a design's handle owner~slug@host: WebFinger gives its actor's id
    const resource = `acct:${target.replace(/^acct:/, '').replace(/^@/, '')}`;
    let jrd = await lookupWebFinger(resource, { allowPrivateAddress: this.config.federationAllowPrivate }).catch(
      () => null,
    );
    // WebFinger is https only; an instance on one machine or a test's loopback (private addresses allowed) may
    // serve plain http
    if (!jrd && this.config.federationAllowPrivate) jrd = await plainHttpWebFinger(resource);
    const self = jrd?.links?.find(
      (l) => l.rel === 'self' && /^application\/(activity\+json|ld\+json)/.test(l.type ?? ''),
    );
    if (!self?.href) throw new Error(`WebFinger has no ActivityPub actor for ${resource}`);
    return ctx.lookupObject(self.href);
  }

  private async sendFollow(ctx: Context<void>, row: FollowRow, actor: Service) {
    await ctx.sendActivity(
      { identifier: instanceIdentifier },
      actor,
      new Follow({
        id: new URL(row.followActivity),
        actor: ctx.getActorUri(instanceIdentifier),
        object: new URL(row.actorUri),
      }),
    );
  }

  async list(userId: string): Promise<FollowView[]> {
    const rows = await this.db
      .select({ f: remoteFollows })
      .from(remoteFollows)
      .innerJoin(remoteFollowRequesters, eq(remoteFollowRequesters.followId, remoteFollows.id))
      .where(eq(remoteFollowRequesters.userId, userId))
      .orderBy(asc(remoteFollows.createdAt));
    return rows.map((r) => view(r.f));
  }

  /** The caller stops following; when nobody here follows the design any more, the origin gets an Undo. */
  async unfollow(ctx: Context<void>, userId: string, id: string): Promise<boolean> {
    const gone = await this.db
      .delete(remoteFollowRequesters)
      .where(and(eq(remoteFollowRequesters.followId, id), eq(remoteFollowRequesters.userId, userId)))
      .returning();
    if (!gone.length) return false;
    const others = await this.db
      .select()
      .from(remoteFollowRequesters)
      .where(eq(remoteFollowRequesters.followId, id))
      .limit(1);
    if (others.length) return true;
    const [row] = await this.db.delete(remoteFollows).where(eq(remoteFollows.id, id)).returning();
    if (row) {
      const instanceActor = ctx.getActorUri(instanceIdentifier);
      await ctx.sendActivity(
        { identifier: instanceIdentifier },
        { id: new URL(row.actorUri), inboxId: new URL(row.inbox) },
        new Undo({
          id: new URL(`#undo/${row.id}`, instanceActor),
          actor: instanceActor,
          object: new Follow({ id: new URL(row.followActivity), actor: instanceActor, object: new URL(row.actorUri) }),
        }),
      );
    }
    return true;
  }

  /** The follow of the design that sent an activity, if this instance follows it and its instance is not blocked. */
  private async followOf(actorId: URL | null, state?: FollowRow['state']): Promise<FollowRow | undefined> {
    if (!actorId || (await isBlocked(this.db, actorId.host))) return undefined;
    const [row] = await this.db.select().from(remoteFollows).where(eq(remoteFollows.actorUri, actorId.href));
    return row && (!state || row.state === state) ? row : undefined;
  }

  async accepted(ctx: InboxContext<void>, accept: Accept) {
    const row = await this.followOf(accept.actorId);
    if (!row || (accept.objectId && accept.objectId.href !== row.followActivity)) return;
    await this.db.update(remoteFollows).set({ state: 'accepted' }).where(eq(remoteFollows.id, row.id));
    const actor = await ctx.lookupObject(row.actorUri);
    if (!(actor instanceof Service)) return;
    const design = await designWithDetails(actor, ctx, this.config.federationAllowPrivate);
    const sink = this.sink();
    if (!design || !sink) return;
    await sink.design(design);
    await this.backfill(row, actor.outboxId?.href ?? row.outbox, sink);
  }

  async rejected(_ctx: InboxContext<void>, reject: Reject) {
    const row = await this.followOf(reject.actorId);
    if (!row || (reject.objectId && reject.objectId.href !== row.followActivity)) return;
    await this.db.update(remoteFollows).set({ state: 'rejected' }).where(eq(remoteFollows.id, row.id));
  }

  async created(_ctx: InboxContext<void>, create: Create) {
    const row = await this.followOf(create.actorId, 'accepted');
    const sink = this.sink();
    if (!row || !sink || !create.objectId) return;
    const version = await this.fetchVersion(row, create.objectId.href);
    if (version) await sink.version(row.actorUri, version);
  }

  async updated(ctx: InboxContext<void>, update: Update) {
    const row = await this.followOf(update.actorId, 'accepted');
    const sink = this.sink();
    if (!row || !sink || !update.objectId) return;
    if (update.objectId.href === row.actorUri) {
      // the design itself: the embedded actor comes signed by itself
      const actor = await update.getObject(ctx);
      const design =
        actor instanceof Service && actor.id?.href === row.actorUri
          ? await designWithDetails(actor, ctx, this.config.federationAllowPrivate)
          : undefined;
      if (design) await sink.design(design);
      return;
    }
    const version = await this.fetchVersion(row, update.objectId.href);
    if (!version) return;
    await sink.yanked(row.actorUri, version.version, version.yanked === true);
    // announced again: a copy that failed (the origin since fixed a file) is tried again, an unknown one queued
    await sink.version(row.actorUri, version);
    if (version.field) await sink.fieldData(row.actorUri, version.version, version.field);
  }

  async deleted(_ctx: InboxContext<void>, del: Delete) {
    const sink = this.sink();
    if (!sink || !del.actorId || del.objectId?.href !== del.actorId.href) return;
    const row = await this.followOf(del.actorId);
    if (!row) {
      // an account deleted at its origin: every design of it followed here keeps its copies, marked originGone
      for (const design of await this.designsOfPerson(del.actorId)) await sink.originGone(design.actorUri);
      return;
    }
    if (del.summary?.toString() === takenDownSummary) await sink.takenDown(row.actorUri);
    else await sink.originGone(row.actorUri);
  }

  /**
   * The followed designs of a person actor: an Andecha design's actor is its owner's with `~slug` after it
   * (`/ap/actors/ana` → `/ap/actors/ana~brick-press`), the reversible form names.ts writes.
   */
  private async designsOfPerson(personUri: URL): Promise<FollowRow[]> {
    if (await isBlocked(this.db, personUri.host)) return [];
    const rows = await this.db
      .select()
      .from(remoteFollows)
      .where(and(eq(remoteFollows.instance, personUri.host), eq(remoteFollows.state, 'accepted')));
    return rows.filter((r) => r.actorUri.startsWith(`${personUri.href}~`));
  }

  /**
   * A version object fetched from the design's own origin (never taken from the activity's body: Fedify's
   * compaction drops the extension, and the origin's copy is the authoritative one). Not cached: an Update must
   * see the new state.
   */
  private async fetchVersion(row: FollowRow, objectUri: string) {
    if (new URL(objectUri).origin !== new URL(row.actorUri).origin) return undefined;
    const { document } = await withTimeout(
      fetchDocumentLoader(objectUri, this.config.federationAllowPrivate),
      objectUri,
    );
    const version = readRemoteVersion(document);
    return version && version.objectUri === objectUri ? version : undefined;
  }

  /** Catches up every accepted follow (on start: versions published while this instance was stopped). */
  async backfillAll(): Promise<void> {
    const rows = await this.db.select().from(remoteFollows).where(eq(remoteFollows.state, 'accepted'));
    await this.backfillEach(rows);
  }

  /** Catches up the accepted follows of designs on `host` (a delivery there went through after failures). */
  async backfillInstance(host: string): Promise<void> {
    const rows = await this.db
      .select()
      .from(remoteFollows)
      .where(and(eq(remoteFollows.instance, host), eq(remoteFollows.state, 'accepted')));
    await this.backfillEach(rows);
  }

  private async backfillEach(rows: FollowRow[]) {
    const sink = this.sink();
    if (!sink) return;
    for (const row of rows) {
      if (this.backfilling.has(row.id) || Date.now() - (this.backfilled.get(row.id) ?? 0) < backfillPauseMs) continue;
      if (await isBlocked(this.db, row.instance)) continue;
      this.backfilling.add(row.id);
      try {
        await this.backfill(row, row.outbox, sink);
      } catch (err) {
        console.warn(`federation: backfill of ${row.actorUri} failed: ${reasonOf(err)}`);
      } finally {
        this.backfilling.delete(row.id);
        this.backfilled.set(row.id, Date.now());
      }
    }
  }

  /** The version objects of a followed design this mirror has (queued, being copied or copied). */
  private async knownVersions(actorUri: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ objectUri: mirroredVersions.objectUri })
      .from(mirroredVersions)
      .innerJoin(designs, eq(designs.id, mirroredVersions.designId))
      .where(and(eq(designs.originActor, actorUri), ne(mirroredVersions.state, 'failed')));
    return new Set(rows.map((r) => r.objectUri));
  }

  /**
   * The versions in the design's outbox that this mirror lacks (or failed to copy), all pages, to the mirror.
   * Unchanged since the last backfill (same newest item and count): the outbox itself is the only request.
   */
  private async backfill(row: FollowRow, outbox: string | null, sink: MirrorSink) {
    if (!outbox) return;
    const get = async (url: string) =>
      (await withTimeout(fetchDocumentLoader(url, this.config.federationAllowPrivate), url)).document as Record<
        string,
        unknown
      >;
    const idOf = (x: unknown) => (typeof x === 'string' ? x : ((x as { id?: string } | null)?.id ?? undefined));
    const objectOf = (item: unknown) => idOf((item as { object?: unknown } | null)?.object);
    const collection = await get(outbox);
    const total = typeof collection.totalItems === 'number' ? collection.totalItems : null;
    let next = idOf(collection.first);
    let items = (collection.orderedItems as unknown[]) ?? [];
    if (typeof collection.first === 'object' && collection.first) {
      // the first page embedded in the collection
      const first = collection.first as Record<string, unknown>;
      items = (first.orderedItems as unknown[]) ?? (first.items as unknown[]) ?? [];
      next = idOf(first.next);
    }
    let newest: string | undefined;
    const known = await this.knownVersions(row.actorUri);
    for (let pages = 0; pages < maxOutboxPages; pages++) {
      if (next && !items.length) {
        const page = await get(next);
        items = (page.orderedItems as unknown[]) ?? (page.items as unknown[]) ?? [];
        next = idOf(page.next);
      }
      if (pages === 0 && newest === undefined) {
        newest = objectOf(items[0]) ?? '';
        if (newest && newest === row.outboxSeenItem && total !== null && total === row.outboxSeenTotal) break;
      }
      for (const item of items) {
        const objectUri = objectOf(item);
        if (!objectUri || known.has(objectUri)) continue;
        const version = await this.fetchVersion(row, objectUri).catch(() => undefined);
        if (version) await sink.version(row.actorUri, version);
      }
      items = [];
      if (!next) break;
    }
    await this.db
      .update(remoteFollows)
      .set({ outboxSeenItem: newest || null, outboxSeenTotal: total, backfilledAt: new Date() })
      .where(eq(remoteFollows.id, row.id));
  }
}
