// The instance's ActivityPub side, built on Fedify: actors (people, designs, the instance), WebFinger, NodeInfo,
// outboxes of versions, followers, inboxes, and the durable queue that delivers and retries. Incoming activities
// about designs this instance follows go to the MirrorSink; its users' follows are in following.ts.
import {
  Accept,
  Announce,
  Application,
  Create,
  Delete,
  Endpoints,
  Follow,
  Hashtag,
  Image,
  Note,
  Offer,
  Person,
  PropertyValue,
  Reject,
  Service,
  Undo,
  Update,
  createFederation,
  parseSemVer,
  type Context,
  type Federation,
  type Recipient,
} from '@fedify/fedify';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { DesignRow } from '../registry/designs.js';
import { getUserByHandle } from '../accounts/accounts.js';
import type { MirrorSink } from './remote-version.js';
import { DatabaseKvStore } from './kv-store.js';
import { DatabaseMessageQueue, type QueueOptions } from './message-queue.js';
import { actorKeyPairs } from './keys.js';
import { designIdentifier, designWebUrl, instanceName, parseIdentifier, versionApiUrl } from './names.js';
import {
  designLicense,
  federatedDesign,
  federatedDesignsOwnedBy,
  localRemoteVersion,
  versionNamesOf,
  versionRow,
} from './local-designs.js';
import { takenDownSummary, versionCreate, versionNote } from './version-object.js';
import { addFollower, followersOf, removeFollower, type Follower } from './followers.js';
import { isBlocked, setInstanceBlocked } from './blocks.js';
import { FollowingInbox } from './following.js';
import { handled, noInboxHandlers, type InboxHandlers } from './inbox-handlers.js';
import { verifiedSignerHost } from './verified-signer.js';
import { deliveryRetryPolicy } from './retry-policy.js';
import { retryBackingOff } from './outbox.js';

const outboxPageSize = 20;
const softwareVersion = '0.1.0';

const recipientOf = (f: Follower): Recipient => ({
  id: new URL(f.actorUri),
  inboxId: new URL(f.inbox),
  endpoints: f.sharedInbox ? { sharedInbox: new URL(f.sharedInbox) } : null,
});

export interface FederationOptions {
  database: Database;
  config: Config;
  /** the mirror side; undefined until it is wired (activities are then acknowledged but not mirrored) */
  sink: () => MirrorSink | undefined;
  /** deliveries by outcome and received activities by type (metrics) */
  onDelivery?: QueueOptions['onDelivery'];
  onReceived?: QueueOptions['onReceived'];
}

export interface AndechaFederation {
  federation: Federation<void>;
  context(): Context<void>;
  /** a version was published, yanked or un-yanked: its followers get a Create (new) or an Update */
  versionChanged(design: DesignRow, version: string, kind: 'published' | 'updated'): Promise<void>;
  /** a design's title, summary, licences or tags changed: its followers get an Update of the actor */
  designEdited(design: DesignRow): Promise<void>;
  /**
   * A design is gone: its followers get a Delete of the actor. Taken down for abuse, the Delete says so
   * (summary `takenDownSummary`) and followers hide their copies; otherwise they keep them, marked originGone.
   */
  designDeleted(design: DesignRow, reason: 'deleted' | 'taken-down'): Promise<void>;
  /**
   * An account was deleted: the followers of its designs get a Delete of each design's actor (as for a deleted
   * design: they keep their copies, marked originGone) and one Delete of the Person actor.
   */
  accountDeleted(formerHandle: string, designIds: string[]): Promise<void>;
  following: FollowingInbox;
  /** features beyond following register their inbox handlers here (inbox-handlers.ts), before start() */
  inbox: InboxHandlers;
  /** objects served outside Fedify's dispatchers (it takes one per class: discussions are Notes as versions are) */
  objects: ((url: URL) => Promise<Record<string, unknown> | undefined>)[];
  /** the host whose key verifiably signed an inbox POST (its HTTP Signature), or undefined */
  verifiedSigner(request: Request): Promise<string | undefined>;
  /** an admin blocked or unblocked an instance; true when that changed anything */
  setBlocked(host: string, blocked: boolean): Promise<boolean>;
  start(): void;
  stop(): Promise<void>;
}

export function createAndechaFederation(options: FederationOptions): AndechaFederation {
  const { database, config } = options;
  const db = database.db;
  const publicUrl = config.publicUrl;
  const kv = new DatabaseKvStore(database);
  const queue = new DatabaseMessageQueue(database, {
    onDelivery: options.onDelivery,
    onReceived: (type, from) => {
      options.onReceived?.(type, from);
      // an activity from a host our deliveries wait for: it is reachable again, they need not wait out their backoff
      if (from) void retryBackingOff(database, from).catch(() => {});
    },
    onReconnected: (host) => reconnected(host),
  });
  const federation = createFederation<void>({
    kv,
    queue,
    manuallyStartQueue: true,
    onOutboxError: (error, activity) => queue.deliveryFailed(activity?.id?.href, error),
    origin: publicUrl,
    allowPrivateAddress: config.federationAllowPrivate,
    userAgent: { software: `Andecha/${softwareVersion}`, url: new URL(publicUrl) },
    outboxRetryPolicy: deliveryRetryPolicy({
      retryForMs: config.federationRetryForMs,
      maxDelayMs: config.federationRetryMaxDelayMs,
    }),
  });
  const following = new FollowingInbox(database, config, options.sink);

  /**
   * A delivery to `host` went through after failures (the network is back, or the host is): what else waits for it
   * goes now, and the designs followed there are caught up on what they published meanwhile.
   */
  function reconnected(host: string) {
    void retryBackingOff(database, host).catch(() => {});
    void following.backfillInstance(host).catch((err) => console.warn(`federation: backfill from ${host}: ${err}`));
  }
  const inbox = noInboxHandlers();

  /** The actor document of a local identifier, or null (unknown, hidden, opted out of federation). */
  async function actorOf(ctx: Context<void>, identifier: string) {
    const name = parseIdentifier(identifier);
    if (!name) return null;
    const common = async () => {
      const keys = await ctx.getActorKeyPairs(identifier);
      return {
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0].cryptographicKey,
        assertionMethods: keys.map((k) => k.multikey),
      };
    };
    if (name.kind === 'instance') {
      // the instance follows remote designs once for all its users: an Application, as relays and
      // other servers name their instance actor
      return new Application({
        ...(await common()),
        name: instanceName(publicUrl),
        summary: 'The Andecha instance: it follows designs on behalf of its users',
        url: new URL(publicUrl),
        manuallyApprovesFollowers: true,
      });
    }
    if (name.kind === 'person') {
      const known =
        (await getUserByHandle(db, name.handle)) || (await federatedDesignsOwnedBy(db, name.handle)).length > 0;
      if (!known) return null;
      return new Person({
        ...(await common()),
        name: name.handle,
        url: new URL(`/?owner=${encodeURIComponent(name.handle)}`, publicUrl),
      });
    }
    const d = await federatedDesign(db, name.owner, name.slug);
    if (!d) return null;
    return designActor(ctx, d, await common());
  }

  federation
    .setActorDispatcher('/ap/actors/{identifier}', actorOf)
    .mapHandle((_ctx, username) => (parseIdentifier(username) ? username : null))
    .setKeyPairsDispatcher(async (_ctx, identifier) =>
      parseIdentifier(identifier) ? actorKeyPairs(database, identifier) : [],
    );

  /**
   * A design is a `Service` actor: ForgeFed's `Repository` is the model (a followable thing that is not a person,
   * whose outbox announces new revisions), but Mastodon and most of the fediverse only render and follow the
   * five ActivityStreams actor types, and of those `Service` says "an automated account" — which a design's
   * feed of versions is. Its icon is the latest version's thumbnail, its url the design's web page.
   */
  async function designActor(ctx: Context<void>, d: DesignRow, common: Record<string, unknown>) {
    const versions = await versionNamesOf(db, d);
    const latest = versions.length ? await versionRow(db, d, 'latest') : undefined;
    const license = designLicense(d);
    return new Service({
      ...common,
      name: d.title,
      summary: d.summary || null,
      url: new URL(designWebUrl(publicUrl, d.ownerHandle, d.slug)),
      icon: latest
        ? new Image({
            mediaType: 'image/png',
            url: new URL(`${versionApiUrl(publicUrl, d.ownerHandle, d.slug, latest.version)}/thumbnail`),
          })
        : null,
      attribution: ctx.getActorUri(d.ownerHandle),
      tags: d.tags.map(
        (t) => new Hashtag({ name: `#${t}`, href: new URL(`/?tag=${encodeURIComponent(t)}`, publicUrl) }),
      ),
      attachments: license ? [new PropertyValue({ name: 'License', value: license })] : [],
      manuallyApprovesFollowers: false,
      discoverable: true,
    });
  }

  async function noteJson(ctx: Context<void>, d: DesignRow, version: string) {
    const v = await versionRow(db, d, version);
    if (!v) return undefined;
    const identifier = designIdentifier(d.ownerHandle, d.slug);
    const noteUri = ctx.getObjectUri(Note, { owner: d.ownerHandle, slug: d.slug, version: v.version }).href;
    const license = designLicense(d);
    return versionNote({
      noteUri,
      designActorUri: ctx.getActorUri(identifier).href,
      followersUri: ctx.getFollowersUri(identifier).href,
      title: d.title,
      thumbnailUrl: `${versionApiUrl(publicUrl, d.ownerHandle, d.slug, v.version)}/thumbnail`,
      ...(license ? { license } : {}),
      remote: await localRemoteVersion(db, publicUrl, d, v, noteUri),
    });
  }

  // parsed from the JSON written by version-object.ts: served as written (the Andecha extension included)
  const parse = {};

  federation.setObjectDispatcher(Note, '/ap/designs/{owner}/{slug}/versions/{version}', async (ctx, values) => {
    const d = await federatedDesign(db, values.owner, values.slug);
    const json = d && (await noteJson(ctx, d, values.version));
    return json ? Note.fromJsonLd(json, parse) : null;
  });

  federation
    .setOutboxDispatcher('/ap/actors/{identifier}/outbox', async (ctx, identifier, cursor) => {
      const name = parseIdentifier(identifier);
      if (!name) return null;
      if (name.kind !== 'design') return { items: [], nextCursor: null };
      const d = await federatedDesign(db, name.owner, name.slug);
      if (!d) return null;
      const all = await versionNamesOf(db, d);
      const start = Math.max(0, Number(cursor ?? 0) || 0);
      const page = all.slice(start, start + outboxPageSize);
      const items = [];
      for (const version of page) {
        const note = await noteJson(ctx, d, version);
        if (note) items.push(await Create.fromJsonLd(versionCreate(note), parse));
      }
      return { items, nextCursor: start + outboxPageSize < all.length ? String(start + outboxPageSize) : null };
    })
    .setFirstCursor(() => '0')
    .setCounter(async (_ctx, identifier) => {
      const name = parseIdentifier(identifier);
      if (name?.kind !== 'design') return 0;
      const d = await federatedDesign(db, name.owner, name.slug);
      return d ? (await versionNamesOf(db, d)).length : 0;
    });

  federation
    .setFollowersDispatcher('/ap/actors/{identifier}/followers', async (_ctx, identifier) => {
      const name = parseIdentifier(identifier);
      if (!name) return null;
      if (name.kind !== 'design') return { items: [] };
      const d = await federatedDesign(db, name.owner, name.slug);
      if (!d) return null;
      return { items: (await followersOf(db, d.id)).map(recipientOf) };
    })
    .setCounter(async (_ctx, identifier) => {
      const name = parseIdentifier(identifier);
      if (name?.kind !== 'design') return 0;
      const d = await federatedDesign(db, name.owner, name.slug);
      return d ? (await followersOf(db, d.id)).length : 0;
    });

  federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => {
    const { rows } = await database.raw<{ users: number; versions: number }>(
      `select (select count(*)::int from users where email not like '%@deleted.invalid') as users,
              (select count(*)::int from design_versions) as versions`,
    );
    return {
      software: {
        name: 'andecha',
        version: parseSemVer(softwareVersion),
        homepage: new URL('https://andecha.org/'),
      },
      protocols: ['activitypub'],
      services: { inbound: [], outbound: [] },
      openRegistrations: true,
      usage: { users: { total: rows[0].users }, localPosts: rows[0].versions, localComments: 0 },
      metadata: { nodeName: instanceName(publicUrl) },
    };
  });

  federation
    .setInboxListeners('/ap/actors/{identifier}/inbox', '/ap/inbox')
    .on(Follow, async (ctx, follow) => {
      if (!follow.id || !follow.actorId || !follow.objectId) return;
      if (await isBlocked(db, follow.actorId.host)) return;
      const target = ctx.parseUri(follow.objectId);
      if (target?.type !== 'actor') return;
      const name = parseIdentifier(target.identifier);
      if (name?.kind !== 'design') return;
      const d = await federatedDesign(db, name.owner, name.slug);
      if (!d) return;
      const follower = await follow.getActor(ctx);
      if (!follower?.id || !follower.inboxId) return;
      await addFollower(db, d.id, {
        actorUri: follower.id.href,
        inbox: follower.inboxId.href,
        sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
        instance: follower.id.host,
      });
      await ctx.sendActivity(
        { identifier: target.identifier },
        follower,
        new Accept({
          id: new URL(`#accepts/${crypto.randomUUID()}`, ctx.getActorUri(target.identifier)),
          actor: ctx.getActorUri(target.identifier),
          object: follow,
        }),
      );
      // its followers changed: the others (an upstream's home showing it in its lineage) read them again
      await followersChanged(d);
    })
    .on(Undo, async (ctx, undo) => {
      if (!undo.actorId || (await isBlocked(db, undo.actorId.host))) return;
      const object = await undo.getObject(ctx);
      if (!(object instanceof Follow) || object.actorId?.href !== undo.actorId.href || !object.objectId) return;
      const target = ctx.parseUri(object.objectId);
      const name = target?.type === 'actor' ? parseIdentifier(target.identifier) : undefined;
      if (name?.kind !== 'design') return;
      if (await removeFollower(db, name.owner, name.slug, undo.actorId.href)) {
        const d = await federatedDesign(db, name.owner, name.slug);
        if (d) await followersChanged(d);
      }
    })
    .on(Accept, async (ctx, accept) => {
      if (!(await handled(inbox.accept, ctx, accept))) await following.accepted(ctx, accept);
    })
    .on(Reject, async (ctx, reject) => {
      if (!(await handled(inbox.reject, ctx, reject))) await following.rejected(ctx, reject);
    })
    .on(Create, async (ctx, create) => {
      if (!(await handled(inbox.create, ctx, create))) await following.created(ctx, create);
    })
    .on(Update, async (ctx, update) => {
      if (!(await handled(inbox.update, ctx, update))) await following.updated(ctx, update);
    })
    .on(Delete, async (ctx, del) => {
      if (!(await handled(inbox.delete, ctx, del))) await following.deleted(ctx, del);
    })
    .on(Offer, async (ctx, offer) => {
      await handled(inbox.offer, ctx, offer);
    })
    .on(Announce, async (ctx, announce) => {
      await handled(inbox.announce, ctx, announce);
    });

  const context = () => federation.createContext(new URL(publicUrl), undefined);

  // the recipients from our table, not through the followers collection: a design being taken down no longer
  // answers that collection, and its followers must still hear of it
  async function toFollowers(d: DesignRow, activity: Create | Update | Delete) {
    const identifier = designIdentifier(d.ownerHandle, d.slug);
    const followers = await followersOf(db, d.id);
    if (!followers.length) return;
    await context().sendActivity({ identifier }, followers.map(recipientOf), activity, { preferSharedInbox: true });
  }

  /** The design's actor, sent again to its followers: they refresh what they show of it. */
  /**
   * Only a courtesy to the design's followers (their lineage shows who follows it): a failure is logged, never thrown,
   * so the Follow or Undo it follows is not handled again.
   */
  async function followersChanged(d: DesignRow) {
    await actorUpdated(d).catch((err) =>
      console.warn(`federation: the followers of ${d.ownerHandle}/${d.slug} were not told: ${err?.message ?? err}`),
    );
  }

  async function actorUpdated(d: DesignRow) {
    const ctx = context();
    const identifier = designIdentifier(d.ownerHandle, d.slug);
    const actor = await actorOf(ctx, identifier);
    if (!actor) return;
    await toFollowers(
      d,
      new Update({
        id: new URL(`#updates/${Date.now()}`, ctx.getActorUri(identifier)),
        actor: ctx.getActorUri(identifier),
        object: actor,
      }),
    );
  }

  let abort: AbortController | undefined;
  return {
    federation,
    context,
    following,
    inbox,
    objects: [],
    setBlocked: (host, blocked) => setInstanceBlocked(db, options.sink(), host, blocked),
    verifiedSigner: (request) => verifiedSignerHost(request, kv, context()),
    async versionChanged(design, version, kind) {
      const d = await federatedDesign(db, design.ownerHandle, design.slug);
      if (!d) return;
      const note = await noteJson(context(), d, version);
      if (!note) return;
      if (kind === 'published') {
        await toFollowers(d, await Create.fromJsonLd(versionCreate(note), parse));
        return;
      }
      const { '@context': ctxJson, ...object } = note;
      await toFollowers(
        d,
        await Update.fromJsonLd(
          {
            '@context': ctxJson,
            id: `${note.id as string}#updates/${Date.now()}`,
            type: 'Update',
            actor: note.attributedTo,
            to: note.to,
            cc: note.cc,
            object,
          },
          parse,
        ),
      );
    },
    async designEdited(design) {
      const d = await federatedDesign(db, design.ownerHandle, design.slug);
      if (d) await actorUpdated(d);
    },
    async designDeleted(d, reason) {
      const ctx = context();
      const identifier = designIdentifier(d.ownerHandle, d.slug);
      await toFollowers(
        d,
        new Delete({
          id: new URL(`#deletes/${Date.now()}`, ctx.getActorUri(identifier)),
          actor: ctx.getActorUri(identifier),
          object: ctx.getActorUri(identifier),
          ...(reason === 'taken-down' ? { summary: takenDownSummary } : {}),
        }),
      );
    },
    async accountDeleted(formerHandle, designIds) {
      const ctx = context();
      const owned = await federatedDesignsOwnedBy(db, formerHandle);
      const recipients = new Map<string, Follower>();
      for (const d of owned.filter((x) => designIds.includes(x.id))) {
        await this.designDeleted(d, 'deleted');
        for (const f of await followersOf(db, d.id)) recipients.set(f.actorUri, f);
      }
      if (!recipients.size) return;
      const person = ctx.getActorUri(formerHandle);
      await ctx.sendActivity(
        { identifier: formerHandle },
        [...recipients.values()].map(recipientOf),
        new Delete({ id: new URL(`#deletes/${Date.now()}`, person), actor: person, object: person }),
        { preferSharedInbox: true },
      );
    },
    start() {
      if (abort) return;
      abort = new AbortController();
      void federation.startQueue(undefined, { signal: abort.signal });
      // what the followed designs published while this instance was stopped or offline
      void following.backfillAll().catch((err) => console.warn(`federation: backfill on start: ${err}`));
    },
    async stop() {
      abort?.abort();
      abort = undefined;
    },
  };
}
