// packet.zip for a workshop that works offline: the packet PDF, the version's CAD files and drawings, the BOM as CSV,
// and when the packet printed a translation, that file and the README it translates.
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { Executor } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import { filesOf, type VersionRow } from '../registry/versions.js';
import { loadBom } from '../bom/store.js';
import { bomView, exportBom } from '../bom/kernel/index.js';
import type { PacketOptions } from './options.js';
import { packetTranslation } from './translation-source.js';

const storedExtensions = /\.(zip|3mf|fcstd|glb|png|jpe?g|webp|pdf)$/i;

/** Entry names under one folder, so unzipping never spills into the current directory. */
export async function packetZip(
  db: Executor,
  blobs: BlobStore,
  v: VersionRow,
  root: string,
  pdfSha256: string,
  options: PacketOptions,
): Promise<Readable> {
  const all = await filesOf(db, v.id);
  // a packet that printed a translation brings its file and the README it translates, to check it against offline
  // (the stale notice says to); a packet that printed the README has it in the PDF already
  const translation = await packetTranslation(db, v, options.lang);
  const instructions = new Set(translation ? [translation.path, translation.source.path] : []);
  const rows = all.filter((f) => f.role === 'cad' || f.role === 'drawing' || instructions.has(f.path));
  const bom = await loadBom(db, v.id);
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const stopped = new AbortController();
  zip.on('close', () => stopped.abort());
  zip.on('error', () => stopped.abort());
  let current: Readable | undefined;
  const add = async (source: Readable | string, name: string, store = false) => {
    if (typeof source !== 'string') current = source;
    const written = once(zip, 'entry', { signal: stopped.signal });
    zip.append(source, { name: root + name, date: v.publishedAt, store });
    await written;
    current = undefined;
  };
  const feed = async () => {
    await add(await blobs.get(pdfSha256), 'packet.pdf', true);
    for (const f of rows) await add(await blobs.get(f.sha256), `files/${f.path}`, storedExtensions.test(f.path));
    if (bom) {
      const view = bomView(bom.lines, { units: options.units });
      await add(
        exportBom(view.lines, 'csv', { checksum: bom.checksum }),
        options.units === 1 ? 'bom.csv' : `bom-x${options.units}.csv`,
      );
    }
    await zip.finalize();
  };
  feed().catch((err) => {
    current?.destroy();
    if (!stopped.signal.aborted) zip.destroy(err);
  });
  return zip;
}
