// Unzipping an import in a thread of its own (see unzip-thread.ts); refusals come back as the CadReadError they were.
import type { ReadLimits } from '../cad/types.js';
import { CadReadError } from '../cad/types.js';
import { startThread } from './thread.js';
import type { UnzipReply, UnzipRequest } from './unzip-thread.js';

/**
 * The entries of a zip not matching `skip`, vetted and inflated by unzipGuarded off the event loop. The zip's bytes
 * move to the thread (a 17 MB copy held the loop ~30 ms): `bytes` is unusable afterwards unless it shares its memory.
 */
export async function unzipInThread(
  bytes: Uint8Array,
  limits: ReadLimits,
  what: string,
  skip: RegExp,
): Promise<Record<string, Uint8Array>> {
  const worker = startThread(new URL('./unzip-thread.ts', import.meta.url));
  try {
    const reply = await new Promise<UnzipReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the unzip thread stopped (${code})`)));
      worker.postMessage(
        { bytes, limits, what, skip: skip.source } satisfies UnzipRequest,
        ownsItsMemory(bytes) ? [bytes.buffer] : [],
      );
    });
    if ('files' in reply) return reply.files;
    if (reply.refused) throw new CadReadError(reply.error);
    throw new Error(reply.error);
  } finally {
    void worker.terminate();
  }
}

/** A view over a whole ArrayBuffer of its own (not a slice of Node's shared pool): moving it detaches nothing else. */
const ownsItsMemory = (bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
