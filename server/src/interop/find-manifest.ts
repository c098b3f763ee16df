// Finding an import's manifest: the shallowest file recognised by content (OKH-LOSH before OKH v1 before Kitspace),
// tried in a detection thread so no upload holds the event loop. Files are tried by depth, likely names and small
// sizes first within a depth, and no deeper than the first depth that holds one; the whole search has a time budget.
import { startThread } from './thread.js';
import { AppError, msg } from '../errors.js';
import { maxManifestBytes, type DetectedManifest } from './detect.js';
import { unpackDoc, type Detection } from './detect-protocol.js';
import type { ProjectTree, TreeEntry } from './tree.js';

const depth = (p: string) => p.split('/').length;
const kindRank = { 'okh-losh': 0, 'okh-v1': 1, kitspace: 2 } as const;
const likelyName = (p: string) =>
  /\.(toml|ya?ml)$/i.test(p) || /^(okh|kitspace|manifest)/i.test(p.slice(p.lastIndexOf('/') + 1));

/** Candidates by depth, each depth's likely names first, then smaller files first. */
function tiers(tree: ProjectTree): TreeEntry[][] {
  const byDepth = new Map<number, TreeEntry[]>();
  for (const e of tree.entries.values()) {
    if (!e.bytes || e.bytes.length > maxManifestBytes) continue;
    const d = depth(e.path);
    byDepth.set(d, [...(byDepth.get(d) ?? []), e]);
  }
  return [...byDepth.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, es]) =>
      es.sort((a, b) => Number(likelyName(b.path)) - Number(likelyName(a.path)) || a.bytes!.length - b.bytes!.length),
    );
}

/** One detection thread for one import; ended when the search is done or out of time. */
function detectionThread() {
  const worker = startThread(new URL('./detect-thread.ts', import.meta.url));
  let pending: { resolve: (d: Detection) => void; reject: (e: Error) => void } | undefined;
  const fail = (e: Error) => pending?.reject(e);
  worker.on('message', (d: Detection) => pending?.resolve(d));
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the detection thread stopped (${code})`)));
  return {
    detect(entry: TreeEntry, deadline: number): Promise<Detection | 'timeout'> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
        const done = () => {
          clearTimeout(timer);
          pending = undefined;
        };
        pending = {
          resolve: (d) => (done(), resolve(d)),
          reject: (e) => (done(), reject(e)),
        };
        // a copy: the tree keeps its bytes for the publish
        worker.postMessage({ path: entry.path, bytes: entry.bytes });
      });
    },
    end: () => void worker.terminate(),
  };
}

export async function findManifest(
  tree: ProjectTree,
  budgetMs: number,
): Promise<{ entry: TreeEntry; detected: DetectedManifest } | undefined> {
  const deadline = Date.now() + budgetMs;
  const thread = detectionThread();
  try {
    for (const tier of tiers(tree)) {
      const found: { entry: TreeEntry; detected: DetectedManifest }[] = [];
      for (const entry of tier) {
        const d = await thread.detect(entry, deadline).catch((err: Error) => {
          throw new AppError('unprocessable', msg('import.detectFailed', { path: entry.path, why: err.message }), {
            errors: [{ field: 'files', message: `${entry.path}: ${err.message}` }],
          });
        });
        if (d === 'timeout') {
          if (found.length) break;
          throw new AppError(
            'unprocessable',
            msg('import.detectTimeout', { seconds: budgetMs / 1000, files: tree.entries.size }),
            { errors: [{ field: 'files', message: msg('fields.detectTimeout') }] },
          );
        }
        if (d.kind && d.doc) found.push({ entry, detected: { kind: d.kind, doc: unpackDoc(d.doc) } });
      }
      if (found.length) {
        found.sort(
          (a, b) => kindRank[a.detected.kind] - kindRank[b.detected.kind] || a.entry.path.localeCompare(b.entry.path),
        );
        return found[0];
      }
    }
    return undefined;
  } finally {
    thread.end();
  }
}
