// packet-pdf: a version's build packet for one set of options → a PDF blob, cached as a derivative keyed by
// (version, BOM checksum, options, field data); asking for a packet returns it or the job that makes it.
import { and, desc, eq } from 'drizzle-orm';
import { enqueue } from '../queue.js';
import type { JobDefinition } from '../job-definition.js';
import { jobs } from '../tables.js';
import { findDerivative, saveDerivative, type DerivativeKey } from '../derivatives.js';
import { drawableFiles, thumbnailKey, thumbnailSubject } from './version-thumbnail.js';
import { RENDERER_VERSION } from '../../render/preview.js';
import type { PipelineServices } from '../services.js';
import type { Config } from '../../config.js';
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

/** Sample previews render at priority 10; a packet waits for a fresh upload's files (0) but not for samples. */
const packetPriority = 5;
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

export type PacketState =
  | { state: 'done'; sha256: string; size: number; pages?: number }
  | { state: 'queued' | 'running'; job: string }
  | { state: 'failed'; job: string; error: string };

/** The packet when it is made, else the job making it (queued once per key). */
export async function requestPacket(s: PipelineServices, subject: PacketSubject): Promise<PacketState> {
  const key = packetKey(subject);
  const cached = await findDerivative(s.db, key);
  if (cached?.sha256)
    return {
      state: 'done',
      sha256: cached.sha256,
      size: Number(cached.data?.bytes ?? 0),
      pages: Number(cached.data?.pages ?? 0),
    };
  const [last] = await s.db
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
  const id = await enqueue(s.db, 'packet-pdf', subject, {
    subject: jobSubject(key),
    priority: packetPriority,
    maxAttempts: packetAttempts,
  });
  s.notify();
  return { state: 'queued', job: id };
}
