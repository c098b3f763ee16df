// The home's intake of an Offer from another instance (a build report, a proposal) to one of its designs: the
// checks every such Offer passes before what it offers is read, the Reject that carries a refusal's reason back, and
// the acknowledgement once it is recorded. What is offered is the caller's to fetch, check and record.
import { Reject, type Activity, type Actor, type Context, type Offer } from '@fedify/fedify';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { DesignRow } from '../registry/designs.js';
import { isBlocked } from './blocks.js';
import { designIdentifier, instanceIdentifier, parseIdentifier } from './names.js';
import { federatedDesign } from './local-designs.js';

/** An Offer that passed the common checks: its object, its author (with an inbox) and the design it is for. */
export interface OfferToDesign {
  object: URL;
  actorId: URL;
  author: Actor & { inboxId: URL };
  design: DesignRow;
  designActor: URL;
}

export interface OfferKind {
  /** the object's path on its instance (`/ap/builds/{id}`): Offers of anything else are another handler's */
  path: RegExp;
  /** what is offered, as a refusal names it ("report", "proposal") */
  what: string;
  /** fetches, checks and records the offered object; an AppError below 500 is a refusal with its message */
  take(offer: OfferToDesign): Promise<void>;
  /** the answer once it is recorded (Accept, TentativeAccept), from the design's actor */
  acknowledgement(designActor: URL, offer: Offer): Activity;
}

/**
 * Takes an Offer of `kind`: false when its object is not of that kind; otherwise true, once it is recorded and
 * acknowledged, refused with a Reject (by the design's actor, the one the offering instance trusts for it, or the
 * instance's for no design here), or ignored. An error of ours (5xx, or not an AppError) is thrown: the inbox queue
 * tries the Offer again.
 */
export async function takeOffer(db: Db, ctx: Context<void>, offer: Offer, kind: OfferKind): Promise<boolean> {
  const object = offer.objectId;
  if (!object || !kind.path.test(object.pathname)) return false;
  const actorId = offer.actorId;
  // offered by its author, from the instance that serves it; anything else is not taken
  if (!actorId || object.origin !== actorId.origin || !offer.id || (await isBlocked(db, actorId.host))) return true;
  const author = await offer.getActor(ctx);
  if (!author?.id || !author.inboxId) return true;
  const refuse = (identifier: string, reason: string) =>
    ctx.sendActivity(
      { identifier },
      author,
      new Reject({
        id: new URL(`#rejects/${crypto.randomUUID()}`, ctx.getActorUri(identifier)),
        actor: ctx.getActorUri(identifier),
        object: offer,
        summary: reason,
      }),
    );
  const target = offer.targetId ? ctx.parseUri(offer.targetId) : null;
  const name = target?.type === 'actor' ? parseIdentifier(target.identifier) : undefined;
  const design = name?.kind === 'design' ? await federatedDesign(db, name.owner, name.slug) : undefined;
  if (!design) {
    await refuse(instanceIdentifier, `The ${kind.what} names no design of this instance`);
    return true;
  }
  const identifier = designIdentifier(design.ownerHandle, design.slug);
  const designActor = ctx.getActorUri(identifier);
  try {
    await kind.take({ object, actorId, author: author as Actor & { inboxId: URL }, design, designActor });
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err; // retried by the inbox queue
    await refuse(identifier, err.message);
    return true;
  }
  await ctx.sendActivity({ identifier }, author, kind.acknowledgement(designActor, offer));
  return true;
}
