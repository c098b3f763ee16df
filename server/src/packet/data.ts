// Everything a packet prints, gathered through the owning domains' functions: version, files, BOM, README or its
// translation, field data.
import type { Executor } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { DesignRow } from '../registry/designs.js';
import { filesOf, type VersionRow } from '../registry/versions.js';
import { loadBom } from '../bom/store.js';
import type { BomLine } from '../bom/kernel/index.js';
import { loadFieldNotes, loadRegionalSet, type FieldNotes, type RegionalSet } from './field-source.js';
import type { PacketOptions } from './options.js';
import { packetTranslation, type PacketTranslation } from './translation-source.js';

export interface PacketPart {
  path: string;
  format: string | null;
  state: string;
  error?: string;
  facts?: Record<string, unknown>;
  /** PNG of the part, 512 px. */
  preview?: Buffer;
  /** BOM lines whose file is this part. */
  usedBy: { position: string; name: string }[];
}

export interface PacketDrawing {
  path: string;
  bytes: Uint8Array;
  facts?: Record<string, unknown>;
}

export interface PacketData {
  owner: string;
  slug: string;
  title: string;
  summary: string;
  licenses: Record<string, string>;
  version: string;
  state: string;
  publishedAt: Date;
  changelog: string | null;
  manifest: Record<string, unknown>;
  /** The exact version's web address, for the QR code. */
  url: string;
  options: PacketOptions;
  bom?: { checksum: string; lines: BomLine[] };
  /** PNG or JPEG for the cover. */
  cover?: Buffer;
  parts: PacketPart[];
  drawings: PacketDrawing[];
  readme?: { path: string; markdown: string };
  /** The version's instructions in the packet's language, printed instead of the README. */
  translation?: PacketTranslation;
  /** null: this instance has no builds domain. */
  field: FieldNotes | null;
  regional: RegionalSet | null;
  /** Files the pipeline had not finished when the packet was made. */
  pendingFiles: number;
}

/** Where the pipeline keeps images of a version and its files (see pipeline/jobs/packet-pdf.ts). */
export interface PacketImages {
  thumbnail(versionId: string): Promise<Buffer | undefined>;
  preview(sha256: string): Promise<Buffer | undefined>;
}

export const versionUrl = (publicUrl: string, owner: string, slug: string, version: string) =>
  `${publicUrl.replace(/\/+$/, '')}/${encodeURIComponent(owner)}/${encodeURIComponent(slug)}/${encodeURIComponent(version)}`;

function usedBy(lines: readonly BomLine[]): Map<string, { position: string; name: string }[]> {
  const map = new Map<string, { position: string; name: string }[]>();
  const walk = (list: readonly BomLine[]) => {
    for (const l of list) {
      if (l.filePath) map.set(l.filePath, [...(map.get(l.filePath) ?? []), { position: l.position, name: l.name }]);
      if (l.children) walk(l.children);
    }
  };
  walk(lines);
  return map;
}

export async function loadPacketData(
  db: Executor,
  blobs: BlobStore,
  images: PacketImages,
  design: DesignRow,
  v: VersionRow,
  options: PacketOptions,
  publicUrl: string,
): Promise<PacketData> {
  const manifest = (v.manifest ?? {}) as Record<string, unknown>;
  const rows = await filesOf(db, v.id);
  const bom = await loadBom(db, v.id);
  const users = usedBy(bom?.lines ?? []);
  const parts: PacketPart[] = [];
  const drawings: PacketDrawing[] = [];
  for (const f of rows) {
    if (f.role === 'cad') {
      parts.push({
        path: f.path,
        format: f.format,
        state: f.state,
        ...(f.error ? { error: f.error } : {}),
        ...(f.facts ? { facts: f.facts as Record<string, unknown> } : {}),
        ...(f.state === 'done' ? { preview: await images.preview(f.sha256) } : {}),
        usedBy: users.get(f.path) ?? [],
      });
    } else if (f.role === 'drawing' && f.format === 'dxf') {
      drawings.push({
        path: f.path,
        bytes: new Uint8Array(await blobs.getBuffer(f.sha256)),
        ...(f.facts ? { facts: f.facts as Record<string, unknown> } : {}),
      });
    }
  }
  const readmePath = typeof manifest.readme === 'string' ? manifest.readme : 'README.md';
  const readmeRow = rows.find((f) => f.path === readmePath) ?? rows.find((f) => f.path.toLowerCase() === 'readme.md');
  const translation = await packetTranslation(db, v, options.lang);
  const cover = (await images.thumbnail(v.id)) ?? parts.find((p) => p.preview)?.preview;
  const licenses = {
    ...(design.licenses as Record<string, string>),
    ...((manifest.licenses as Record<string, string> | undefined) ?? {}),
  };
  return {
    owner: design.ownerHandle,
    slug: design.slug,
    title: typeof manifest.title === 'string' ? manifest.title : design.title,
    summary: typeof manifest.summary === 'string' ? manifest.summary : design.summary,
    licenses,
    version: v.version,
    state: v.state,
    publishedAt: v.publishedAt,
    changelog: v.changelog ?? null,
    manifest,
    url: versionUrl(publicUrl, design.ownerHandle, design.slug, v.version),
    options,
    ...(bom ? { bom: { checksum: bom.checksum, lines: bom.lines } } : {}),
    ...(cover ? { cover } : {}),
    parts,
    drawings,
    ...(readmeRow
      ? { readme: { path: readmeRow.path, markdown: (await blobs.getBuffer(readmeRow.sha256)).toString('utf8') } }
      : {}),
    ...(translation ? { translation } : {}),
    field: await loadFieldNotes(db, v.id),
    regional: options.region ? await loadRegionalSet(db, v.id, options.region) : null,
    pendingFiles: rows.filter((f) => f.state === 'queued' || f.state === 'running').length,
  };
}
