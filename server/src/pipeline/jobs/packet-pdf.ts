// packet-pdf: a version's build packet for one set of options → a PDF blob, cached as a derivative keyed by
// (version, BOM checksum, options, field data); asking for a packet returns it or the job that makes it.
import { and, desc, eq, gt, like, lt, sql } from 'drizzle-orm';
import { enqueue } from '../queue.js';
import type { JobDefinition } from '../job-definition.js';
import { derivatives, jobs } from '../tables.js';
import { findDerivative, saveDerivative, type DerivativeKey } from '../derivatives.js';
import { drawableFiles, thumbnailKey, thumbnailSubject } from './version-thumbnail.js';
import { RENDERER_VERSION } from '../../render/preview.js';
import type { PipelineServices } from '../services.js';
import type { Config } from '../../config.js';
import type { Executor } from '../../db/client.js';
import { findDesign } from '../../registry/designs.js';
import { filesOf, resolveVersion } from '../../registry/versions.js';
import { buildPacket, PACKET_VERSION } from '../../packet/build-packet.js';
import { loadPacketData, type PacketImages } from '../../packet/data.js';
import { optionsVariant, type PacketOptions } from '../../packet/options.js';

export interface PacketSubject {
  owner: string;
  slug: string;
  /** exact version (never `latest`) */
  version: string;
  versionId: string;
  bomChecksum: string | null;
  options: PacketOptions;
  /** digest of the field data the packet prints (see packet/field-source.ts) */
  fieldStamp: string;
}

declare module '../job-kinds.js' {
  interface JobPayloads {
    'packet-pdf': PacketSubject;
  }
}

/**
 * Sample previews render at priority 10; a packet asked for with a token waits for a fresh upload's files (0) but not
 * for samples; one asked for without a token waits for everything else, so no stranger's packets hold an upload.
 */
const packetPriority = { signedIn: 5, anonymous: 20 };
/** A packet's last request is written at most this often: a popular packet is not a write per download. */
const touchEveryMs = 3600_000;
/** Attempts while the version's files are still being processed, with the queue's backoff in between. */
const packetAttempts = 8;
/** A failed packet is tried again when asked for after this long (a fixed bug, a blob store back up). */
const retryFailedAfterMs = 10 * 60_000;

export const packetKey = (
  s: Pick<PacketSubject, 'versionId' | 'bomChecksum' | 'options' | 'fieldStamp'>,
): DerivativeKey => ({
  subjectKey: `${s.versionId}:${s.bomChecksum ?? 'no-bom'}`,
  rendererVersion: PACKET_VERSION,
  kind: 'packet-pdf',
  variant: `${optionsVariant(s.options)}&field=${s.fieldStamp}`,
});

const jobSubject = (key: DerivativeKey) => `${key.subjectKey}|${key.variant}`;

/** The version's preview images as the pipeline stored them: a thumbnail if one was made, else file previews. */
function packetImages(s: PipelineServices): PacketImages {
  const png = async (sha256: string | null | undefined) => {
    if (!sha256) return undefined;
    const bytes = await s.blobs.getBuffer(sha256);
    // pdfkit reads PNG and JPEG only
    const isPng = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    return isPng || isJpeg ? bytes : undefined;
  };
  return {
    async thumbnail(versionId) {
      const drawable = drawableFiles(await filesOf(s.db, versionId));
      if (drawable.length === 0) return undefined;
      const d = await findDerivative(s.db, thumbnailKey(thumbnailSubject(drawable), 512, 'png'));
      return png(d?.sha256);
    },
    async preview(sha256) {
      const d = await findDerivative(s.db, {
        subjectKey: sha256,
        rendererVersion: RENDERER_VERSION,
        kind: 'preview-png',
        variant: '512',
      });
      return png(d?.sha256);
    },
  };
}

export const packetPdf = (s: PipelineServices, config: Pick<Config, 'publicUrl'>): JobDefinition<'packet-pdf'> => ({
  kind: 'packet-pdf',
  async handle(job) {
    const subject = job.payload;
    const key = packetKey(subject);
    const cached = await findDerivative(s.db, key);
    if (cached?.sha256) return { cached: true, sha256: cached.sha256, ...(cached.data ?? {}) };
    const design = await findDesign(s.db, subject.owner, subject.slug);
    const v = await resolveVersion(s.db, design, subject.version);
    const pending = (await filesOf(s.db, v.id)).filter((f) => f.state === 'queued' || f.state === 'running').length;
    // previews still rendering: come back later (the queue's backoff); on the last attempt print what there is
    if (pending > 0 && job.attempts < job.maxAttempts)
      throw new Error(`waiting for ${pending} ${pending === 1 ? 'file' : 'files'} of the version to finish processing`);
    s.events.publish({
      type: 'job',
      design: `${subject.owner}/${subject.slug}`,
      version: subject.version,
      state: 'running',
      jobId: job.id,
    });
    const data = await loadPacketData(s.db, s.blobs, packetImages(s), design, v, subject.options, config.publicUrl);
    const packet = await buildPacket(data);
    const blob = await s.blobs.putBuffer(packet.pdf);
    const facts = {
      pages: packet.pages,
      bytes: packet.pdf.length,
      contents: packet.contents,
      partial: data.pendingFiles > 0,
    };
    // a packet made while files were unfinished is served once but not kept: the next request makes a whole one
    if (data.pendingFiles === 0) await saveDerivative(s.db, key, { ...blob, data: facts });
    s.events.publish({
      type: 'job',
      design: `${subject.owner}/${subject.slug}`,
      version: subject.version,
      state: 'done',
      jobId: job.id,
    });
    return { sha256: blob.sha256, ...facts };
  },
});

/**
 * Forgets the packets nobody asked for since `cutoff` (made then and not asked for again): their blobs are then
 * unreferenced, for gc to delete. Returns how many; a dry run only counts.
 */
export async function expirePackets(db: Executor, cutoff: Date, dryRun = false): Promise<number> {
  const stale = and(
    eq(derivatives.kind, 'packet-pdf'),
    lt(sql`coalesce(${derivatives.requestedAt}, ${derivatives.createdAt})`, cutoff),
  );
  if (dryRun) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(derivatives)
      .where(stale);
    return Number(row?.n ?? 0);
  }
  const gone = await db.delete(derivatives).where(stale).returning({ id: derivatives.id });
  return gone.length;
}

export type PacketState =
  | { state: 'done'; sha256: string; size: number; pages?: number }
  | { state: 'queued' | 'running'; job: string }
  | { state: 'failed'; job: string; error: string }
  /** a new packet the version's hourly budget for requests without a token has no room for */
  | { state: 'limited'; retryAfterSeconds: number; perHour: number };

export interface PacketRequester {
  /** no token: the job runs last and new options count against the version's budget */
  anonymous: boolean;
  /** new packets (options not made or queued yet) one version may get per hour from anonymous requests; 0: no limit */
  variantsPerHour: number;
  /** the request asking for it: the job logs its id */
  requestId?: string;
}

/** The version's packet jobs of the last hour, and when the oldest of them leaves the window. */
async function recentPacketJobs(db: Executor, versionId: string): Promise<{ count: number; oldest?: Date }> {
  const since = new Date(Date.now() - 3600_000);
  const [row] = await db
    .select({ count: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${jobs.createdAt})` })
    .from(jobs)
    .where(and(eq(jobs.kind, 'packet-pdf'), like(jobs.subject, `${versionId}:%`), gt(jobs.createdAt, since)));
  return { count: Number(row?.count ?? 0), oldest: row?.oldest ? new Date(row.oldest) : undefined };
}

/** The packet when it is made, else the job making it (queued once per key, within the requester's budget). */
export async function requestPacket(
  s: PipelineServices,
  subject: PacketSubject,
  requester: PacketRequester = { anonymous: false, variantsPerHour: 0 },
): Promise<PacketState> {
  const key = packetKey(subject);
  const cached = await findDerivative(s.db, key);
  if (cached?.sha256) {
    // asked for again: kept another `packetKeepDays` (gc deletes packets nobody asked for in that long)
    if (!cached.requestedAt || Date.now() - cached.requestedAt.getTime() > touchEveryMs)
      await s.db.update(derivatives).set({ requestedAt: new Date() }).where(eq(derivatives.id, cached.id));
    return {
      state: 'done',
      sha256: cached.sha256,
      size: Number(cached.data?.bytes ?? 0),
      pages: Number(cached.data?.pages ?? 0),
    };
  }
  // the look for a job, the budget check and the enqueue are one step per version: two requests at once cannot both
  // pass the budget (or both queue the same packet); the lock ends with the transaction
  const state = await s.db.transaction(async (tx): Promise<PacketState> => {
    await tx.execute(sql`select pg_advisory_xact_lock(7301, hashtext(${subject.versionId}))`);
    const [last] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, 'packet-pdf'), eq(jobs.subject, jobSubject(key))))
      .orderBy(desc(jobs.createdAt))
      .limit(1);
    if (last && (last.state === 'queued' || last.state === 'running')) return { state: last.state, job: last.id };
    if (
      last?.state === 'done' &&
      typeof last.result?.sha256 === 'string' &&
      last.result.partial === true &&
      Date.now() - last.updatedAt.getTime() < 60_000
    ) {
      return {
        state: 'done',
        sha256: last.result.sha256,
        size: Number(last.result.bytes ?? 0),
        pages: Number(last.result.pages ?? 0),
      };
    }
    if (last?.state === 'failed' && Date.now() - last.updatedAt.getTime() < retryFailedAfterMs)
      return { state: 'failed', job: last.id, error: last.error ?? 'the packet could not be made' };
    if (requester.anonymous && requester.variantsPerHour > 0) {
      const recent = await recentPacketJobs(tx, subject.versionId);
      if (recent.count >= requester.variantsPerHour) {
        const leaves = (recent.oldest?.getTime() ?? Date.now()) + 3600_000 - Date.now();
        return {
          state: 'limited',
          retryAfterSeconds: Math.max(1, Math.ceil(leaves / 1000)),
          perHour: requester.variantsPerHour,
        };
      }
    }
    const id = await enqueue(tx, 'packet-pdf', subject, {
      subject: jobSubject(key),
      priority: requester.anonymous ? packetPriority.anonymous : packetPriority.signedIn,
      maxAttempts: packetAttempts,
      requestId: requester.requestId,
    });
    return { state: 'queued', job: id };
  });
  if (state.state === 'queued') s.notify();
  return state;
}
