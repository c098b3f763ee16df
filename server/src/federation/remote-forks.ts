// Forks across instances. The fork's side: a fork of a mirrored design tells the design's home with a signed
// `Create` whose object is the fork's own design actor and whose `target` is the forked version's object. The home's
// side: the notice becomes a mirror of the fork, linked as a fork of that version (so lineage, compare and upstream
// notices see it like a local fork), and the home instance follows the fork's design actor so its versions arrive.
// The notice is a claim: the home records it only when the fork's own version object, fetched from the fork's
// instance (the notice's `result`), names the same forked version; the design's leads are then told of the fork as
// of a local one. A fork kept local-only is announced when it is made federated.
import { Create, Note, Service, fetchDocumentLoader, type Context, type InboxContext } from '@fedify/fedify';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { DesignRow } from '../registry/designs.js';
import { setForkOrigin } from '../registry/designs.js';
import { tellOfFork } from '../registry/forks.js';
import { parentOf } from '../registry/lineage.js';
import { findMirroredDesign, findMirroredVersion } from '../registry/mirrors.js';
import { formatVersionRef } from '../registry/version-ref.js';
import type { MirrorSink } from './remote-version.js';
import type { InboxHandler } from './inbox-handlers.js';
import { designWithDetails, type FollowingInbox } from './following.js';
import { federatedDesign, versionNamesOf, versionRow } from './local-designs.js';
import { readRemoteVersion } from './version-object.js';
import { designIdentifier, designWebUrl, instanceName } from './names.js';
import { remoteFollows } from './tables.js';
import { isBlocked } from './blocks.js';

/** Where the home design's actor takes activities: the follow's record, else its actor document. */
export async function inboxOf(ctx: Context<void>, db: Db, actorUri: string): Promise<URL | undefined> {
  const [follow] = await db
    .select({ inbox: remoteFollows.inbox })
    .from(remoteFollows)
    .where(eq(remoteFollows.actorUri, actorUri))
    .limit(1);
  if (follow) return new URL(follow.inbox);
  const actor = await ctx.lookupObject(actorUri);
  return actor instanceof Service ? (actor.inboxId ?? undefined) : undefined;
}

/**
 * The fork's side: a fork whose parent is a mirror tells the parent's home (queued and retried like every
 * delivery). A fork that is not federated (hidden, opted out) stays unknown there: its actor would not answer.
 */
export async function tellHomeOfFork(ctx: Context<void>, db: Db, publicUrl: string, fork: DesignRow): Promise<void> {
  const parent = await parentOf(db, fork);
  const home = parent?.design.originActor;
  if (!parent || !home) return;
  if (!(await federatedDesign(db, fork.ownerHandle, fork.slug))) return;
  const copied = await findMirroredVersion(db, parent.design.id, parent.version.version);
  const inbox = copied && (await inboxOf(ctx, db, home));
  if (!copied || !inbox) return;
  const [latest] = await versionNamesOf(db, fork);
  if (!latest) return;
  const identifier = designIdentifier(fork.ownerHandle, fork.slug);
  const actor = ctx.getActorUri(identifier);
  const from = formatVersionRef({
    owner: parent.design.ownerHandle,
    slug: parent.design.slug,
    version: copied.version,
  });
  await ctx.sendActivity(
    { identifier },
    { id: new URL(home), inboxId: inbox },
    new Create({
      id: new URL(`#forked/${crypto.randomUUID()}`, actor),
      actor,
      object: actor,
      target: new URL(copied.objectUri),
      // the fork's own version object, which says what it was forked from: the home checks the claim against it
      result: ctx.getObjectUri(Note, { owner: fork.ownerHandle, slug: fork.slug, version: latest }),
      url: new URL(designWebUrl(publicUrl, fork.ownerHandle, fork.slug)),
      to: new URL(home),
      summary: `${fork.ownerHandle}@${instanceName(publicUrl)} forked ${from} as ${fork.ownerHandle}/${fork.slug}`,
    }),
  );
}

export interface ForkNoticeDeps {
  db: Db;
  /** fetches may reach private addresses (ANDECHA_FEDERATION_ALLOW_PRIVATE) */
  allowPrivate: boolean;
  following: FollowingInbox;
  sink: () => MirrorSink | undefined;
}

/**
 * The home's side, for `fed.inbox.create`: takes a `Create` whose object is its own sender (a design actor announcing
 * itself) and whose target is a version of one of this instance's designs. Anything it cannot use — a blocked
 * instance, a design or version that is not here, an actor that is not a design — is taken and ignored.
 */
/**
 * Does the fork's own version object, fetched from the fork's instance (never the notice's copy), say it was forked
 * from the version the notice names? A notice without one, or with one that names another version or another
 * design, is not believed.
 */
async function forkSaysSo(create: Create, actorId: URL, allowPrivate: boolean): Promise<boolean> {
  const result = create.resultId;
  if (!result || result.origin !== actorId.origin || !create.targetId) return false;
  try {
    const { document } = await fetchDocumentLoader(result.href, allowPrivate);
    const json = document as Record<string, unknown>;
    const version = readRemoteVersion(json);
    return (
      json.id === result.href && json.attributedTo === actorId.href && version?.forkedFrom === create.targetId.href
    );
  } catch (err) {
    console.warn(`federation: the fork notice ${create.id?.href} was not checked: ${(err as Error).message}`);
    return false;
  }
}

export function forkNoticeHandler(deps: ForkNoticeDeps): InboxHandler<Create> {
  const { db } = deps;
  return async (ctx: InboxContext<void>, create: Create) => {
    const actorId = create.actorId;
    const targetId = create.targetId;
    if (!actorId || !targetId || create.objectId?.href !== actorId.href) return false;
    if (await isBlocked(db, actorId.host)) return true;
    const target = ctx.parseUri(targetId);
    if (target?.type !== 'object' || target.class !== Note) return true;
    const { owner, slug, version } = target.values;
    const design = await federatedDesign(db, owner, slug);
    const forked = design && (await versionRow(db, design, version));
    if (!design || !forked || forked.version !== version) return true;
    // the fork as its own instance describes it (the notice is signed by that actor; its document is fetched)
    const actor = await create.getActor(ctx);
    if (!(actor instanceof Service) || actor.id?.href !== actorId.href) return true;
    if (!(await forkSaysSo(create, actorId, deps.allowPrivate))) return true;
    const remote = await designWithDetails(actor, ctx, deps.allowPrivate);
    const sink = deps.sink();
    if (!remote || !sink) return true;
    await sink.design(remote);
    const copy = await findMirroredDesign(db, actorId.href);
    // the first notice of this fork: linked, and the design's leads are told as of a fork made here
    if (copy && !copy.forkedFromVersionId)
      await db.transaction(async (tx) => {
        await setForkOrigin(tx, copy.id, forked.id);
        await tellOfFork(tx, design, copy, copy.ownerId);
      });
    // on behalf of the design's owner: its versions reach the mirror, and the lineage here stays current
    await deps.following
      .follow(ctx, design.ownerId, actorId.href)
      .catch((err) => console.warn(`federation: fork ${actorId.href} not followed: ${err?.message ?? err}`));
    return true;
  };
}
