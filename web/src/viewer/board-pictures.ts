// Fetches a board's picture for the slab: the server answers 202 while the board is being drawn, so it asks again after
// a growing pause, a bounded number of times — the slab stays untextured meanwhile, and after the last try for good.

/** Pauses between tries (ms): about a minute in all, enough for a board queued behind a version's other files. */
export const pictureRetryDelays = [500, 1000, 2000, 4000, 8000, 15000, 30000];

export type PictureFetch = {
  url: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** the pauses; tests shorten them */
  delays?: number[];
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });
}

/** The picture's bytes, or null when it is not there after the last try or the server refuses it. */
export async function fetchBoardPicture({
  url,
  headers,
  signal,
  delays = pictureRetryDelays,
  wait = pause,
}: PictureFetch): Promise<Blob | null> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, { headers, signal });
    if (response.ok && response.status !== 202) return response.blob();
    if (response.status !== 202 || attempt >= delays.length) return null;
    await wait(delays[attempt], signal);
  }
}
