// How many /api/events streams are open, per client address and in all: each holds a socket and a listener for as
// long as the client likes, so past a cap a new one is refused with 429 and Retry-After.
import { AppError, msg } from '../errors.js';

const retryAfterSeconds = 30;

export function eventStreamLimits(perAddress: number, max: number) {
  const byAddress = new Map<string, number>();
  let total = 0;
  return {
    /** Counts a stream in, or throws 429; the returned function counts it out (once). */
    open(address: string): () => void {
      const mine = byAddress.get(address) ?? 0;
      if (mine >= perAddress || total >= max) {
        throw new AppError(
          'too-many-requests',
          mine >= perAddress
            ? msg('pipeline.streamsPerAddress', { n: mine, limit: perAddress })
            : msg('pipeline.streamsTotal', { n: total }),
          {
            headers: { 'retry-after': String(retryAfterSeconds) },
            extra: { limit: mine >= perAddress ? perAddress : max },
          },
        );
      }
      byAddress.set(address, mine + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (byAddress.get(address) ?? 1) - 1;
        if (left > 0) byAddress.set(address, left);
        else byAddress.delete(address);
      };
    },
  };
}
