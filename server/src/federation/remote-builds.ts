// Build reports and reviews across instances. The reporting instance serves each report of a mirrored design as an
// object (`/ap/builds/{id}`, with the Andecha extension) and offers it to the design's home once its photos are made
// metadata-free; the home fetches the object from its author's instance, fetches each photo and keeps it only if its
// bytes hash to the sha256 the report names, records the report for its leads and answers Accept (or Reject, with the
// reason). Each review made at the home goes back as a Create of a Note in reply to the report, sent by the design's
// actor, its line remarks and safety check as attachments; an edit or resubmission by the author, and photos added
// after the Offer (once made metadata-free), go to the home as an Update of the report, where new photos are fetched
// and verified by sha256 as the first ones were.
import {
  Accept,
  Create,
  Document,
  Note,
  Offer,
  PropertyValue,
  Reject,
  Update,
  fetchDocumentLoader,
  isActor,
  type Context,
  type InboxContext,
  type Recipient,
} from '@fedify/fedify';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { AppError, msg } from '../errors.js';
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
  addReceivedPhotos,
  applyRemoteReview,
  findRemoteReport,
  markOffered,
  recordRemoteReport,
  reportsAwaitingOffer,
  setDelivery,
  updateRemoteReport,
  type ReceivedPhoto,
  type RemoteWorkshop,
} from '../builds/remote-reports.js';
import type { AndechaFederation } from './federation.js';
import { remoteFollows } from './tables.js';
import { isBlocked } from './blocks.js';
import { designIdentifier, instanceIdentifier, personOf } from './names.js';
import { versionRow } from './local-designs.js';
import { takeOffer } from './offer-intake.js';
import { activityStreams, publicAudience } from './version-object.js';
import { safeFetch, SafeFetchError } from './safe-fetch.js';
import { objectAddresses } from './object-addresses.js';

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
/** a review's remark and safety check travel as PropertyValue attachments of its Note (kept by every compaction) */
const remarkName = 'andecha:remark';
const safetyCheckedName = 'andecha:safetyChecked';
const maxRemarks = 500;
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
  private readonly objects: ReturnType<typeof objectAddresses>;
  private readonly waiting = new Set<string>();

  constructor(private readonly deps: RemoteBuildsDeps) {
    this.db = deps.database.db;
    this.publicUrl = deps.config.publicUrl;
    this.objects = objectAddresses(this.publicUrl, 'builds');
  }

  /** The report object's id here. */
  objectUri(reportId: string): string {
    return this.objects.uri(reportId);
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
    } else this.whenPhotosSettled(reportId, 'edit', () => this.sendEdit(reportId)); // added photos go with it
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
        place: {
          city: w.city,
          ...(w.region ? { region: w.region } : {}),
          country: w.country,
          ...(w.lat !== null && w.lon !== null ? { lat: w.lat, lon: w.lon } : {}),
        },
        processes: w.processes,
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
    this.whenPhotosSettled(reportId, 'offer', () => this.sendOffer(reportId));
  }

  /** Runs `send` once every photo of the report is processed or failed (one wait per report and purpose). */
  private whenPhotosSettled(reportId: string, what: 'offer' | 'edit', send: () => Promise<void>): void {
    const key = `${what}:${reportId}`;
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    void (async () => {
      const deadline = Date.now() + photoWaitMs;
      for (;;) {
        const photos = await photosOf(this.db, reportId);
        if (photos.every((p) => p.state === 'done' || p.state === 'failed') || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // taken off first: a change made while this one is sent waits again and is sent after it
      this.waiting.delete(key);
      await send();
    })().catch((err) => {
      this.waiting.delete(key);
      console.warn(`federation: ${what} of build report ${reportId} not sent: ${reasonOf(err)}`);
    });
  }

  /**
   * The design's home inboxes: the ones its follow found, else its actor document's. Sent to the shared one where
   * there is one: a design its home stopped federating has no inbox of its own any more, and the home's shared inbox
   * still answers with the reason.
   */
  private async homeOf(ctx: Context<void>, design: DesignRow): Promise<Recipient> {
    const actor = design.originActor!;
    const [follow] = await this.db.select().from(remoteFollows).where(eq(remoteFollows.actorUri, actor)).limit(1);
    const lookup = (uri: string) =>
      ctx.lookupObject(uri).then(
        (o) => (isActor(o) ? o : null),
        () => null,
      );
    // the design's actor, else its home's instance actor: either names the home's shared inbox
    const doc = (await lookup(actor)) ?? (await lookup(new URL(`/ap/actors/${instanceIdentifier}`, actor).href));
    const inbox = follow ? new URL(follow.inbox) : doc?.id?.href === actor ? doc.inboxId : null;
    if (!inbox) throw new Error(`${actor} has no inbox`);
    const sharedInbox = doc?.endpoints?.sharedInbox;
    return { id: new URL(actor), inboxId: inbox, endpoints: sharedInbox ? { sharedInbox } : null };
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
      { preferSharedInbox: true },
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
    const id = this.objects.idOf(answer.objectId);
    if (!id || !answer.objectId?.hash.startsWith('#offer')) return false;
    const r = await findReport(this.db, id).catch(() => undefined);
    if (!r?.delivery || !answer.actorId) return true;
    const design = await findDesignById(this.db, r.designId);
    // only the design's home answers for it: its actor, or for a refusal the home's instance actor (a design no longer
    // federated there has no actor to refuse with)
    if (!design.originActor) return true;
    const homeInstanceActor = new URL(`/ap/actors/${instanceIdentifier}`, design.originActor).href;
    const speaksForHome =
      design.originActor === answer.actorId.href ||
      (refusal !== undefined && answer.actorId.href === homeInstanceActor);
    if (!speaksForHome || (await isBlocked(this.db, answer.actorId.host))) return true;
    await setDelivery(this.db, r.id, refusal === undefined ? 'delivered' : 'failed', refusal ?? null);
    // photos added while the Offer travelled may have been made after the home fetched the report: send it again
    const offeredAt = r.offeredAt?.getTime() ?? 0;
    if (refusal === undefined && (await photosOf(this.db, r.id)).some((p) => p.createdAt.getTime() >= offeredAt))
      this.whenPhotosSettled(r.id, 'edit', () => this.sendEdit(r.id));
    return true;
  }

  /** A review made at the home, sent by the design's actor: applied here as made there. */
  private async reviewArrived(ctx: InboxContext<void>, create: Create): Promise<boolean> {
    const note = await create.getObject(ctx).catch(() => null);
    if (!(note instanceof Note)) return false;
    const id = this.objects.idOf(note.replyTargetId);
    if (!id) return false;
    const actorId = create.actorId;
    const r = await findReport(this.db, id).catch(() => undefined);
    if (!r?.delivery || !actorId || (await isBlocked(this.db, actorId.host))) return true;
    const design = await findDesignById(this.db, r.designId);
    // the design's actor at its home is the only one that speaks for its leads; anyone else is ignored
    if (design.originActor !== actorId.href) return true;
    const decision = note.name?.toString() as Decision;
    if (!reviewDecisions.includes(decision)) return true;
    const reviewer = personOf(actorId, note.attributionId);
    if (!reviewer) return true;
    const account = await ensureRemoteOwner(this.db, reviewer, actorId.host);
    if (r.delivery !== 'delivered') await setDelivery(this.db, r.id, 'delivered');
    await applyRemoteReview(this.db, r, account, decision, {
      comment: note.content?.toString() ?? '',
      ...(await reviewDetails(note, ctx)),
    });
    return true;
  }

  // ── the design's home ──

  /** The report object at its author's instance, with its extension; the object must be the one named. */
  private async fetchReport(object: URL, actor: URL): Promise<BuildReportExtension> {
    const { document } = await fetchDocumentLoader(object.href, this.deps.config.federationAllowPrivate);
    const json = document as Record<string, unknown>;
    const ext = (json.andechaBuildReport ?? json['andecha:buildReport']) as BuildReportExtension | undefined;
    if (json.id !== object.href || !ext || typeof ext !== 'object')
      throw new AppError('unprocessable', msg('federation.offers.notAReport', { object: object.href }));
    if (ext.author?.actor !== actor.href || json.attributedTo !== actor.href)
      throw new AppError('forbidden', msg('federation.offers.notReportBy', { object: object.href, actor: actor.href }));
    if (!handlePattern.test(ext.author.handle ?? '') || !handlePattern.test(ext.workshop?.slug ?? ''))
      throw new AppError('unprocessable', msg('federation.offers.reportUnusableName'));
    if (!Array.isArray(ext.photos) || ext.photos.length > maxPhotosPerReport)
      throw new AppError('unprocessable', msg('federation.offers.reportPhotos', { limit: maxPhotosPerReport }));
    return ext;
  }

  /** An Offer of a build report from another instance, for a design of this one. */
  private received(ctx: InboxContext<void>, offer: Offer): Promise<boolean> {
    return takeOffer(this.db, ctx, offer, {
      path: /^\/ap\/builds\/[^/]+$/,
      what: 'report',
      take: async ({ object, actorId, author, design, designActor }) => {
        const ext = await this.fetchReport(object, actorId);
        if (ext.design !== designActor.href)
          throw new AppError('unprocessable', msg('federation.offers.reportOtherDesign'));
        // the author's name here is the one its own actor document gives, never one the report merely claims
        if (ext.author.handle !== author.preferredUsername?.toString())
          throw new AppError('forbidden', msg('federation.offers.reportAuthor', { handle: ext.author.handle }));
        const version = await versionRow(this.db, design, ext.version);
        if (!version)
          throw new AppError(
            'not-found',
            msg('federation.offers.noVersion', {
              design: `${design.ownerHandle}/${design.slug}`,
              version: ext.version,
            }),
          );
        const report = validateReport(ext.report);
        const instance = actorId.host;
        const account = await ensureRemoteOwner(this.db, ext.author.handle, instance);
        const photos: ReceivedPhoto[] = [];
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
      },
      acknowledgement: (designActor, offer) =>
        new Accept({
          id: new URL(`#accepts/${crypto.randomUUID()}`, designActor),
          actor: designActor,
          object: offer,
        }),
    });
  }

  /** One photo of a received report, kept only if its bytes hash to the sha256 the report names. */
  private async fetchPhoto(p: BuildReportExtension['photos'][number]): Promise<ReceivedPhoto> {
    if (!p || typeof p.url !== 'string' || !isSha256(p.sha256 ?? ''))
      throw new AppError('unprocessable', msg('federation.offers.photoNoUrl'));
    if (!Number.isInteger(p.n) || p.n < 1 || p.n > 10_000)
      throw new AppError('unprocessable', msg('federation.offers.photoNoNumber'));
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
      return { ...blob, n: p.n, format: sniffPhoto(Buffer.concat(chunks), label) };
    } catch (err) {
      if (err instanceof BlobMismatchError)
        throw new AppError('unprocessable', msg('federation.offers.photoFailed', { n: String(p.n), why: err.message }));
      if (err instanceof BlobTooLargeError)
        throw new AppError('unprocessable', msg('federation.offers.photoTooLarge', { n: String(p.n) }));
      if (err instanceof SafeFetchError && !err.retryable)
        throw new AppError('unprocessable', msg('federation.offers.photoFailed', { n: String(p.n), why: err.message }));
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
      const updated = await updateRemoteReport(
        this.db,
        r,
        author,
        validateReport(ext.report),
        ext.state,
        ext.comment ?? 'resubmitted',
      );
      // photos the author added since: the ones this copy lacks, each verified by its sha256
      const held = new Set((await photosOf(this.db, r.id)).map((p) => p.n));
      const added: ReceivedPhoto[] = [];
      for (const p of ext.photos) if (!held.has(p?.n)) added.push(await this.fetchPhoto(p));
      if (await addReceivedPhotos(this.db, updated, added)) this.deps.wake();
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
          attachments: [
            ...(last.remarks ?? []).map((m) => new PropertyValue({ name: remarkName, value: JSON.stringify(m) })),
            ...(last.safetyChecked !== undefined
              ? [new PropertyValue({ name: safetyCheckedName, value: String(last.safetyChecked) })]
              : []),
          ],
        }),
      }),
    );
  }
}

/** The line remarks and safety check a review Note carries (well-formed ones only, as review-create allows them). */
async function reviewDetails(
  note: Note,
  ctx: InboxContext<void>,
): Promise<{ remarks: Record<string, unknown>[]; safetyChecked?: boolean }> {
  const remarks: Record<string, unknown>[] = [];
  let safetyChecked: boolean | undefined;
  for await (const a of note.getAttachments(ctx)) {
    if (!(a instanceof PropertyValue) || typeof a.value !== 'string') continue;
    const name = a.name?.toString();
    if (name === safetyCheckedName && (a.value === 'true' || a.value === 'false')) safetyChecked = a.value === 'true';
    if (name !== remarkName || remarks.length >= maxRemarks) continue;
    const remark = parseRemark(a.value);
    if (remark) remarks.push(remark);
  }
  return { remarks, ...(safetyChecked !== undefined ? { safetyChecked } : {}) };
}

function parseRemark(text: string): Record<string, unknown> | undefined {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!m || typeof m !== 'object') return undefined;
  const { field, line, message } = m as Record<string, unknown>;
  const short = (v: unknown) => v === undefined || (typeof v === 'string' && v.length <= 100);
  if (typeof message !== 'string' || !message || message.length > 5000 || !short(field) || !short(line))
    return undefined;
  return { ...(field ? { field } : {}), ...(line ? { line } : {}), message };
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
