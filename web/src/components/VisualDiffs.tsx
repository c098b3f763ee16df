// Side-by-side geometry images of a compare (before, after and the diff image) found in the compare JSON.
import { formatMm, formatNumber } from '../format';
import { PendingPicture } from './PendingPicture';
import { t } from '../i18n';

type ImageSet = { path: string; images: { label: string; url: string }[]; change?: string };

/** The three sides beside a difference, as the sets name them. */
const allSides = ['Before', 'After', 'Difference'];

/** An image's side, named in English in the sets (Before, After, Difference), in the reader's language. */
function sideName(label: string): string {
  const keys: Record<string, string> = {
    Before: 'visualDiffs.before',
    After: 'visualDiffs.after',
    Difference: 'visualDiffs.difference',
  };
  return keys[label] ? t(keys[label]) : label;
}

const imageKeys: [string, string][] = [
  ['before', 'Before'],
  ['from', 'Before'],
  ['old', 'Before'],
  ['after', 'After'],
  ['to', 'After'],
  ['new', 'After'],
  ['diff', 'Difference'],
  ['overlay', 'Difference'],
  ['image', 'Difference'],
  ['url', 'Difference'],
];

/**
 * API routes whose answer is a picture. Decided on the route, not on the text of the address: a preview or a visual
 * diff of `frame/base.stl` carries that file name, and a raw `…/files/base.stl` is a model, not a picture.
 */
const pictureRoutes = [
  /\/versions\/[^/]+\/previews\//,
  /\/compare\/visual$/,
  /\/versions\/[^/]+\/thumbnail$/,
  /^\/api\/builds\/[^/]+\/photos\/\d+\/(large|thumb|original)$/,
];

function isPictureUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !(value.startsWith('/api/') || /^https?:\/\//.test(value))) return false;
  let url: URL;
  try {
    url = new URL(value, 'http://relative.invalid');
  } catch {
    return false;
  }
  // the previews route also serves the 3D model itself (format=glb)
  if (url.searchParams.get('format') === 'glb') return false;
  return pictureRoutes.some((route) => route.test(url.pathname)) || /\.(png|jpe?g|webp|gif|avif)$/i.test(url.pathname);
}

const signed = (n: number, text: string) => `${n > 0 ? '+' : '−'}${text}`;

/** The compare's geometry delta ({size:[dx,dy,dz] mm, volume mm³, triangles}) in words: "z +30 mm · volume +9.6 cm³". */
function geometryChange(delta: unknown): string | undefined {
  if (!delta || typeof delta !== 'object') return undefined;
  const { size, volume, triangles } = delta as { size?: unknown; volume?: unknown; triangles?: unknown };
  const parts: string[] = [];
  if (Array.isArray(size))
    size.forEach(
      (d, i) => typeof d === 'number' && d !== 0 && parts.push(`${'xyz'[i]} ${signed(d, formatMm(Math.abs(d)))}`),
    );
  if (typeof volume === 'number' && volume !== 0)
    parts.push(t('visualDiffs.volume', { change: signed(volume, `${formatNumber(Math.abs(volume) / 1000, 1)} cm³`) }));
  if (typeof triangles === 'number' && triangles !== 0)
    parts.push(
      t('visualDiffs.triangles', {
        count: Math.abs(triangles),
        change: signed(triangles, formatNumber(Math.abs(triangles), 0)),
      }),
    );
  return parts.length ? parts.join(' · ') : undefined;
}

/** Walks the compare reply for objects holding image URLs (keys like before/after/diff, nested `images`/`urls`). */
export function findImageSets(value: unknown, path = '', found: ImageSet[] = [], depth = 0): ImageSet[] {
  if (depth > 6 || !value || typeof value !== 'object') return found;
  if (Array.isArray(value)) {
    value.forEach((item) => findImageSets(item, path, found, depth + 1));
    return found;
  }
  const record = value as Record<string, unknown>;
  const label = typeof record.path === 'string' ? record.path : typeof record.file === 'string' ? record.file : path;
  const holder = (record.images ?? record.urls ?? record.previews ?? record) as Record<string, unknown>;
  const images: { label: string; url: string }[] = [];
  const seen = new Set<string>();
  for (const [key, caption] of imageKeys) {
    const entry = holder[key];
    if (isPictureUrl(entry) && !seen.has(caption)) {
      images.push({ label: caption, url: entry });
      seen.add(caption);
    }
  }
  if (images.length > 0) found.push({ path: label, images, change: geometryChange(record.delta) });
  for (const [key, child] of Object.entries(record))
    if (child && typeof child === 'object' && child !== holder)
      findImageSets(child, key === 'visual' || key === 'geometry' ? label : label || key, found, depth + 1);
  return found;
}

export function VisualDiffs({ sets }: { sets: ImageSet[] }) {
  if (sets.length === 0) return null;
  return (
    <section class="section" aria-labelledby="visual-heading">
      <h2 id="visual-heading">{t('visualDiffs.geometry')}</h2>
      {sets.map((set, index) => (
        <figure class="visual-diff" key={`${set.path}-${index}`}>
          <figcaption>
            <span class="mono">{set.path}</span>
            {set.change && <span class="muted small"> {set.change}</span>}
          </figcaption>
          <div class="visual-diff-images">
            {/* beside a difference, a side without a preview (its file could not be read) says so rather than leaving a gap */}
            {(set.images.some((image) => image.label === 'Difference')
              ? allSides
              : set.images.map((image) => image.label)
            ).map((label) => {
              const image = set.images.find((candidate) => candidate.label === label);
              return (
                <div key={label} class="visual-diff-image">
                  {image ? (
                    <PendingPicture
                      url={image.url}
                      alt={t('visualDiffs.alt', { side: sideName(label), path: set.path })}
                    />
                  ) : (
                    <p class="picture-pending">{t('visualDiffs.noPreview')}</p>
                  )}
                  <span>{sideName(label)}</span>
                  {label === 'Difference' && (
                    <span class="muted small visual-diff-legend">{t('visualDiffs.legend')}</span>
                  )}
                </div>
              );
            })}
          </div>
        </figure>
      ))}
    </section>
  );
}
