// Proposals across instances. The fork's instance serves each proposal made there to a mirrored design as an object
// (`/ap/proposals/{id}`, with the Andecha extension naming the fork's version and its files by sha256) and offers it,
// from its author, to the design's home. The home takes it only from the instance the fork lives on, once its own
// verified copy of that fork version holds exactly the files named (the copy fetched them from the fork's instance
// and checked each sha256), records it with its remote author and answers TentativeAccept (or Reject with the reason).
// Its leads' decision goes back as Accept (naming the new version) or Reject (with the reason) of the Offer, signed by
// the design's actor. Comments go both ways as a Create of a Note in reply to the proposal's object.
import {
  Accept,
  Article,
  Create,
  Note,
  Offer,
  Reject,
  TentativeAccept,
  fetchDocumentLoader,
  type Context,
  type InboxContext,
} from '@fedify/fedify';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { AppError, msg } from '../errors.js';
import { users } from '../accounts/tables.js';
import { ensureRemoteOwner } from '../accounts/remote-owners.js';
import { findDesignById, type DesignRow } from '../registry/designs.js';
import { filesOf } from '../registry/versions.js';
import { inSameFamily } from '../registry/lineage.js';
import { findMirroredDesign, findMirroredVersion } from '../registry/mirrors.js';
import { designVersions } from '../registry/tables.js';
import { findProposalById, type ProposalChange } from '../registry/proposals.js';
import {
  addRemoteComment,
  applyRemoteDecision,
  findComment,
  findRemoteProposal,
  markProposalOffered,
  proposalsAwaitingOffer,
  recordRemoteProposal,
  setProposalDelivery,
} from '../registry/remote-proposals.js';
import { formatVersionRef } from '../registry/version-ref.js';
import type { AndechaFederation } from './federation.js';
import { isBlocked } from './blocks.js';
import { designIdentifier, personOf } from './names.js';
import { federatedDesign, versionRow } from './local-designs.js';
import { takeOffer } from './offer-intake.js';
import { activityStreams, publicAudience } from './version-object.js';
import { inboxOf } from './remote-forks.js';
import { objectAddresses } from './object-addresses.js';

export const proposalContext = {
  andecha: 'https://andecha.org/ns#',
  andechaProposal: { '@id': 'andecha:proposal', '@type': '@json' },
} as const;

/** The Andecha extension of a proposal object: everything the design's home records. */
export interface ProposalExtension {
  /** the design proposed to: its actor at its home */
  design: string;
  author: { handle: string; actor: string };
  message: string;
  /** the fork's version proposed: the fork's design actor (on the proposing instance), the version and its object */
  from: { design: string; version: string; object: string; ref: string };
  /** that version's files as published, which the home's copy must hold byte for byte */
  files: { path: string; sha256: string; size: number }[];
}

const handlePattern = /^[a-z0-9][a-z0-9-]*$/;
/** Offers waiting here for the copy of their fork version, at most this many (the inbox queue retries them anyway). */
const maxWaiting = 1000;
const versionPattern = /^[0-9A-Za-z.+-]{1,100}$/;
const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export interface RemoteProposalsDeps {
  database: Database;
  config: Config;
  fed: AndechaFederation;
}

export class RemoteProposals {
  private readonly db;
  private readonly publicUrl: string;
  private readonly objects: ReturnType<typeof objectAddresses>;
  /** Offers whose fork version was still being copied, by `forkActor version`: taken again when the copy is made */
  private readonly waiting = new Map<string, Offer>();

  constructor(private readonly deps: RemoteProposalsDeps) {
    this.db = deps.database.db;
    this.publicUrl = deps.config.publicUrl;
    this.objects = objectAddresses(this.publicUrl, 'proposals');
  }

  /** The proposal object's id here. */
  objectUri(proposalId: string): string {
    return this.objects.uri(proposalId);
  }

  /** Serves proposal objects and takes the activities of this feature; call before the federation starts. */
  register(): void {
    const { fed } = this.deps;
    fed.federation.setObjectDispatcher(Article, '/ap/proposals/{id}', async (_ctx, values) => {
      const json = await this.proposalObject(values.id).catch(() => undefined);
      return json ? Article.fromJsonLd(json, {}) : null;
    });
    fed.inbox.offer.push((ctx, offer) => this.received(ctx, offer));
    fed.inbox.accept.push((_ctx, accept) => this.decided(accept));
    fed.inbox.reject.push((_ctx, reject) => this.decided(reject));
    fed.inbox.create.push((ctx, create) => this.commented(ctx, create));
  }

  /** After start: offers proposals whose Offer a stopped process never queued. */
  async resume(): Promise<void> {
    for (const id of await proposalsAwaitingOffer(this.db))
      await this.sendOffer(id).catch((err) => console.warn(`federation: proposal ${id} not offered: ${reasonOf(err)}`));
  }

  /** A proposal changed here (the hook of the proposal routes): send what crosses instances. */
  changed(proposalId: string, change: ProposalChange): void {
    const work =
      change.kind === 'proposed'
        ? this.sendOffer(proposalId)
        : change.kind === 'commented'
          ? this.sendComment(proposalId, change.commentId)
          : this.sendDecision(proposalId);
    void work.catch((err) =>
      console.warn(`federation: ${change.kind} proposal ${proposalId} not sent: ${reasonOf(err)}`),
    );
  }

  /**
   * A version was published here (the afterPublished hook): when it is the copy of a fork version an Offer waits
   * for, that Offer is taken now rather than at the inbox queue's next try, which backs off to tens of seconds.
   */
  versionPublished(design: DesignRow, version: string): void {
    const key = design.originActor && `${design.originActor} ${version}`;
    const offer = key && this.waiting.get(key);
    if (!key || !offer) return;
    this.waiting.delete(key);
    void this.received(this.deps.fed.context(), offer).catch((err) =>
      console.warn(`federation: proposal ${offer.objectId?.href} not taken yet: ${reasonOf(err)}`),
    );
  }

  // ── the fork's instance ──

  /** The object of a proposal made here to a mirrored design; undefined for anything else. */
  async proposalObject(proposalId: string): Promise<Record<string, unknown> | undefined> {
    const p = await findProposalById(this.db, proposalId);
    if (!p?.delivery) return undefined;
    const target = await findDesignById(this.db, p.designId);
    const [from] = await this.db.select().from(designVersions).where(eq(designVersions.id, p.fromVersionId)).limit(1);
    const fork = from && (await findDesignById(this.db, from.designId));
    if (!target.originActor || target.hidden || !fork || !(await federatedDesign(this.db, fork.ownerHandle, fork.slug)))
      return undefined;
    const [author] = await this.db.select({ handle: users.handle }).from(users).where(eq(users.id, p.authorId));
    const ctx = this.deps.fed.context();
    const actor = ctx.getActorUri(author.handle).href;
    const ref = formatVersionRef({ owner: fork.ownerHandle, slug: fork.slug, version: from.version });
    const extension: ProposalExtension = {
      design: target.originActor,
      author: { handle: author.handle, actor },
      message: p.message,
      from: {
        design: ctx.getActorUri(designIdentifier(fork.ownerHandle, fork.slug)).href,
        version: from.version,
        object: ctx.getObjectUri(Note, { owner: fork.ownerHandle, slug: fork.slug, version: from.version }).href,
        ref,
      },
      files: (await filesOf(this.db, from.id)).map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
    };
    return {
      '@context': [activityStreams, proposalContext],
      id: this.objectUri(p.id),
      type: 'Article',
      attributedTo: actor,
      to: [target.originActor],
      cc: [publicAudience],
      name: `Proposal: ${ref} to ${target.ownerHandle}/${target.slug}`,
      content: p.message,
      url: new URL(`/${fork.ownerHandle}/${fork.slug}`, this.publicUrl).href,
      published: p.createdAt.toISOString(),
      andechaProposal: extension,
    };
  }

  /** Offers a proposal made here to a mirrored design to that design's home, from the proposal's author. */
  private async sendOffer(proposalId: string): Promise<void> {
    const p = await findProposalById(this.db, proposalId);
    if (p?.delivery !== 'queued' || p.offeredAt) return;
    const target = await findDesignById(this.db, p.designId);
    if (!(await this.proposalObject(p.id))) {
      await setProposalDelivery(this.db, p.id, 'failed', 'Not sent: the fork is not shared with other instances');
      return;
    }
    const ctx = this.deps.fed.context();
    const inbox = await inboxOf(ctx, this.db, target.originActor!);
    if (!inbox) throw new Error(`${target.originActor} has no inbox`);
    const [author] = await this.db.select({ handle: users.handle }).from(users).where(eq(users.id, p.authorId));
    const object = new URL(this.objectUri(p.id));
    await ctx.sendActivity(
      { identifier: author.handle },
      { id: new URL(target.originActor!), inboxId: inbox },
      new Offer({
        id: new URL(`${object.href}#offer`),
        actor: ctx.getActorUri(author.handle),
        object,
        target: new URL(target.originActor!),
      }),
    );
    await markProposalOffered(this.db, p.id);
  }

  /**
   * The home's answer to one of our Offers, from the design's actor there: TentativeAccept (recorded), Accept (a
   * lead accepted it as the version it names), Reject by a lead (declined) or by the home itself (refused).
   */
  private async decided(answer: Accept | Reject): Promise<boolean> {
    const offer = answer.objectId;
    const id = this.objects.idOf(offer);
    if (!id || offer?.hash !== '#offer') return false;
    const p = await findProposalById(this.db, id);
    if (!p?.delivery || !answer.actorId || (await isBlocked(this.db, answer.actorId.host))) return true;
    const target = await findDesignById(this.db, p.designId);
    // only the design's actor at its home speaks for its leads
    if (target.originActor !== answer.actorId.href) return true;
    if (answer instanceof TentativeAccept) {
      if (p.delivery !== 'delivered') await setProposalDelivery(this.db, p.id, 'delivered');
      return true;
    }
    const lead = personOf(answer.actorId, answer.attributionId);
    const reason = answer.summary?.toString() ?? '';
    if (!lead) {
      if (answer instanceof Reject && p.state === 'open') await setProposalDelivery(this.db, p.id, 'failed', reason);
      return true;
    }
    const account = await ensureRemoteOwner(this.db, lead, answer.actorId.host);
    if (answer instanceof Reject) {
      await applyRemoteDecision(this.db, p, account, { state: 'declined', reason });
      return true;
    }
    const version = answer.name?.toString() ?? '';
    if (!versionPattern.test(version)) return true;
    const acceptedRef = formatVersionRef({ owner: target.ownerHandle, slug: target.slug, version });
    await applyRemoteDecision(this.db, p, account, { state: 'accepted', acceptedRef });
    return true;
  }

  // ── the design's home ──

  /** The proposal object at its author's instance, with its extension; the object must be the one named. */
  private async fetchProposal(object: URL, actor: URL): Promise<ProposalExtension> {
    const { document } = await fetchDocumentLoader(object.href, this.deps.config.federationAllowPrivate);
    const json = document as Record<string, unknown>;
    const ext = (json.andechaProposal ?? json['andecha:proposal']) as ProposalExtension | undefined;
    if (json.id !== object.href || !ext || typeof ext !== 'object' || !ext.from || typeof ext.from !== 'object')
      throw new AppError('unprocessable', msg('federation.offers.notAProposal', { object: object.href }));
    if (ext.author?.actor !== actor.href || json.attributedTo !== actor.href)
      throw new AppError(
        'forbidden',
        msg('federation.offers.notProposalBy', { object: object.href, actor: actor.href }),
      );
    if (!handlePattern.test(ext.author.handle ?? '') || !versionPattern.test(ext.from.version ?? ''))
      throw new AppError('unprocessable', msg('federation.offers.proposalUnusableName'));
    if (typeof ext.message !== 'string' || !ext.message || ext.message.length > 20_000 || !Array.isArray(ext.files))
      throw new AppError('unprocessable', msg('federation.offers.proposalNoMessage'));
    return ext;
  }

  /** An Offer of a proposal from another instance, to a design of this one. */
  private received(ctx: Context<void>, offer: Offer): Promise<boolean> {
    return takeOffer(this.db, ctx, offer, {
      path: /^\/ap\/proposals\/[^/]+$/,
      what: 'proposal',
      take: async ({ object, actorId, author, design: target, designActor }) => {
        const ext = await this.fetchProposal(object, actorId);
        if (ext.design !== designActor.href)
          throw new AppError('unprocessable', msg('federation.offers.proposalOtherDesign'));
        if (ext.author.handle !== author.preferredUsername?.toString())
          throw new AppError('forbidden', msg('federation.offers.proposalAuthor', { handle: ext.author.handle }));
        // an instance proposes only the forks that live on it
        if (new URL(ext.from.design).origin !== actorId.origin)
          throw new AppError(
            'forbidden',
            msg('federation.offers.forkElsewhere', { fork: ext.from.ref, host: actorId.host }),
          );
        const from = await this.forkVersion(target, ext).catch((err) => {
          if (err instanceof AppError && err.status === 503)
            this.waitForCopy(`${ext.from.design} ${ext.from.version}`, offer);
          throw err;
        });
        const account = await ensureRemoteOwner(this.db, ext.author.handle, actorId.host);
        await recordRemoteProposal(this.db, target, from, account, ext.message, {
          object: object.href,
          actor: actorId.href,
          inbox: author.inboxId.href,
        });
      },
      acknowledgement: (designActor, offer) =>
        new TentativeAccept({
          id: new URL(`#proposals/${crypto.randomUUID()}`, designActor),
          actor: designActor,
          object: offer,
        }),
    });
  }

  private waitForCopy(key: string, offer: Offer): void {
    if (this.waiting.size >= maxWaiting) this.waiting.delete(this.waiting.keys().next().value!);
    this.waiting.set(key, offer);
  }

  /**
   * This instance's verified copy of the proposed fork version, holding exactly the files the proposal names. While
   * the copy is still being made, 503: the inbox queue tries the Offer again later.
   */
  private async forkVersion(target: DesignRow, ext: ProposalExtension) {
    const fork = await findMirroredDesign(this.db, ext.from.design);
    if (!fork) throw new AppError('unavailable', msg('federation.offers.forkUnknown', { fork: ext.from.ref }));
    if (!(await inSameFamily(this.db, fork, target)))
      throw new AppError('unprocessable', msg('federation.offers.forkNotInFamily', { fork: ext.from.ref }));
    const copy = await findMirroredVersion(this.db, fork.id, ext.from.version);
    if (copy?.state === 'failed')
      throw new AppError(
        'unprocessable',
        copy.error
          ? msg('federation.offers.copyFailed', { fork: ext.from.ref, why: copy.error })
          : msg('federation.offers.copyFailedUnknown', { fork: ext.from.ref }),
      );
    // the copy's version exists once its verified files are committed (its state says complete a moment later)
    const from = copy ? await versionRow(this.db, fork, ext.from.version) : undefined;
    if (!from) throw new AppError('unavailable', msg('federation.offers.stillCopying', { fork: ext.from.ref }));
    const key = (f: { path: string; sha256: string }) => `${f.path}\u0000${f.sha256}`;
    const held = (await filesOf(this.db, from.id)).map(key).sort();
    const named = ext.files.map(key).sort();
    if (held.length !== named.length || held.some((k, i) => k !== named[i]))
      throw new AppError('unprocessable', msg('federation.offers.filesDiffer', { fork: ext.from.ref }));
    return from;
  }

  /** A lead here accepted or declined a proposal received from another instance: the author's instance hears. */
  private async sendDecision(proposalId: string): Promise<void> {
    const p = await findProposalById(this.db, proposalId);
    if (!p?.remoteObject || !p.remoteActor || !p.remoteInbox || p.state === 'open' || !p.decidedBy) return;
    const target = await findDesignById(this.db, p.designId);
    const [lead] = await this.db.select({ handle: users.handle }).from(users).where(eq(users.id, p.decidedBy));
    const ctx = this.deps.fed.context();
    const identifier = designIdentifier(target.ownerHandle, target.slug);
    const designActor = ctx.getActorUri(identifier);
    const common = {
      id: new URL(`#proposals/${p.id}/${p.state}`, designActor),
      actor: designActor,
      object: new URL(`${p.remoteObject}#offer`),
      attribution: ctx.getActorUri(lead.handle),
      to: new URL(p.remoteActor),
    };
    let answer: Accept | Reject;
    if (p.state === 'accepted') {
      const [v] = p.acceptedVersionId
        ? await this.db
            .select({ version: designVersions.version })
            .from(designVersions)
            .where(eq(designVersions.id, p.acceptedVersionId))
        : [];
      if (!v) return;
      answer = new Accept({ ...common, name: v.version });
    } else answer = new Reject({ ...common, summary: p.reason ?? '' });
    await ctx.sendActivity(
      { identifier },
      { id: new URL(p.remoteActor), inboxId: new URL(p.remoteInbox), endpoints: null },
      answer,
    );
  }

  // ── comments, both ways ──

  /**
   * A comment made here: on a proposal to a mirrored design it goes to the design's home from its author; on one
   * received from another instance it goes to the author's instance from the design's actor.
   */
  private async sendComment(proposalId: string, commentId: string): Promise<void> {
    const p = await findProposalById(this.db, proposalId);
    const c = await findComment(this.db, commentId);
    if (!p || !c || c.remoteNote) return;
    const target = await findDesignById(this.db, p.designId);
    const [author] = await this.db.select({ handle: users.handle }).from(users).where(eq(users.id, c.authorId));
    const ctx = this.deps.fed.context();
    const person = ctx.getActorUri(author.handle);
    if (p.delivery && p.delivery !== 'failed' && target.originActor) {
      const inbox = await inboxOf(ctx, this.db, target.originActor);
      if (!inbox) throw new Error(`${target.originActor} has no inbox`);
      const note = new URL(`${this.objectUri(p.id)}/comments/${c.id}`);
      await ctx.sendActivity(
        { identifier: author.handle },
        { id: new URL(target.originActor), inboxId: inbox },
        new Create({
          id: new URL(`${note.href}#create`),
          actor: person,
          to: new URL(target.originActor),
          object: new Note({
            id: note,
            attribution: person,
            replyTarget: new URL(this.objectUri(p.id)),
            to: new URL(target.originActor),
            content: c.body,
          }),
        }),
      );
    } else if (p.remoteObject && p.remoteActor && p.remoteInbox) {
      const identifier = designIdentifier(target.ownerHandle, target.slug);
      const designActor = ctx.getActorUri(identifier);
      const note = new URL(`/ap/proposal-comments/${c.id}`, this.publicUrl);
      await ctx.sendActivity(
        { identifier },
        { id: new URL(p.remoteActor), inboxId: new URL(p.remoteInbox), endpoints: null },
        new Create({
          id: new URL(`${note.href}#create`),
          actor: designActor,
          to: new URL(p.remoteActor),
          object: new Note({
            id: note,
            attribution: person,
            replyTarget: new URL(p.remoteObject),
            to: new URL(p.remoteActor),
            content: c.body,
          }),
        }),
      );
    }
  }

  /** A comment from the other side of a proposal, in reply to its object. */
  private async commented(ctx: InboxContext<void>, create: Create): Promise<boolean> {
    const note = await create.getObject(ctx).catch(() => null);
    if (!(note instanceof Note) || !note.replyTargetId || !note.id) return false;
    const actorId = create.actorId;
    const localId = this.objects.idOf(note.replyTargetId);
    const p = localId
      ? await findProposalById(this.db, localId)
      : await findRemoteProposal(this.db, note.replyTargetId.href);
    if (!p) {
      // a comment on a proposal of its sender's instance that is not recorded here yet (waiting for the copy of its
      // fork version): the inbox queue tries it again later
      const early =
        !localId &&
        actorId?.origin === note.replyTargetId.origin &&
        /^\/ap\/proposals\/[^/]+$/.test(note.replyTargetId.pathname);
      if (early) throw new Error(`comment on ${note.replyTargetId.href}, a proposal not recorded here yet`);
      return false;
    }
    if (!actorId || (await isBlocked(this.db, actorId.host))) return true;
    const body = note.content?.toString() ?? '';
    if (!body || body.length > 20_000) return true;
    let handle: string | undefined;
    if (localId) {
      // here the proposal is to a mirrored design: its actor at its home speaks for the people commenting there
      const target = await findDesignById(this.db, p.designId);
      if (!p.delivery || target.originActor !== actorId.href) return true;
      handle = personOf(actorId, note.attributionId);
    } else {
      // here the proposal was received: a person of the instance it came from comments as themself
      if (new URL(p.remoteObject!).origin !== actorId.origin || note.attributionId?.href !== actorId.href) return true;
      const actor = await create.getActor(ctx);
      const name = actor?.preferredUsername?.toString();
      handle = name && handlePattern.test(name) ? name : undefined;
    }
    if (!handle) return true;
    const author = await ensureRemoteOwner(this.db, handle, actorId.host);
    await addRemoteComment(this.db, p, author, body, note.id.href);
    return true;
  }
}
