// Build reports: submit one (with the BOM checksum it was built from), read, list, and the author's edits until a
// review decides.
import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import DecimalModule from 'decimal.js';
import type { Decimal as DecimalClass } from 'decimal.js';
import sanitizeHtml from 'sanitize-html';
import { marked } from 'marked';
import type { Db, Executor } from '../db/client.js';
import { AppError, selector, composed, type FieldErrorInput, forbidden, msg, notFound } from '../errors.js';
import type { Caller } from '../accounts/accounts.js';
import { users } from '../accounts/tables.js';
import { designs, designVersions } from '../registry/tables.js';
import type { DesignRow } from '../registry/designs.js';
import type { VersionRow } from '../registry/versions.js';
import { bomSummary, loadBom } from '../bom/store.js';
import type { BomLine } from '../bom/kernel/model.js';
import type { BuildLine, BuildReport, BuildReportPatch } from '../schema-types.js';
import { buildReports, workshops } from './tables.js';
import { findWorkshop, roleIn, type WorkshopRow } from './workshops.js';
import { addPhotos, describePhoto, photosOf, type UploadedPhoto } from './photo-records.js';
import { applyTransition, editableStates, historyOf, recordSubmission, type ReportState } from './transitions.js';
import { notifyBuildReport } from './report-notifications.js';

const Decimal = DecimalModule as unknown as typeof DecimalClass;

export type ReportRow = typeof buildReports.$inferSelect;

/** The author must be a member of the workshop the build is reported for. */
export async function requireReportingMember(db: Executor, workshopSlug: string, caller: Caller): Promise<WorkshopRow> {
  const w = await findWorkshop(db, workshopSlug);
  if (!(await roleIn(db, w.id, caller.id))) throw forbidden(msg('forbidden.workshopMembers', { slug: w.slug }));
  return w;
}

function flatLines(lines: readonly BomLine[], out: BomLine[] = []): BomLine[] {
  for (const l of lines) {
    out.push(l);
    if (l.children) flatLines(l.children, out);
  }
  return out;
}

/** Each line entry must name a line of the version's BOM (when it has one): 422 lists those that do not. */
export async function checkLines(
  db: Executor,
  versionId: string,
  lines: readonly BuildLine[] | undefined,
  field: string,
): Promise<void> {
  if (!lines?.length) return;
  const bom = await loadBom(db, versionId);
  if (!bom) return;
  const positions = new Set(flatLines(bom.lines).map((l) => l.position));
  const errors: FieldErrorInput[] = [];
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (!positions.has(l.position))
      errors.push({
        field: `${field}/${i}/position`,
        value: l.position,
        message: msg('fields.notABomLine'),
      });
    else if (seen.has(l.position))
      errors.push({ field: `${field}/${i}/position`, value: l.position, message: msg('fields.appearsTwice') });
    seen.add(l.position);
  });
  if (errors.length)
    throw new AppError('unprocessable', msg('builds.unknownLines', { lines: errors.map((e) => e.value).join(', ') }), {
      errors,
    });
}

const decimalText = (n: number | null | undefined) => (n === null || n === undefined ? null : new Decimal(n).toFixed());

export function reportColumns(body: BuildReport | BuildReportPatch) {
  return {
    ...(body.outcome !== undefined ? { outcome: body.outcome } : {}),
    ...(body.startedOn !== undefined ? { startedOn: body.startedOn } : {}),
    ...(body.finishedOn !== undefined ? { finishedOn: body.finishedOn } : {}),
    ...(body.hours !== undefined ? { hours: decimalText(body.hours) } : {}),
    ...(body.unitsBuilt !== undefined ? { unitsBuilt: body.unitsBuilt } : {}),
    ...(body.cost !== undefined
      ? { costAmount: body.cost?.amount ?? null, costCurrency: body.cost?.currency ?? null }
      : {}),
    ...(body.lines !== undefined ? { lines: body.lines as unknown as Record<string, unknown>[] } : {}),
    ...(body.deviations !== undefined ? { deviations: body.deviations } : {}),
    ...(body.safetyNotes !== undefined ? { safetyNotes: body.safetyNotes } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
  };
}

export function checkDates(startedOn: string | null | undefined, finishedOn: string | null | undefined): void {
  if (startedOn && finishedOn && finishedOn < startedOn) {
    throw new AppError('validation', msg('builds.finishedBeforeStarted', { finishedOn, startedOn }), {
      errors: [{ field: '/report/finishedOn', value: finishedOn, message: msg('fields.beforeStartedOn') }],
    });
  }
}

/** A new report's row: the version's BOM checksum and the workshop's country as they are when it is made. */
export async function newReportValues(
  tx: Executor,
  design: DesignRow,
  version: VersionRow,
  w: WorkshopRow,
  authorId: string,
  report: BuildReport,
) {
  return {
    designId: design.id,
    versionId: version.id,
    workshopId: w.id,
    authorId,
    country: w.country,
    bomChecksum: (await bomSummary(tx, version.id))?.checksum ?? null,
    ...reportColumns(report),
    outcome: report.outcome,
  };
}

/** One transaction: the report, its submission, its photos and their process-photo jobs. */
export async function createReport(
  db: Db,
  design: DesignRow,
  version: VersionRow,
  caller: Caller,
  report: BuildReport,
  photos: readonly UploadedPhoto[],
): Promise<ReportRow> {
  if (version.state !== 'published')
    throw new AppError(
      'conflict',
      composed('builds.reportPublished', {
        version: version.version,
        state: msg('states.version', { state: version.state }),
      }),
    );
  checkDates(report.startedOn, report.finishedOn);
  return db.transaction(async (tx) => {
    const w = await requireReportingMember(tx, report.workshop, caller);
    await checkLines(tx, version.id, report.lines, '/report/lines');
    const [row] = await tx
      .insert(buildReports)
      .values({
        ...(await newReportValues(tx, design, version, w, caller.id, report)),
        // a mirrored design's home hears of it (federation/remote-builds.ts): queued until it has recorded it
        ...(design.originActor ? { delivery: 'queued' as const } : {}),
      })
      .returning();
    await recordSubmission(tx, row.id, caller.id);
    await addPhotos(tx, row.id, photos, 1, caller.requestId);
    await notifyBuildReport(tx, design, version.version, row);
    return row;
  });
}

export async function findReport(db: Executor, id: string): Promise<ReportRow> {
  const [row] = await db.select().from(buildReports).where(eq(buildReports.id, id)).limit(1);
  if (!row) throw notFound.buildReport(id);
  return row;
}

/**
 * Reports with where they belong: design, version (and its manifest), workshop and author, in one query. Joins the
 * registry's and accounts' tables read-only: asking each domain per report would be one query per row.
 */
export async function reportsWithContext(
  db: Executor,
  where: SQL | undefined,
  order: 'newest' | 'oldest-submitted',
  limit: number,
) {
  const rows = await db
    .select({
      r: buildReports,
      owner: designs.ownerHandle,
      slug: designs.slug,
      version: designVersions.version,
      manifest: designVersions.manifest,
      workshopSlug: workshops.slug,
      workshopName: workshops.name,
      workshopInstance: workshops.remoteInstance,
      workshopCity: workshops.city,
      workshopRegion: workshops.region,
      workshopCountry: workshops.country,
      author: users.handle,
    })
    .from(buildReports)
    .innerJoin(designs, eq(designs.id, buildReports.designId))
    .innerJoin(designVersions, eq(designVersions.id, buildReports.versionId))
    .innerJoin(workshops, eq(workshops.id, buildReports.workshopId))
    .innerJoin(users, eq(users.id, buildReports.authorId))
    .where(where)
    .orderBy(
      ...(order === 'newest'
        ? [desc(buildReports.createdAt), asc(buildReports.id)]
        : [asc(buildReports.submittedAt), asc(buildReports.id)]),
    )
    .limit(limit);
  return rows.map(({ r, ...context }) => ({ r, context }));
}

/** Where a report belongs: the design, version and workshop it names, and its author. */
export async function reportContext(db: Executor, r: ReportRow) {
  const [row] = await reportsWithContext(db, eq(buildReports.id, r.id), 'newest', 1);
  return row.context;
}

/** Markdown rendered and then sanitised: notes are stored as written, never trusted as HTML. */
export function renderNotes(markdown: string | null): string | null {
  if (!markdown) return null;
  const html = marked.parse(markdown, { async: false, gfm: true }) as string;
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'iframe'),
    allowedSchemes: ['http', 'https', 'mailto'],
    // rel must be an allowed attribute too, or the sanitiser drops what the transform adds
    allowedAttributes: {
      ...sanitizeHtml.defaults.allowedAttributes,
      a: [...sanitizeHtml.defaults.allowedAttributes.a, 'rel'],
    },
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener ugc' }) },
  });
}

const ageSeconds = (since: Date) => Math.max(0, Math.round((Date.now() - since.getTime()) / 1000));

interface SummaryContext {
  owner: string;
  slug: string;
  version: string;
  workshopSlug: string;
  workshopName: string;
  workshopInstance: string | null;
  workshopCity: string;
  workshopRegion: string | null;
  workshopCountry: string;
  author: string;
}

/** A workshop of this instance by its slug; one of another instance with its instance and place (`gijon@b.example`). */
function workshopOf(c: SummaryContext) {
  if (!c.workshopInstance) return { slug: c.workshopSlug, name: c.workshopName };
  return {
    slug: c.workshopSlug.slice(0, c.workshopSlug.lastIndexOf('@')),
    name: c.workshopName,
    instance: c.workshopInstance,
    place: { city: c.workshopCity, region: c.workshopRegion, country: c.workshopCountry },
  };
}

/** The list shape: enough to show a row and link to the report. */
export function reportSummary(r: ReportRow, c: SummaryContext) {
  return {
    id: r.id,
    state: r.state as ReportState,
    outcome: r.outcome,
    design: { owner: c.owner, slug: c.slug, version: c.version },
    owner: c.owner,
    slug: c.slug,
    version: c.version,
    workshop: workshopOf(c),
    country: r.country,
    author: { handle: c.author },
    hours: r.hours === null ? null : Number(r.hours),
    unitsBuilt: r.unitsBuilt,
    cost: r.costAmount !== null && r.costCurrency ? { amount: r.costAmount, currency: r.costCurrency } : null,
    submittedAt: r.submittedAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    ageSeconds: ageSeconds(r.submittedAt),
    ...(r.delivery ? { delivery: r.delivery, ...(r.deliveryError ? { deliveryError: r.deliveryError } : {}) } : {}),
    ...(r.remoteObject && c.workshopInstance ? { remote: { instance: c.workshopInstance, url: r.remoteObject } } : {}),
  };
}

/** The report document of GET /api/builds/{id}. */
export async function describeReport(db: Executor, r: ReportRow) {
  const c = await reportContext(db, r);
  const history = await historyOf(db, r.id);
  return {
    ...reportSummary(r, c),
    startedOn: r.startedOn,
    finishedOn: r.finishedOn,
    bomChecksum: r.bomChecksum,
    lines: r.lines,
    deviations: r.deviations,
    safetyNotes: r.safetyNotes,
    notes: r.notes,
    notesHtml: renderNotes(r.notes),
    safetyCritical: c.manifest.safetyCritical === true,
    photos: (await photosOf(db, r.id)).map((p) => describePhoto(r.id, p)),
    reviews: history
      .filter((h) => h.action === 'approve' || h.action === 'request-changes' || h.action === 'reject')
      .map((h) => ({
        reviewer: h.by,
        decision: h.action,
        comment: h.comment,
        createdAt: h.at,
        ...(h.remarks ? { remarks: h.remarks } : {}),
        ...(h.safetyChecked !== undefined ? { safetyChecked: h.safetyChecked } : {}),
      })),
    history,
  };
}

export interface ReportFilter {
  versionId?: string;
  workshopId?: string;
  state?: ReportState;
}

/** Reports with the summary shape, newest first. */
export async function listReports(db: Executor, f: ReportFilter, limit = 200) {
  const where: SQL[] = [];
  if (f.versionId) where.push(eq(buildReports.versionId, f.versionId));
  if (f.workshopId) where.push(eq(buildReports.workshopId, f.workshopId));
  if (f.state) where.push(eq(buildReports.state, f.state));
  // a taken-down design's reports leave public lists with it, and so does a report taken down itself
  const rows = await reportsWithContext(
    db,
    and(...where, eq(designs.hidden, false), eq(buildReports.hidden, false)),
    'newest',
    limit,
  );
  return { items: rows.map(({ r, context }) => reportSummary(r, context)), nextCursor: null };
}

function requireAuthor(r: ReportRow, caller: Caller): void {
  if (r.authorId !== caller.id) throw forbidden(msg('forbidden.authorChanges'));
}

/**
 * The author's edit. Allowed until a review decides (409 after); editing a report whose changes were requested
 * resubmits it, recorded like POST …/resubmit.
 */
export async function patchReport(db: Db, r: ReportRow, caller: Caller, body: BuildReportPatch): Promise<ReportRow> {
  requireAuthor(r, caller);
  if (!editableStates.includes(r.state as ReportState))
    throw new AppError(
      'conflict',
      composed('builds.decided', { state: msg('states.report', { state: selector(r.state) }) }),
      {
        extra: { state: r.state },
      },
    );
  const { comment, ...fields } = body;
  checkDates(
    fields.startedOn === undefined ? r.startedOn : fields.startedOn,
    fields.finishedOn === undefined ? r.finishedOn : fields.finishedOn,
  );
  return db.transaction(async (tx) => {
    await checkLines(tx, r.versionId, fields.lines, '/lines');
    const columns = reportColumns(fields);
    if (r.state === 'changes-requested')
      return applyTransition(tx, r.id, 'resubmit', { actorId: caller.id, comment: comment ?? 'edited' }, columns);
    const [row] = await tx
      .update(buildReports)
      .set({ ...columns, updatedAt: new Date() })
      .where(and(eq(buildReports.id, r.id), eq(buildReports.state, 'submitted')))
      .returning();
    if (!row) throw new AppError('conflict', msg('builds.decidedWhileEditing'));
    return row;
  });
}

export async function resubmitReport(db: Db, r: ReportRow, caller: Caller, comment: string): Promise<ReportRow> {
  requireAuthor(r, caller);
  return db.transaction((tx) => applyTransition(tx, r.id, 'resubmit', { actorId: caller.id, comment }));
}

/** Moderation: a hidden report answers 404 to everyone but its author and admins, and leaves every list. */
export async function setReportHidden(db: Executor, id: string, hidden: boolean): Promise<void> {
  const rows = await db
    .update(buildReports)
    .set({ hidden })
    .where(eq(buildReports.id, id))
    .returning({ id: buildReports.id });
  if (!rows.length) throw notFound.buildReport(id);
}
