// Build reports that cross instances. At a design's home: reports other instances filed, recorded with their remote
// author and workshop, and the resubmissions their authors send. At the reporting instance: each report's delivery
// state, and the reviews its design's home sends back.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.js';
import { AppError, composed, msg } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import type { DesignRow } from '../registry/designs.js';
import type { VersionRow } from '../registry/versions.js';
import type { BuildReport } from '../schema-types.js';
import { normaliseProcess } from '../bom/kernel/processes.js';
import { buildReports, workshops } from './tables.js';
import { roundCoordinate } from './geo.js';
import { addPhotos, photosOf, type UploadedPhoto } from './photo-records.js';
import { checkDates, checkLines, newReportValues, reportColumns, type ReportRow } from './reports.js';
import { applyTransition, editableStates, recordSubmission, type ReportState } from './transitions.js';
import { notifyBuildReport } from './report-notifications.js';

/** A workshop of another instance as its report describes it. */
export interface RemoteWorkshop {
  slug: string;
  name: string;
  instance: string;
  place: { city: string; region?: string | null; country: string; lat?: number | null; lon?: number | null };
  /** what it makes: with its place, what lets the production network here count it */
  processes?: string[];
}

/** A photo of a received report, fetched and verified, numbered as its author's instance numbers it. */
export interface ReceivedPhoto extends UploadedPhoto {
  n: number;
}

/** Where a received report came from: its object at the reporting instance, its author's actor and inbox. */
export interface RemoteOrigin {
  object: string;
  actor: string;
  inbox: string;
}

/** The row standing for a workshop of another instance (slug `name@instance`), its name and place kept current. */
async function ensureRemoteWorkshop(tx: Executor, w: RemoteWorkshop, createdBy: string) {
  const slug = `${w.slug}@${w.instance}`;
  const coordinate = (v: unknown, limit: number) =>
    typeof v === 'number' && Math.abs(v) <= limit ? roundCoordinate(v) : null;
  const processes = (Array.isArray(w.processes) ? w.processes : [])
    .slice(0, 100)
    .map((p) => normaliseProcess(String(p)));
  const place = {
    name: w.name,
    city: w.place.city,
    region: w.place.region ?? null,
    country: w.place.country,
    lat: coordinate(w.place.lat, 90),
    lon: coordinate(w.place.lon, 180),
    // the words of this instance's vocabulary; ones it does not know are left out
    processes: [...new Set(processes.filter((p) => p !== undefined))],
  };
  const [row] = await tx
    .insert(workshops)
    .values({ slug, ...place, remoteInstance: w.instance, createdBy })
    .onConflictDoUpdate({ target: workshops.slug, set: place, where: eq(workshops.remoteInstance, w.instance) })
    .returning();
  if (!row) throw new AppError('conflict', msg('builds.workshopElsewhere', { slug, instance: w.instance }));
  return row;
}

export async function findRemoteReport(db: Executor, remoteObject: string): Promise<ReportRow | undefined> {
  const [row] = await db.select().from(buildReports).where(eq(buildReports.remoteObject, remoteObject)).limit(1);
  return row;
}

/**
 * A report another instance filed for a version of a design here, in one transaction with its photos (already
 * fetched and verified) and their process-photo jobs. Delivered twice, the first one stands. The same checks as a
 * local report: a published version, dates in order, BOM lines of this version.
 */
export async function recordRemoteReport(
  db: Db,
  design: DesignRow,
  version: VersionRow,
  author: Caller,
  workshop: RemoteWorkshop,
  report: BuildReport,
  origin: RemoteOrigin,
  photos: readonly ReceivedPhoto[],
): Promise<ReportRow> {
  const known = await findRemoteReport(db, origin.object);
  if (known) return known;
  if (version.state !== 'published')
    throw new AppError(
      'conflict',
      composed('builds.notRecorded', {
        version: version.version,
        state: msg('states.version', { state: version.state }),
      }),
    );
  checkDates(report.startedOn, report.finishedOn);
  return db.transaction(async (tx) => {
    const w = await ensureRemoteWorkshop(tx, workshop, author.id);
    await checkLines(tx, version.id, report.lines, '/report/lines');
    const [row] = await tx
      .insert(buildReports)
      .values({
        ...(await newReportValues(tx, design, version, w, author.id, report)),
        remoteObject: origin.object,
        remoteActor: origin.actor,
        remoteInbox: origin.inbox,
      })
      .onConflictDoNothing({ target: buildReports.remoteObject })
      .returning();
    if (!row) return (await findRemoteReport(tx, origin.object))!;
    await recordSubmission(tx, row.id, author.id);
    for (const p of photos) await addPhotos(tx, row.id, [p], p.n);
    await notifyBuildReport(tx, design, version.version, row);
    return row;
  });
}

/**
 * The author edited a received report at home: while it awaits review its fields change; after changes were
 * requested it is resubmitted with them. Anything else (decided, or the same state again) changes nothing.
 */
export async function updateRemoteReport(
  db: Db,
  r: ReportRow,
  author: Caller,
  report: BuildReport,
  theirState: ReportState,
  comment: string,
): Promise<ReportRow> {
  if (theirState !== 'submitted' || (r.state !== 'submitted' && r.state !== 'changes-requested')) return r;
  checkDates(report.startedOn, report.finishedOn);
  return db.transaction(async (tx) => {
    await checkLines(tx, r.versionId, report.lines, '/report/lines');
    const columns = { ...reportColumns(report), outcome: report.outcome };
    if (r.state === 'changes-requested')
      return applyTransition(tx, r.id, 'resubmit', { actorId: author.id, comment }, columns);
    const [row] = await tx
      .update(buildReports)
      .set({ ...columns, updatedAt: new Date() })
      .where(and(eq(buildReports.id, r.id), eq(buildReports.state, 'submitted')))
      .returning();
    return row ?? r;
  });
}

/**
 * Photos the author added at home after the report was offered: those whose numbers this copy lacks (fetched and
 * verified by sha256 before this), while a review has not decided. Returns how many were added.
 */
export async function addReceivedPhotos(db: Db, r: ReportRow, photos: readonly ReceivedPhoto[]): Promise<number> {
  if (!photos.length || !editableStates.includes(r.state as ReportState)) return 0;
  return db.transaction(async (tx) => {
    const held = new Set((await photosOf(tx, r.id)).map((p) => p.n));
    const fresh = photos.filter((p) => !held.has(p.n));
    for (const p of fresh) await addPhotos(tx, r.id, [p], p.n);
    return fresh.length;
  });
}

/**
 * A review made at the design's home, applied here as it was made there (the reviewer is the remote account
 * `ana@a.example`). One that no longer applies (delivered twice, crossed with a resubmission) changes nothing.
 */
export async function applyRemoteReview(
  db: Db,
  r: ReportRow,
  reviewer: Caller,
  decision: 'approve' | 'request-changes' | 'reject',
  details: { comment: string; remarks: Record<string, unknown>[]; safetyChecked?: boolean },
): Promise<boolean> {
  try {
    await db.transaction((tx) => applyTransition(tx, r.id, decision, { actorId: reviewer.id, ...details }));
    return true;
  } catch (err) {
    if (err instanceof AppError && err.status === 409) return false;
    throw err;
  }
}

export async function setDelivery(
  db: Executor,
  reportId: string,
  delivery: 'queued' | 'delivered' | 'failed',
  error: string | null = null,
): Promise<void> {
  await db.update(buildReports).set({ delivery, deliveryError: error }).where(eq(buildReports.id, reportId));
}

/** The report's Offer went into the federation queue (once: a restart re-offers only those without one). */
export async function markOffered(db: Executor, reportId: string): Promise<void> {
  await db.update(buildReports).set({ offeredAt: new Date() }).where(eq(buildReports.id, reportId));
}

/** Reports of mirrored designs whose Offer was never queued (the process stopped while their photos were made). */
export async function reportsAwaitingOffer(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: buildReports.id })
    .from(buildReports)
    .where(and(eq(buildReports.delivery, 'queued'), isNull(buildReports.offeredAt)));
  return rows.map((r) => r.id);
}
