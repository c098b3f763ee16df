// Build reports and reviews across instances. The reporting instance serves each report of a mirrored design as an
// object (`/ap/builds/{id}`, with the Andecha extension) and offers it to the design's home once its photos are made
// metadata-free; the home fetches the object from its author's instance, fetches each photo and keeps it only if its
// bytes hash to the sha256 the report names, records the report for its leads and answers Accept (or Reject, with the
// reason). Each review made at the home goes back as a Create of a Note in reply to the report, sent by the design's
// actor; an edit or resubmission by the author goes to the home as an Update of the report.
import {
  Accept,
  Create,
  Document,
  Note,
  Offer,
  Reject,
  Update,
  fetchDocumentLoader,
  type Context,
  type InboxContext,
  type Recipient,
} from '@fedify/fedify';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { AppError } from '../errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { BlobMismatchError, BlobTooLargeError, isSha256 } from '../storage/blob-store.js';
import { ensureRemoteOwner } from '../accounts/remote-owners.js';
import { findDesignById, type DesignRow } from '../registry/designs.js';
import type { BuildReport } from '../schema-types.js';
import { findReport, reportContext, type ReportRow } from '../builds/reports.js';
import { findWorkshopById } from '../builds/workshops.js';
import { photosOf } from '../builds/photo-records.js';
import { historyOf, type ReportState } from '../builds/transitions.js';
import { maxPhotoBytes, maxPhotosPerReport, sniffPhoto } from '../builds/photos.js';
import { validateReport } from '../builds/report-input.js';
import {
  applyRemoteReview,
  findRemoteReport,
  markOffered,
  recordRemoteReport,
  reportsAwaitingOffer,
  setDelivery,
  updateRemoteReport,
  type RemoteWorkshop,
} from '../builds/remote-reports.js';
import type { AndechaFederation } from './federation.js';
import { remoteFollows } from './tables.js';
import { isBlocked } from './blocks.js';
import { designIdentifier, instanceIdentifier, parseIdentifier } from './names.js';
import { federatedDesign, versionRow } from './local-designs.js';
import { activityStreams, publicAudience } from './version-object.js';
import { safeFetch, SafeFetchError } from './safe-fetch.js';

export const buildReportContext = {
  andecha: 'https://andecha.org/ns#',
  andechaBuildReport: { '@id': 'andecha:buildReport', '@type': '@json' },
} as const;

/** The Andecha extension of a report object: everything the design's home records. */
export interface BuildReportExtension {
  /** the design's actor at its home, and the version built */
  design: string;
  version: string;
  /** the report's state at the reporting instance: `submitted` again after a resubmission */
  state: ReportState;
  /** the author's comment on the last resubmission */
  comment?: string;
  author: { handle: string; actor: string };
  workshop: Omit<RemoteWorkshop, 'instance'>;
  report: BuildReport;
  /** the metadata-free originals, fetched by the home and kept only if they hash to sha256 */
  photos: { n: number; url: string; sha256: string; mediaType: string }[];
}

const reviewDecisions = ['approve', 'request-changes', 'reject'] as const;
type Decision = (typeof reviewDecisions)[number];
const handlePattern = /^[a-z0-9][a-z0-9-]*$/;
const photoWaitMs = 10 * 60_000;
const fetchTimeoutMs = 60_000;

export interface RemoteBuildsDeps {
  database: Database;
  config: Config;
  blobs: BlobStore;
  fed: AndechaFederation;
  /** wake the pipeline: photos of a received report were queued */
  wake(): void;
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class RemoteBuilds {
  private readonly db;
  private readonly publicUrl: string;
  private readonly waiting = new Set<string>();

  constructor(private readonly deps: RemoteBuildsDeps) {
    this.db = deps.database.db;
    this.publicUrl = deps.config.publicUrl;
  }

  /** The report object's id here. */
  objectUri(reportId: string): string {
    return new URL(`/ap/builds/${reportId}`, this.publicUrl).href;
  }

  /** The report id of one of this instance's report objects (an offer's id is the object's with a fragment). */
  private localReportId(uri: URL | null | undefined): string | undefined {
    if (!uri || uri.origin !== new URL(this.publicUrl).origin) return undefined;
    return /^\/ap\/builds\/([0-9a-f-]{36})$/.exec(uri.pathname)?.[1];
  }

  /** Serves report objects and takes the activities of this feature; call before the federation starts. */
  register(): void {
    const { fed } = this.deps;
    fed.federation.setObjectDispatcher(Document, '/ap/builds/{id}', async (_ctx, values) => {
      const json = await this.reportObject(values.id).catch(() => undefined);
      return json ? Document.fromJsonLd(json, {}) : null;
    });
    fed.inbox.offer.push((ctx, offer) => this.received(ctx, offer));
    fed.inbox.update.push((_ctx, update) => this.edited(update));
    fed.inbox.accept.push((_ctx, accept) => this.answered(accept, undefined));
    fed.inbox.reject.push((_ctx, reject) => this.answered(reject, reject.summary?.toString() ?? 'refused'));
    fed.inbox.create.push((ctx, create) => this.reviewArrived(ctx, create));
  }

  /** After start: offers reports whose Offer a stopped process never queued. */
  async resume(): Promise<void> {
    for (const id of await reportsAwaitingOffer(this.db)) this.offerWhenReady(id);
  }

  /** A report changed here (the hook of the builds routes): send what crosses instances. */
  changed(reportId: string, change: 'filed' | 'reviewed' | 'edited'): void {
    const later = (what: string, work: () => Promise<void>) =>
      void work().catch((err) =>
        console.warn(`federation: ${what} of build report ${reportId} not sent: ${reasonOf(err)}`),
      );
    if (change === 'filed') this.offerWhenReady(reportId);
    else if (change === 'reviewed') {
      later('review', () => this.sendReview(reportId));
      later('field data', () => this.sendFieldData(reportId));
    } else later('edit', () => this.sendEdit(reportId));
  }

  // ── the reporting instance ──

  /** The report object of a report filed here for a mirrored design; undefined for anything else. */
  async reportObject(reportId: string): Promise<Record<string, unknown> | undefined> {
    const r = await findReport(this.db, reportId).catch(() => undefined);
    if (!r || r.hidden || !r.delivery) return undefined;
    const design = await findDesignById(this.db, r.designId);
    if (!design.originActor || design.hidden) return undefined;
    const c = await reportContext(this.db, r);
    const w = await findWorkshopById(this.db, r.workshopId);
    if (!w) return undefined;
    const history = await historyOf(this.db, r.id);
    const last = history.at(-1);
    const ctx = this.deps.fed.context();
    const actor = ctx.getActorUri(c.author).href;
    const photos = (await photosOf(this.db, r.id)).flatMap((p) => {
      const original = Object.entries(p.variants).find(([k]) => k.startsWith('original.'));
      if (p.state !== 'done' || !original) return [];
      const ext = original[0].split('.')[1];
      return [
        {
          n: p.n,
          url: new URL(`/api/builds/${r.id}/photos/${p.n}/original`, this.publicUrl).href,
          sha256: original[1],
          mediaType: `image/${ext}`,
        },
      ];
    });
    const extension: BuildReportExtension = {
      design: design.originActor,
      version: c.version,
      state: r.state as ReportState,
      ...(last?.action === 'resubmit' ? { comment: last.comment } : {}),
      author: { handle: c.author, actor },
      workshop: {
        slug: w.slug,
        name: w.name,
        place: { city: w.city, ...(w.region ? { region: w.region } : {}), country: w.country },
      },
      report: reportBody(r, w.slug),
      photos,
    };
    return {
      '@context': [activityStreams, buildReportContext],
      id: this.objectUri(r.id),
      type: 'Document',
      attributedTo: actor,
      to: [design.originActor],
      cc: [publicAudience],
      name: `Build report: ${c.owner}/${c.slug} ${c.version} at ${w.name}`,
      url: new URL(`/reviews?build=${r.id}`, this.publicUrl).href,
      published: r.createdAt.toISOString(),
      updated: r.updatedAt.toISOString(),
      andechaBuildReport: extension,
    };
  }

  /** Waits for the report's photos (the home fetches their metadata-free originals), then queues the Offer. */
  private offerWhenReady(reportId: string): void {
    if (this.waiting.has(reportId)) return;
    this.waiting.add(reportId);
    void (async () => {
      const deadline = Date.now() + photoWaitMs;
      for (;;) {
        const photos = await photosOf(this.db, reportId);
        if (photos.every((p) => p.state === 'done' || p.state === 'failed') || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await this.sendOffer(reportId);
    })()
      .catch((err) => console.warn(`federation: build report ${reportId} not offered: ${reasonOf(err)}`))
      .finally(() => this.waiting.delete(reportId));
  }

  /** The design's home inbox: the one its follow found, else its actor document's. */
  private async homeOf(ctx: Context<void>, design: DesignRow): Promise<Recipient> {
    const actor = design.originActor!;
    const [follow] = await this.db.select().from(remoteFollows).where(eq(remoteFollows.actorUri, actor)).limit(1);
    if (follow) return { id: new URL(actor), inboxId: new URL(follow.inbox), endpoints: null };
    const doc = await ctx.lookupObject(actor);
    const inbox = doc && 'inboxId' in doc ? (doc.inboxId as URL | null) : null;
    if (!inbox) throw new Error(`${actor} has no inbox`);
    return { id: new URL(actor), inboxId: inbox, endpoints: null };
  }

  /** Sends from the report's author to its design's home what `activity` makes of the author's actor and the object. */
  private async toHome(
    r: ReportRow,
    activity: (actor: URL, object: URL, design: string) => Offer | Update,
  ): Promise<boolean> {
    const design = await findDesignById(this.db, r.designId);
    if (!design.originActor) return false;
    const author = (await reportContext(this.db, r)).author;
    const ctx = this.deps.fed.context();
    await ctx.sendActivity(
      { identifier: author },
      await this.homeOf(ctx, design),
      activity(ctx.getActorUri(author), new URL(this.objectUri(r.id)), design.originActor),
    );
    return true;
  }

  private async sendOffer(reportId: string): Promise<void> {
    const r = await findReport(this.db, reportId);
    if (r.delivery !== 'queued') return;
    const sent = await this.toHome(
      r,
      (actor, object, design) =>
        new Offer({ id: new URL(`${object.href}#offer`), actor, object, target: new URL(design) }),
    );
    if (sent) await markOffered(this.db, r.id);
  }

  /** The author edited or resubmitted a delivered report: the home gets an Update of the object. */
  private async sendEdit(reportId: string): Promise<void> {
    const r = await findReport(this.db, reportId);
    if (!r.delivery) return;
    if (r.delivery !== 'delivered') {
      // not recorded there yet: the Offer (queued or sent) carries the object as it is when fetched
      if (!r.offeredAt) this.offerWhenReady(r.id);
      return;
    }
    await this.toHome(
      r,
      (actor, object) => new Update({ id: new URL(`${object.href}#updates/${Date.now()}`), actor, object }),
    );
  }

  /** The home's Accept or Reject of one of our Offers: the report is delivered, or failed with the home's reason. */
  private async answered(answer: Accept | Reject, refusal: string | undefined): Promise<boolean> {
    const id = this.localReportId(answer.objectId ? new URL(answer.objectId.href.replace(/#.*$/, '')) : null);
    if (!id || !answer.objectId?.hash.startsWith('#offer')) return false;
    const r = await findReport(this.db, id).catch(() => undefined);
    if (!r?.delivery || !answer.actorId) return true;
    const design = await findDesignById(this.db, r.designId);
    // only the design's home answers for it
    if (design.originActor !== answer.actorId.href || (await isBlocked(this.db, answer.actorId.host))) return true;
    await setDelivery(this.db, r.id, refusal === undefined ? 'delivered' : 'failed', refusal ?? null);
    return true;
  }

  /** A review made at the home, sent by the design's actor: applied here as made there. */
  private async reviewArrived(ctx: InboxContext<void>, create: Create): Promise<boolean> {
    const note = await create.getObject(ctx).catch(() => null);
    if (!(note instanceof Note)) return false;
    const id = this.localReportId(note.replyTargetId);
    if (!id) return false;
    const actorId = create.actorId;
    const r = await findReport(this.db, id).catch(() => undefined);
    if (!r?.delivery || !actorId || (await isBlocked(this.db, actorId.host))) return true;
    const design = await findDesignById(this.db, r.designId);
    // the design's actor at its home is the only one that speaks for its leads; anyone else is ignored
    if (design.originActor !== actorId.href) return true;
    const decision = note.name?.toString() as Decision;
    if (!reviewDecisions.includes(decision)) return true;
    const reviewerUri = note.attributionId;
    const reviewerName =
      reviewerUri?.origin === actorId.origin ? /^\/ap\/actors\/([^/]+)$/.exec(reviewerUri.pathname)?.[1] : undefined;
    const reviewer = reviewerName ? parseIdentifier(decodeURIComponent(reviewerName)) : undefined;
    if (reviewer?.kind !== 'person') return true;
    const account = await ensureRemoteOwner(this.db, reviewer.handle, actorId.host);
    if (r.delivery !== 'delivered') await setDelivery(this.db, r.id, 'delivered');
    await applyRemoteReview(this.db, r, account, decision, note.content?.toString() ?? '');
    return true;
  }

  // ── the design's home ──

  /** The report object at its author's instance, with its extension; the object must be the one named. */
  private async fetchReport(object: URL, actor: URL): Promise<BuildReportExtension> {
    const { document } = await fetchDocumentLoader(object.href, this.deps.config.federationAllowPrivate);
    const json = document as Record<string, unknown>;
    const ext = (json.andechaBuildReport ?? json['andecha:buildReport']) as BuildReportExtension | undefined;
    if (json.id !== object.href || !ext || typeof ext !== 'object')
      throw new AppError('unprocessable', `${object.href} is not a build report`);
    if (ext.author?.actor !== actor.href || json.attributedTo !== actor.href)
      throw new AppError('forbidden', `${object.href} is not a report by ${actor.href}`);
    if (!handlePattern.test(ext.author.handle ?? '') || !handlePattern.test(ext.workshop?.slug ?? ''))
      throw new AppError('unprocessable', 'The report names its author or workshop with an unusable name');
    if (!Array.isArray(ext.photos) || ext.photos.length > maxPhotosPerReport)
      throw new AppError('unprocessable', `A report has at most ${maxPhotosPerReport} photos`);
    return ext;
  }

  /** An Offer of a build report from another instance, for a design of this one. */
  private async received(ctx: InboxContext<void>, offer: Offer): Promise<boolean> {
    const object = offer.objectId;
    if (!object || !/^\/ap\/builds\/[^/]+$/.test(object.pathname)) return false;
    const actorId = offer.actorId;
    // a report is offered by its author, from the instance that serves it; anything else is not taken
    if (!actorId || object.origin !== actorId.origin || !offer.id || (await isBlocked(this.db, actorId.host)))
      return true;
    const author = await offer.getActor(ctx);
    if (!author?.id || !author.inboxId) return true;
    // refused by the design's actor (the one the reporting instance trusts for it), or the instance's for no design
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
    const design = name?.kind === 'design' ? await federatedDesign(this.db, name.owner, name.slug) : undefined;
    if (!design) {
      await refuse(instanceIdentifier, 'The report names no design of this instance');
      return true;
    }
    const identifier = designIdentifier(design.ownerHandle, design.slug);
    const designActor = ctx.getActorUri(identifier);
    try {
      const ext = await this.fetchReport(object, actorId);
      if (ext.design !== designActor.href) throw new AppError('unprocessable', 'The report is of another design');
      // the author's name here is the one its own actor document gives, never one the report merely claims
      if (ext.author.handle !== author.preferredUsername?.toString())
        throw new AppError('forbidden', `The report names its author ${ext.author.handle}, not its actor`);
      const version = await versionRow(this.db, design, ext.version);
      if (!version)
        throw new AppError('not-found', `${design.ownerHandle}/${design.slug} has no version ${ext.version}`);
      const report = validateReport(ext.report);
      const instance = actorId.host;
      const account = await ensureRemoteOwner(this.db, ext.author.handle, instance);
      const photos = [];
      for (const p of ext.photos) photos.push(await this.fetchPhoto(p));
      await recordRemoteReport(
        this.db,
        design,
        version,
        account,
        { ...ext.workshop, instance },
        report,
        { object: object.href, actor: actorId.href, inbox: author.inboxId.href },
        photos,
      );
      this.deps.wake();
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err; // retried by the inbox queue
      await refuse(identifier, err.message);
      return true;
    }
    await ctx.sendActivity(
      { identifier },
      author,
      new Accept({
        id: new URL(`#accepts/${crypto.randomUUID()}`, designActor),
        actor: designActor,
        object: offer,
      }),
    );
    return true;
  }

  /** One photo of a received report, kept only if its bytes hash to the sha256 the report names. */
  private async fetchPhoto(p: BuildReportExtension['photos'][number]) {
    if (!p || typeof p.url !== 'string' || !isSha256(p.sha256 ?? ''))
      throw new AppError('unprocessable', 'A photo of the report has no URL or no valid sha256');
    const label = `photo ${p.n}`;
    try {
      const res = await safeFetch(p.url, {
        allowPrivate: this.deps.config.federationAllowPrivate,
        timeoutMs: fetchTimeoutMs,
        maxBytes: maxPhotoBytes,
      });
      const blob = await this.deps.blobs.put(res.body, { maxBytes: maxPhotoBytes, expectSha256: p.sha256 });
      const head = await this.deps.blobs.get(blob.sha256, { start: 0, end: Math.min(blob.size, 4096) - 1 });
      const chunks: Buffer[] = [];
      for await (const c of head) chunks.push(c as Buffer);
      return { ...blob, format: sniffPhoto(Buffer.concat(chunks), label) };
    } catch (err) {
      if (err instanceof BlobMismatchError) throw new AppError('unprocessable', `${label}: ${err.message}`);
      if (err instanceof BlobTooLargeError) throw new AppError('unprocessable', `${label} is too large`);
      if (err instanceof SafeFetchError && !err.retryable)
        throw new AppError('unprocessable', `${label}: ${err.message}`);
      throw err;
    }
  }

  /** The author edited or resubmitted a report received here: the object is fetched again from its instance. */
  private async edited(update: Update): Promise<boolean> {
    const object = update.objectId;
    if (!object || !/^\/ap\/builds\/[^/]+$/.test(object.pathname)) return false;
    const r = await findRemoteReport(this.db, object.href);
    // only the report's own author changes it
    if (!r || !update.actorId || r.remoteActor !== update.actorId.href) return true;
    if (await isBlocked(this.db, update.actorId.host)) return true;
    const ext = await this.fetchReport(object, update.actorId);
    const author = await ensureRemoteOwner(this.db, ext.author.handle, update.actorId.host);
    if (author.id !== r.authorId) return true;
    try {
      await updateRemoteReport(this.db, r, author, validateReport(ext.report), ext.state, ext.comment ?? 'resubmitted');
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      console.warn(`federation: the edit of ${object.href} was not applied: ${err.message}`);
    }
    return true;
  }

  /** A review changed the version's field data: followers get the version again (an Update), its figures with it. */
  private async sendFieldData(reportId: string): Promise<void> {
    const r = await findReport(this.db, reportId);
    const c = await reportContext(this.db, r);
    await this.deps.fed.versionChanged(await findDesignById(this.db, r.designId), c.version, 'updated');
  }

  /** A lead reviewed a report received from another instance: the review goes back to the author's inbox. */
  private async sendReview(reportId: string): Promise<void> {
    const r = await findReport(this.db, reportId);
    if (!r.remoteObject || !r.remoteActor || !r.remoteInbox) return;
    const design = await findDesignById(this.db, r.designId);
    const last = (await historyOf(this.db, r.id)).at(-1);
    if (!last || !reviewDecisions.includes(last.action as Decision)) return;
    const ctx = this.deps.fed.context();
    const identifier = designIdentifier(design.ownerHandle, design.slug);
    const designActor = ctx.getActorUri(identifier);
    const reviewId = new URL(`/ap/builds/${r.id}/reviews/${Date.parse(last.at)}`, this.publicUrl);
    await ctx.sendActivity(
      { identifier },
      { id: new URL(r.remoteActor), inboxId: new URL(r.remoteInbox), endpoints: null },
      new Create({
        id: new URL(`${reviewId.href}#create`),
        actor: designActor,
        to: new URL(r.remoteActor),
        object: new Note({
          id: reviewId,
          attribution: ctx.getActorUri(last.by),
          replyTarget: new URL(r.remoteObject),
          to: new URL(r.remoteActor),
          name: last.action,
          content: last.comment,
        }),
      }),
    );
  }
}

/** A report's fields as the build-report schema has them (the workshop by its slug at the reporting instance). */
function reportBody(r: ReportRow, workshop: string): BuildReport {
  const body: Record<string, unknown> = { workshop, outcome: r.outcome };
  if (r.startedOn) body.startedOn = r.startedOn;
  if (r.finishedOn) body.finishedOn = r.finishedOn;
  if (r.hours !== null) body.hours = Number(r.hours);
  if (r.unitsBuilt !== null) body.unitsBuilt = r.unitsBuilt;
  if (r.costAmount !== null && r.costCurrency) body.cost = { amount: r.costAmount, currency: r.costCurrency };
  if (r.lines.length) body.lines = r.lines;
  if (r.deviations) body.deviations = r.deviations;
  if (r.safetyNotes) body.safetyNotes = r.safetyNotes;
  if (r.notes) body.notes = r.notes;
  return body as unknown as BuildReport;
}
