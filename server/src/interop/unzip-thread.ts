// The unzip thread: inflating an import's zip (16 MB of entries took 170-500 ms here) happens off the event loop,
// through the same guarded unzip as everywhere else. The entries come back transferred, not copied.
import { parentPort } from 'node:worker_threads';
import { unzipGuarded } from '../cad/zip.js';
import type { ReadLimits } from '../cad/types.js';

export interface UnzipRequest {
  bytes: Uint8Array;
  limits: ReadLimits;
  what: string;
  /** entry names matching it are left out (a RegExp does not cross threads; its source does) */
  skip: string;
}

export type UnzipReply = { files: Record<string, Uint8Array> } | { error: string; refused: boolean };

parentPort!.once('message', (m: UnzipRequest) => {
  const skip = new RegExp(m.skip);
  try {
    const files = unzipGuarded(m.bytes, m.limits, m.what, (n) => !skip.test(n));
    parentPort!.postMessage({ files } satisfies UnzipReply, [
      ...new Set(Object.values(files).map((f) => f.buffer as ArrayBuffer)),
    ]);
  } catch (err) {
    parentPort!.postMessage({
      error: (err as Error).message,
      refused: (err as Error).name === 'CadReadError',
    } satisfies UnzipReply);
  }
});
