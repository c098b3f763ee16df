// A design's preview image with a drawn placeholder when there is none or it fails to load.
import { useState } from 'preact/hooks';
import { t } from '../i18n';

/** `pending`: the pipeline is still drawing the picture; the placeholder says so. */
export function DesignThumbnail({
  src,
  title,
  pending = false,
  onFail,
}: {
  src: string | null;
  title: string;
  pending?: boolean;
  onFail?: () => void;
}) {
  const [failed, setFailed] = useState(false);
  if (!src || failed)
    return (
      <div class={`thumb thumb-placeholder${pending ? ' thumb-pending' : ''}`} data-pending={pending || undefined}>
        <span aria-hidden="true">{title.slice(0, 1).toUpperCase()}</span>
        {pending && <small class="thumb-note">{t('designThumbnail.drawing')}</small>}
      </div>
    );
  return (
    <img
      class="thumb"
      src={src}
      alt=""
      loading="lazy"
      decoding="async"
      width={256}
      height={256}
      onError={() => (onFail ? onFail() : setFailed(true))}
    />
  );
}
