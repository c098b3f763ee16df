// Finds a version's boards at ingest: which files are Gerber or Excellon (by their first bytes, whatever their
// names), which layer each is, and how they group into boards (kitspace.yaml `gerbers:`, else their folders).
import type { Readable } from 'node:stream';
import type { BlobStore } from '../storage/blob-store.js';
import type { FileAddress } from '../registry/file-state.js';
import { detectBoardFile, type BoardFileFormat } from './detect.js';
import { groupBoards, kitspaceGerberFolders, type BoardGroup } from './grouping.js';
import { identifyLayers, type BoardLayer } from './layers.js';
import { boardSubjectKey } from './boards.js';
import { defaultBoardLimits } from './guard.js';

/** Detection reads this much of a file: both formats say what they are in their first commands. */
const SNIFF_BYTES = 8192;
/** kitspace.yaml files longer than this are not project files */
const KITSPACE_MAX_BYTES = 64 * 1024;

export interface FabricationFile {
  file: FileAddress;
  format: BoardFileFormat;
  layer: BoardLayer;
}

export interface VersionBoardPlan {
  fabrication: FabricationFile[];
  boards: (BoardGroup & { subjectKey: string; layers: BoardLayer[] })[];
}

async function readHead(blobs: BlobStore, sha256: string, bytes: number): Promise<Uint8Array> {
  const stream: Readable = await blobs.get(sha256, { start: 0, end: bytes - 1 });
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (total >= bytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, bytes);
}

const isKitspace = (path: string) => /(^|\/)kitspace\.ya?ml$/i.test(path);

/**
 * The `gerbers:` folder a version's manifest names: an imported Kitspace project keeps it there (its kitspace.yaml is
 * the import's manifest, not one of the version's files). '' is the version's top folder; a URL names no folder.
 */
export function manifestGerberFolders(manifest: Record<string, unknown> | undefined): string[] {
  const g = manifest?.gerbers;
  if (typeof g !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(g)) return [];
  const rel = g
    .trim()
    .replace(/^(\.\/)+|^\/+/, '')
    .replace(/^\.$/, '')
    .replace(/\/+$/, '');
  return rel.split('/').includes('..') ? [] : [rel];
}

/**
 * The boards among `candidates` (files no other reader takes: CAD, drawings and images are not sniffed). A file larger
 * than a board file may be is left alone: the guard would refuse it anyway.
 */
export async function planVersionBoards(
  blobs: BlobStore,
  files: FileAddress[],
  candidates: FileAddress[],
  manifest?: Record<string, unknown>,
): Promise<VersionBoardPlan> {
  const found: { file: FileAddress; format: BoardFileFormat }[] = [];
  for (const f of candidates) {
    if (f.size === 0 || f.size > defaultBoardLimits.fileBytes || isKitspace(f.path)) continue;
    const format = detectBoardFile(await readHead(blobs, f.sha256, Math.min(SNIFF_BYTES, f.size)));
    if (format) found.push({ file: f, format });
  }
  if (found.length === 0) return { fabrication: [], boards: [] };
  const kitspaceFolders = manifestGerberFolders(manifest);
  for (const f of files) {
    if (!isKitspace(f.path) || f.size > KITSPACE_MAX_BYTES) continue;
    const at = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '';
    kitspaceFolders.push(...kitspaceGerberFolders((await blobs.getBuffer(f.sha256)).toString('utf8'), at));
  }
  const layers = identifyLayers(found.map((f) => ({ path: f.file.path, format: f.format })));
  const groups = groupBoards(
    found.map((f) => ({ path: f.file.path, format: f.format })),
    kitspaceFolders,
  );
  const byPath = new Map(found.map((f) => [f.file.path, f.file]));
  const layerOf = new Map(layers.map((l) => [l.path, l]));
  return {
    fabrication: found.map((f, i) => ({ ...f, layer: layers[i] })),
    boards: groups.map((g) => ({
      ...g,
      layers: g.files.map((bf) => layerOf.get(bf.path)!),
      subjectKey: boardSubjectKey(
        g.files.map((bf) => ({ path: bf.path, sha256: byPath.get(bf.path)!.sha256 })),
        g.id,
      ),
    })),
  };
}
