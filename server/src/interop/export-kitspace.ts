// Export: a version as a Kitspace project zip — kitspace.yaml at its top, every file where it was published (the
// board's Gerbers in the folder `gerbers:` names), and the BOM where `bom:` names it: the published table, or a
// 1-click-BOM written from the BOM's lines when it was published as something Kitspace does not read (JSON).
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { Executor } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { DesignRow } from '../registry/designs.js';
import { filesOf, type VersionRow } from '../registry/versions.js';
import { boardsOf } from '../electronics/boards.js';
import { ROOT_BOARD_ID } from '../electronics/grouping.js';
import { loadBom } from '../bom/store.js';
import { oneClickBomTsv } from './kitspace-bom.js';
import { kitspaceYaml } from './kitspace-manifest.js';
import { isWebUrl } from './project.js';

/** Tables Kitspace's 1-click-BOM reads: a BOM published as one goes out as it came in. */
const kitspaceBomTable = /\.(csv|tsv)$/i;

export const kitspaceArchiveName = (d: DesignRow, v: VersionRow) =>
  `${d.ownerHandle}-${d.slug}-${v.version}-kitspace.zip`;

/** A path not taken by one of the version's files: the same name under `bom/` (then `_bom/`) when it is. */
function freePath(wanted: string, taken: Set<string>): string {
  const name = wanted.slice(wanted.lastIndexOf('/') + 1);
  return [wanted, `bom/${name}`, `_bom/${name}`].find((p) => !taken.has(p)) ?? `_bom/andecha-${name}`;
}

/** The board's folder for `gerbers:`: the first drawn board's, else the folder an imported manifest named. */
function gerbersFolder(boardIds: string[], manifest: Record<string, unknown>): string | undefined {
  const id = boardIds.find((b) => b !== ROOT_BOARD_ID);
  if (id) return `${id}/`;
  const named = manifest.gerbers;
  return typeof named === 'string' && named.replace(/^\.?\/+/, '') && !isWebUrl(named) ? named : undefined;
}

/** `eda:` as the manifest kept it, else a KiCad board file of the version. */
function edaOf(manifest: Record<string, unknown>, paths: string[]): Record<string, unknown> | undefined {
  if (manifest.eda && typeof manifest.eda === 'object' && !Array.isArray(manifest.eda))
    return manifest.eda as Record<string, unknown>;
  const pcb = paths.find((p) => /\.kicad_pcb$/i.test(p));
  return pcb ? { type: 'kicad', pcb } : undefined;
}

/** The zip, streamed entry by entry (one blob open at a time), every entry under a folder named after the design. */
export async function kitspaceArchive(
  db: Executor,
  blobs: BlobStore,
  design: DesignRow,
  v: VersionRow,
): Promise<Readable> {
  const rows = await filesOf(db, v.id);
  const paths = rows.map((f) => f.path);
  const taken = new Set(paths);
  const manifest = v.manifest ?? {};
  let bom: { path: string; source: () => Promise<Readable | string> } | undefined;
  if (v.bomBlob) {
    const published = v.bomFilename ?? '';
    const sha = v.bomBlob;
    if (kitspaceBomTable.test(published)) bom = { path: freePath(published, taken), source: () => blobs.get(sha) };
    else {
      const stored = await loadBom(db, v.id);
      if (stored) bom = { path: freePath('1-click-bom.tsv', taken), source: async () => oneClickBomTsv(stored.lines) };
    }
  }
  const readme =
    typeof manifest.readme === 'string' && taken.has(manifest.readme)
      ? manifest.readme
      : paths.find((p) => /^readme\.(md|markdown|txt)$/i.test(p));
  const yaml = kitspaceYaml({
    summary: String(manifest.summary ?? design.summary ?? ''),
    manifest,
    gerbers: gerbersFolder(
      (await boardsOf(db, v.id)).map((b) => b.boardId),
      manifest,
    ),
    bom: bom?.path,
    readme,
    eda: edaOf(manifest, paths),
  });

  const root = `${design.slug}/`;
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const stopped = new AbortController();
  zip.on('close', () => stopped.abort());
  zip.on('error', () => stopped.abort());
  let current: Readable | undefined;
  const add = async (source: Readable | string, name: string) => {
    if (typeof source !== 'string') current = source;
    const written = once(zip, 'entry', { signal: stopped.signal });
    zip.append(source, { name: root + name, date: v.publishedAt });
    await written;
    current = undefined;
  };
  const feed = async () => {
    await add(yaml, 'kitspace.yaml');
    for (const f of rows) await add(await blobs.get(f.sha256), f.path);
    if (bom) await add(await bom.source(), bom.path);
    await zip.finalize();
  };
  feed().catch((err) => {
    // the client went away or a blob failed: end the open source too, so no descriptor stays open
    current?.destroy();
    if (!stopped.signal.aborted) zip.destroy(err);
  });
  return zip;
}
