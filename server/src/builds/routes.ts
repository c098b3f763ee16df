// HTTP routes of builds: workshops and members, buildability and networks, build reports and photos, reviews, field data.
import type { FastifyInstance } from 'fastify';
import { requireCaller, requireWriter } from '../accounts/auth.js';
import { AppError, selector, composed, msg, notFound } from '../errors.js';
import { findDesign, findVisibleDesign } from '../registry/designs.js';
import { sendBlob } from '../registry/download.js';
import { mirroredFieldData } from '../registry/mirrors.js';
import { noContentReply } from '../schemas.js';
import type {
  BuildReportPatch,
  BuildResubmit,
  BuildabilityQuery,
  DesignParams,
  NetworkQuery,
  ReviewCreate,
  WorkshopCreate,
  WorkshopListQuery,
  WorkshopMemberAdd,
  WorkshopPatch,
} from '../schema-types.js';
import {
  addMember,
  createWorkshop,
  describeWorkshop,
  findWorkshop,
  listWorkshops,
  patchWorkshop,
  removeMember,
  type WorkshopRole,
} from './workshops.js';
import { buildableDesigns, versionBuildability, versionNetwork } from './buildability.js';
import { receiveReportParts } from './report-input.js';
import { multipartParts, UploadIntake } from '../registry/intake.js';
import { intakeDeps } from '../hooks.js';
import {
  createReport,
  describeReport,
  findReport,
  listReports,
  patchReport,
  reportContext,
  requireReportingMember,
  resubmitReport,
  type ReportRow,
} from './reports.js';
import { reviewQueue, reviewReport } from './reviews.js';
import { isWatching } from '../notifications/watches.js';
import { fieldData } from './field.js';
import { addPhotos, blobSize, findPhotoByNumber, photosOf, variantKey } from './photo-records.js';
import { photoMediaTypes, type PhotoOutputFormat } from './photos.js';
import { parsePoint } from './geo.js';
import { editableStates, type ReportState } from './transitions.js';

const slugParams = {
  type: 'object',
  required: ['slug'],
  properties: { slug: { type: 'string', maxLength: 64 } },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const photoParams = {
  type: 'object',
  required: ['id', 'n', 'size'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    n: { type: 'integer', minimum: 1, maximum: 10000 },
    size: { type: 'string', enum: ['large', 'thumb', 'original'] },
  },
} as const;
const photoQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { format: { type: 'string', enum: ['webp', 'jpeg'], default: 'webp' } },
} as const;

type VersionParams = DesignParams & { version: string };

/** A photo's bytes: WebP or JPEG variants, and the original in the format it was sent (JPEG, PNG or WebP). */
const photoReply = (description: string) => ({
  description,
  content: Object.fromEntries(
    ['image/webp', 'image/jpeg', 'image/png'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
  ),
});

export async function buildRoutes(app: FastifyInstance) {
  const { db: database, blobs } = app.deps;
  const db = database.db;
  const wake = () => app.deps.pipeline?.wake();
  const reportChanged = (id: string, change: 'filed' | 'reviewed' | 'edited') => {
    for (const hook of app.deps.hooks.buildReportChanged) hook(id, change);
  };

  /** A report is visible when its design is (a taken-down design hides its reports too). */
  async function visibleReport(id: string, caller: Parameters<typeof findVisibleDesign>[3]): Promise<ReportRow> {
    const r = await findReport(db, id);
    if (r.hidden && !(caller && (caller.isAdmin || caller.id === r.authorId))) throw notFound.buildReport(id);
    const c = await reportContext(db, r);
    await findVisibleDesign(db, c.owner, c.slug, caller);
    return r;
  }

  async function reportIsPublic(r: ReportRow): Promise<boolean> {
    if (r.hidden) return false;
    const c = await reportContext(db, r);
    return !(await findDesign(db, c.owner, c.slug)).hidden;
  }

  // ── workshops ──
  app.post<{ Body: WorkshopCreate }>(
    '/api/workshops',
    {
      schema: {
        tags: ['workshops'],
        summary: 'Create a workshop; the creator becomes its first admin',
        body: { $ref: 'workshop-create#' },
        response: { 201: { $ref: 'workshop#' } },
      },
    },
    async (req, reply) => {
      const w = await createWorkshop(db, requireWriter(req), req.body);
      return reply.code(201).send(await describeWorkshop(db, w));
    },
  );

  app.get<{ Querystring: WorkshopListQuery }>(
    '/api/workshops',
    {
      schema: {
        tags: ['workshops'],
        summary: 'List workshops: near=lat,lon (nearest first, within radiusKm), process, country',
        querystring: { $ref: 'workshop-list-query#' },
        response: { 200: { $ref: 'workshop-list#' } },
      },
    },
    async (req) => listWorkshops(db, req.query),
  );

  app.get<{ Params: { slug: string } }>(
    '/api/workshops/:slug',
    {
      schema: {
        tags: ['workshops'],
        summary: 'A workshop with its members and builds',
        params: slugParams,
        response: { 200: { $ref: 'workshop#' } },
      },
    },
    async (req) => {
      const w = await findWorkshop(db, req.params.slug);
      return {
        ...(await describeWorkshop(db, w)),
        builds: (await listReports(db, { workshopId: w.id }, 50)).items,
        ...(req.caller ? { watching: await isWatching(db, req.caller.id, 'workshop', w.id) } : {}),
      };
    },
  );

  app.patch<{ Params: { slug: string }; Body: WorkshopPatch }>(
    '/api/workshops/:slug',
    {
      schema: {
        tags: ['workshops'],
        summary: 'Edit a workshop (its admins)',
        params: slugParams,
        body: { $ref: 'workshop-patch#' },
        response: { 200: { $ref: 'workshop#' } },
      },
    },
    async (req) => {
      const w = await patchWorkshop(db, await findWorkshop(db, req.params.slug), requireWriter(req), req.body);
      return describeWorkshop(db, w);
    },
  );

  app.post<{ Params: { slug: string }; Body: WorkshopMemberAdd }>(
    '/api/workshops/:slug/members',
    {
      schema: {
        tags: ['workshops'],
        summary: 'Add a member or change their role (workshop admins)',
        params: slugParams,
        body: { $ref: 'workshop-member-add#' },
        response: { 201: { $ref: 'workshop-member-list#' } },
      },
    },
    async (req, reply) => {
      const w = await findWorkshop(db, req.params.slug);
      const members = await addMember(
        db,
        w,
        requireWriter(req),
        req.body.handle,
        (req.body.role ?? 'member') as WorkshopRole,
      );
      return reply.code(201).send({ members });
    },
  );

  app.delete<{ Params: { slug: string; handle: string } }>(
    '/api/workshops/:slug/members/:handle',
    {
      schema: {
        tags: ['workshops'],
        summary: 'Remove a member (admins), or leave',
        params: {
          type: 'object',
          required: ['slug', 'handle'],
          properties: { ...slugParams.properties, handle: { type: 'string', maxLength: 64 } },
        },
        response: { 204: noContentReply },
      },
    },
    async (req, reply) => {
      await removeMember(db, await findWorkshop(db, req.params.slug), requireWriter(req), req.params.handle);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { slug: string } }>(
    '/api/workshops/:slug/builds',
    {
      schema: {
        tags: ['workshops'],
        summary: 'Build reports of a workshop, newest first',
        params: slugParams,
        response: { 200: { $ref: 'build-report-list#' } },
      },
    },
    async (req) => listReports(db, { workshopId: (await findWorkshop(db, req.params.slug)).id }),
  );

  app.get<{ Params: { slug: string } }>(
    '/api/workshops/:slug/buildable',
    {
      schema: {
        tags: ['workshops'],
        summary: 'Designs whose latest version needs only processes this workshop has',
        params: slugParams,
        response: { 200: { $ref: 'workshop-buildable#' } },
      },
    },
    async (req) => buildableDesigns(database, await findWorkshop(db, req.params.slug)),
  );

  // ── can build here ──
  app.get<{ Params: VersionParams; Querystring: BuildabilityQuery }>(
    '/api/designs/:owner/:slug/versions/:version/buildability',
    {
      schema: {
        tags: ['workshops'],
        summary: 'The processes the BOM needs against a workshop’s: what is missing',
        querystring: { $ref: 'buildability-query#' },
        response: { 200: { $ref: 'buildability#' } },
      },
    },
    async (req) => {
      const { design: d, version: v } = req;
      return versionBuildability(db, d, v, await findWorkshop(db, req.query.workshop));
    },
  );

  app.get<{ Params: VersionParams; Querystring: NetworkQuery }>(
    '/api/designs/:owner/:slug/versions/:version/network',
    {
      schema: {
        tags: ['workshops'],
        summary: 'The smallest set of nearby workshops covering every process the BOM needs, and who makes which lines',
        querystring: { $ref: 'network-query#' },
        response: { 200: { $ref: 'network#' } },
      },
    },
    async (req) => {
      const { design: d, version: v } = req;
      return versionNetwork(db, d, v, parsePoint(req.query.near, '/near'), req.query.radiusKm ?? 100);
    },
  );

  // ── build reports ──
  app.post<{ Params: VersionParams }>(
    '/api/designs/:owner/:slug/versions/:version/builds',
    {
      schema: {
        tags: ['builds'],
        summary: 'Report a build: multipart with a report field (JSON) and up to 30 photos parts',
        consumes: ['multipart/form-data'],
        response: { 201: { $ref: 'build-report-document#' } },
      },
      config: { designAccess: 'writer' },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const { design: d, version: v } = req;
      const parts = multipartParts(req, msg('intake.report'));
      const intake = await UploadIntake.open(intakeDeps(app.deps), { accountId: caller.id, address: req.ip });
      const row = await intake.run(async () => {
        const upload = await receiveReportParts(parts, intake, async (report) => {
          await requireReportingMember(db, report.workshop, caller);
        });
        // photos sent before the report field are stored before the membership check: a refusal deletes them
        return createReport(db, d, v, caller, upload.report, upload.photos);
      });
      wake();
      reportChanged(row.id, 'filed');
      return reply.code(201).send(await describeReport(db, row));
    },
  );

  app.get<{ Params: VersionParams }>(
    '/api/designs/:owner/:slug/versions/:version/builds',
    {
      schema: {
        tags: ['builds'],
        summary: 'Build reports of a version, newest first',
        response: { 200: { $ref: 'build-report-list#' } },
      },
    },
    async (req) => listReports(db, { versionId: req.version.id }),
  );

  app.get<{ Params: VersionParams }>(
    '/api/designs/:owner/:slug/versions/:version/field',
    {
      schema: {
        tags: ['builds'],
        summary:
          'Field data: every report counted, approved reports summarised (outcomes, hours, cost, substitutions, by country)',
        response: { 200: { $ref: 'field-data#' } },
      },
    },
    // a mirror answers with its home's figures (reports from every instance), as the home last sent them
    async (req) => (await mirroredFieldData(db, req.design, req.version.version)) ?? fieldData(db, req.version.id),
  );

  app.get<{ Params: { id: string } }>(
    '/api/builds/:id',
    {
      schema: {
        tags: ['builds'],
        summary: 'A build report with its photos, reviews and history',
        params: idParams,
        response: { 200: { $ref: 'build-report-document#' } },
      },
    },
    async (req) => describeReport(db, await visibleReport(req.params.id, req.caller)),
  );

  app.patch<{ Params: { id: string }; Body: BuildReportPatch }>(
    '/api/builds/:id',
    {
      schema: {
        tags: ['builds'],
        summary: 'The author edits a report until a review decides; editing after "request changes" resubmits',
        params: idParams,
        body: { $ref: 'build-report-patch#' },
        response: { 200: { $ref: 'build-report-document#' } },
      },
    },
    async (req) => {
      const caller = requireWriter(req);
      const r = await patchReport(db, await visibleReport(req.params.id, caller), caller, req.body);
      reportChanged(r.id, 'edited');
      return describeReport(db, r);
    },
  );

  app.post<{ Params: { id: string }; Body: BuildResubmit }>(
    '/api/builds/:id/resubmit',
    {
      schema: {
        tags: ['builds'],
        summary: 'The author resubmits after changes were requested',
        params: idParams,
        body: { $ref: 'build-resubmit#' },
        response: { 200: { $ref: 'build-report-document#' } },
      },
    },
    async (req) => {
      const caller = requireWriter(req);
      const r = await resubmitReport(db, await visibleReport(req.params.id, caller), caller, req.body?.comment ?? '');
      reportChanged(r.id, 'edited');
      return describeReport(db, r);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/builds/:id/photos',
    {
      schema: {
        tags: ['builds'],
        summary: 'The author adds photos (multipart photos parts) until a review decides',
        params: idParams,
        consumes: ['multipart/form-data'],
        response: { 201: { $ref: 'build-report-document#' } },
      },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const r = await visibleReport(req.params.id, caller);
      if (r.authorId !== caller.id) throw new AppError('forbidden', msg('builds.authorAddsPhotos'));
      if (!editableStates.includes(r.state as ReportState))
        throw new AppError(
          'conflict',
          composed('builds.photosUntilReview', { state: msg('states.report', { state: selector(r.state) }) }),
        );
      const existing = await photosOf(db, r.id);
      const parts = multipartParts(req, msg('intake.report'));
      const intake = await UploadIntake.open(intakeDeps(app.deps), { accountId: caller.id, address: req.ip });
      await intake.run(async () => {
        const upload = await receiveReportParts(
          parts,
          intake,
          async () => {
            throw new AppError('validation', msg('builds.onlyPhotos'), {
              errors: [{ field: 'report', message: msg('fields.notAcceptedHere') }],
            });
          },
          { requireReport: false, alreadyHeld: existing.length },
        );
        await db.transaction((tx) =>
          addPhotos(tx, r.id, upload.photos, Math.max(0, ...existing.map((p) => p.n)) + 1, req.id),
        );
      });
      wake();
      reportChanged(r.id, 'edited');
      return reply.code(201).send(await describeReport(db, r));
    },
  );

  app.get<{
    Params: { id: string; n: number; size: 'large' | 'thumb' | 'original' };
    Querystring: { format?: PhotoOutputFormat };
  }>(
    '/api/builds/:id/photos/:n/:size',
    {
      schema: {
        tags: ['builds'],
        summary:
          'A build photo: large (2048 px) or thumb (400 px), WebP or ?format=jpeg; or the metadata-free original',
        params: photoParams,
        querystring: photoQuery,
        response: { 200: photoReply('The photo'), 206: photoReply('The requested byte range of the photo') },
      },
    },
    async (req, reply) => {
      const r = await visibleReport(req.params.id, req.caller);
      const p = await findPhotoByNumber(db, r.id, req.params.n);
      if (!p) throw notFound(msg('notFound.photo', { n: req.params.n, id: r.id }));
      if (p.state !== 'done')
        throw new AppError(
          'not-found',
          p.state === 'failed'
            ? msg('builds.photoFailed', { n: p.n, why: String(p.error) })
            : composed('builds.photoPending', { n: p.n, state: msg('states.photo', { state: p.state }) }),
          { extra: { state: p.state } },
        );
      const format = req.query.format ?? 'webp';
      const entry =
        req.params.size === 'original'
          ? Object.entries(p.variants).find(([k]) => k.startsWith('original.'))
          : ([variantKey(req.params.size, format), p.variants[variantKey(req.params.size, format)]] as const);
      if (!entry?.[1]) throw notFound(msg('notFound.photoVariant', { size: req.params.size, format, n: String(p.n) }));
      const ext = entry[0].split('.')[1];
      const mediaType = req.params.size === 'original' ? `image/${ext}` : photoMediaTypes[format];
      const size = await blobSize(db, entry[1]);
      return sendBlob(req, reply, blobs, {
        // a hidden report's or design's photos reach only their people: no shared cache may keep them
        isPublic: await reportIsPublic(r),
        sha256: entry[1],
        size,
        mediaType,
        filename: `build-${r.id.slice(0, 8)}-${p.n}-${req.params.size}.${ext === 'jpeg' ? 'jpg' : ext}`,
        immutable: true,
      });
    },
  );

  // ── reviews ──
  app.post<{ Params: { id: string }; Body: ReviewCreate }>(
    '/api/builds/:id/reviews',
    {
      schema: {
        tags: ['reviews'],
        summary: 'A lead of the design approves, requests changes or rejects a submitted report',
        params: idParams,
        body: { $ref: 'review-create#' },
        response: { 201: { $ref: 'build-report-document#' } },
      },
    },
    async (req, reply) => {
      const caller = requireWriter(req);
      const r = await reviewReport(
        db,
        await visibleReport(req.params.id, caller),
        caller,
        req.body,
        app.deps.hooks.designChanged,
      );
      reportChanged(r.id, 'reviewed');
      return reply.code(201).send(await describeReport(db, r));
    },
  );

  app.get(
    '/api/reviews/queue',
    {
      schema: {
        tags: ['reviews'],
        summary: 'Reports awaiting the caller’s review, oldest first, with their age',
        response: { 200: { $ref: 'build-report-list#' } },
      },
    },
    async (req) => reviewQueue(db, requireCaller(req)),
  );
}
