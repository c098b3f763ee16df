// A design's preview image with a drawn placeholder when there is none or it fails to load.
import { useState } from 'preact/hooks';

export function DesignThumbnail({ src, title, onFail }: { src: string | null; title: string; onFail?: () => void }) {
  const [failed, setFailed] = useState(false);
  if (!src || failed)
    return (
      <div class="thumb thumb-placeholder" aria-hidden="true">
        <span>{title.slice(0, 1).toUpperCase()}</span>
      </div>
    );
  return <img class="thumb" src={src} alt="" loading="lazy" decoding="async" width={256} height={256} onError={() => (onFail ? onFail() : setFailed(true))} />;
}
