// A picture the server may still be drawing (a visual diff, a preview): it answers 202 with Retry-After until the
// picture exists, which an <img> would show as a broken image. Asks again until 200, saying "drawing…" meanwhile.
import { useEffect, useState } from 'preact/hooks';
import { authHeaders } from '../api';
import { t } from '../i18n';

type Picture = { state: 'drawing' } | { state: 'ready'; src: string } | { state: 'failed'; message: string };

/** Seconds from Retry-After, kept between half a second and ten so a page neither hammers nor stalls. */
function retryDelayMs(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Math.min(10, Math.max(0.5, Number.isFinite(seconds) && seconds > 0 ? seconds : 1)) * 1000;
}

async function failure(response: Response): Promise<string> {
  try {
    const problem = (await response.json()) as { detail?: string; title?: string };
    return problem.detail ?? problem.title ?? t('pendingPicture.serverAnswered', { status: response.status });
  } catch {
    return t('pendingPicture.serverAnswered', { status: response.status });
  }
}

export function usePendingPicture(url: string): Picture {
  const [picture, setPicture] = useState<Picture>({ state: 'drawing' });
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let objectUrl: string | undefined;
    setPicture({ state: 'drawing' });
    const ask = async () => {
      try {
        // fetched with the bearer token (an <img> would not send it), shown from the bytes already here
        const response = await fetch(url, { headers: authHeaders() });
        if (cancelled) return;
        if (response.status === 202) {
          timer = setTimeout(ask, retryDelayMs(response));
          return;
        }
        if (!response.ok) return setPicture({ state: 'failed', message: await failure(response) });
        const blob = await response.blob();
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setPicture({ state: 'ready', src: objectUrl });
      } catch {
        if (!cancelled) setPicture({ state: 'failed', message: t('pendingPicture.unreachable') });
      }
    };
    void ask();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  return picture;
}

export function PendingPicture({ url, alt }: { url: string; alt: string }) {
  const picture = usePendingPicture(url);
  if (picture.state === 'ready') return <img src={picture.src} alt={alt} data-state="ready" />;
  if (picture.state === 'failed')
    return (
      <p class="picture-pending picture-failed" data-state="failed">
        {t('pendingPicture.notDrawn', { message: picture.message })}
      </p>
    );
  return (
    <p class="picture-pending" data-state="drawing" role="status">
      {t('pendingPicture.drawing')}
    </p>
  );
}
