// Photo input with local previews (data URLs, so a strict Content-Security-Policy still shows them) and removal.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

type Props = { id: string; photos: File[]; onChange: (photos: File[]) => void; max?: number };

export function PhotoPicker({ id, photos, onChange, max = 30 }: Props) {
  const [previews, setPreviews] = useState<string[]>([]);

  useEffect(() => {
    let cancelled = false;
    Promise.all(photos.map((photo) => readAsDataUrl(photo).catch(() => ''))).then(
      (urls) => !cancelled && setPreviews(urls),
    );
    return () => {
      cancelled = true;
    };
  }, [photos]);

  return (
    <div class="field">
      <label for={id} class="field-label">
        {t('photoPicker.label', { max })}
      </label>
      <input
        id={id}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/avif,image/tiff,image/heic"
        multiple
        onChange={(event) => {
          const chosen = Array.from(event.currentTarget.files ?? []);
          onChange([...photos, ...chosen].slice(0, max));
          event.currentTarget.value = '';
        }}
      />
      {photos.length > 0 && (
        <ul class="photo-previews">
          {photos.map((photo, index) => (
            <li key={`${photo.name}-${index}`}>
              {previews[index] ? (
                <img src={previews[index]} alt={t('photoPicker.preview', { name: photo.name })} />
              ) : (
                <div class="thumb thumb-placeholder" aria-hidden="true" />
              )}
              <button
                type="button"
                class="button button-quiet button-small"
                onClick={() => onChange(photos.filter((_, i) => i !== index))}
              >
                {t('photoPicker.remove')} <span class="visually-hidden">{photo.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
