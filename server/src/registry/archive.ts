// A version as one zip, streamed: manifest.json, every file, the BOM (original and CSV export), never held in memory; entry names unique.
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { Executor } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import { exportBom, parseBom } from '../bom/kernel/index.js';
import type { DesignRow } from './designs.js';
import { filesOf, type VersionRow } from './versions.js';

// Already-compressed formats gain nothing from deflate; storing them saves CPU on large archives.
const storedExtensions = /\.(zip|3mf|fcstd|glb|png|jpe?g|webp|avif|gif|pdf|gz|xz|bz2|7z|mp4|webm)$/i;

/** The folder every entry sits in, so unzipping never spills files into the current directory. */
export const archiveRoot = (design: DesignRow, v: VersionRow) => `${design.slug}-${v.version}/`;

/**
 * Where the BOM's CSV export goes: `bom/bom.export.csv`, beside the original under its own name. Never the
 * original's name (a BOM uploaded as bom.csv would give two `bom/bom.csv` entries and unzip would ask which to keep).
 */
export function bomExportName(originalName: string): string {
  return originalName === 'bom.export.csv' ? 'bom.andecha-export.csv' : 'bom.export.csv';
}

export function archiveFilename(design: DesignRow, v: VersionRow): string {
  return `${design.ownerHandle}-${design.slug}-${v.version}.zip`;
}

/**
 * The version's OKH-LOSH manifest (TOML) with paths laid out as in the archive: interop writes it, and interop sits
 * above the registry, so the route hands it in.
 */
export type OkhManifestOf = (layout: { base: string; bomPath: string }) => Promise<string>;

/**
 * Returns the zip stream at once and feeds it entry by entry: each blob is opened only when the previous entry
 * is written, so one archive holds one blob stream (one S3 connection) at a time, whatever the version's size.
 */
export async function versionArchive(
  db: Executor,
  blobs: BlobStore,
  design: DesignRow,
  v: VersionRow,
  okhManifest: OkhManifestOf,
): Promise<Readable> {
  const rows = await filesOf(db, v.id);
  const root = archiveRoot(design, v);
  const date = v.publishedAt;
  const bomName = v.bomFilename ?? 'bom';
  const exportName = bomExportName(bomName);
  const manifest = {
    owner: design.ownerHandle,
    slug: design.slug,
    version: v.version,
    state: v.state,
    publishedAt: v.publishedAt.toISOString(),
    manifest: v.manifest,
    files: rows.map((f) => ({ path: `files/${f.path}`, size: f.size, sha256: f.sha256, mediaType: f.mediaType })),
    ...(v.bomBlob ? { bom: { path: `bom/${bomName}`, sha256: v.bomBlob, export: `bom/${exportName}` } } : {}),
  };
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const stopped = new AbortController();
  zip.on('close', () => stopped.abort());
  zip.on('error', () => stopped.abort());
  let current: Readable | undefined;

  const add = async (source: Readable | Buffer | string, name: string, store = false) => {
    if (typeof source !== 'string' && !Buffer.isBuffer(source)) current = source;
    const written = once(zip, 'entry', { signal: stopped.signal });
    zip.append(source, { name: root + name, date, store });
    await written;
    current = undefined;
  };

  const feed = async () => {
    await add(JSON.stringify(manifest, null, 2) + '\n', 'manifest.json');
    // OKH-LOSH manifest for other tools; paths point into files/ and at the original BOM, so importing the archive round-trips
    await add(await okhManifest({ base: 'files/', bomPath: `bom/${bomName}` }), 'okh.toml');
    for (const f of rows) await add(await blobs.get(f.sha256), `files/${f.path}`, storedExtensions.test(f.path));
    if (v.bomBlob) {
      await add(await blobs.get(v.bomBlob), `bom/${bomName}`);
      const csv = bomCsv(await blobs.getBuffer(v.bomBlob), v.bomFilename ?? undefined);
      if (csv !== undefined) await add(csv, `bom/${exportName}`);
    }
    await zip.finalize();
  };
  feed().catch((err) => {
    // the client went away (abort) or a blob failed: end the source too, so no socket or descriptor stays open
    current?.destroy();
    if (!stopped.signal.aborted) zip.destroy(err);
  });
  return zip;
}

/** The BOM re-exported as Andecha's CSV; a BOM the parser cannot read is left as its original file only. */
function bomCsv(bytes: Buffer, filename?: string): string | undefined {
  try {
    return exportBom(parseBom(bytes, filename).lines, 'csv');
  } catch {
    return undefined;
  }
}
