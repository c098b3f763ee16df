// One design in the explore grid: thumbnail, title, owner, summary, category/licence, builds and fork origin.
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, encodeFilePath, query, versionPath } from '../api';
import type { Design, VersionDocument } from '../api-types';
import { parseRef, refLabel } from '../format';
import { designUrl } from '../router';
import { DesignThumbnail } from './DesignThumbnail';

export function thumbnailFor(design: Design): string | null {
  if (design.thumbnail) return design.thumbnail;
  if (design.previewPath) {
    return versionPath(design.owner, design.slug, 'latest', `/previews/${encodeFilePath(design.previewPath)}${query({ size: 256, format: 'webp' })}`);
  }
  return null;
}

const cadPath = /\.(stl|obj|ply|glb|gltf|3mf|step|stp|iges|igs|fcstd|dxf)$/i;

/**
 * The card's image: the list item's own thumbnail when the API gives one, else — once the card scrolls into
 * view — the preview of the first processed CAD file of the latest version.
 */
function useCardThumbnail(design: Design): { ref: RefObject<HTMLElement | null>; src: string | null } {
  const ref = useRef<HTMLElement>(null);
  const listed = thumbnailFor(design);
  const [src, setSrc] = useState<string | null>(listed);
  useEffect(() => {
    if (listed || !design.latestVersion || !ref.current || typeof IntersectionObserver === 'undefined') return;
    let cancelled = false;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      api
        .get<VersionDocument>(versionPath(design.owner, design.slug, design.latestVersion!))
        .then((doc) => {
          const file = doc.files.find((f) => f.pipeline?.state === 'done' && (f.role === 'cad' || cadPath.test(f.path)));
          if (file && !cancelled) setSrc(versionPath(design.owner, design.slug, doc.version, `/previews/${encodeFilePath(file.path)}${query({ size: 256, format: 'webp' })}`));
        })
        .catch(() => undefined);
    }, { rootMargin: '200px' });
    observer.observe(ref.current);
    return () => {
      cancelled = true;
      observer.disconnect();
    };
  }, [listed, design.owner, design.slug, design.latestVersion]);
  return { ref, src };
}

export function buildCount(design: Design): number | null {
  if (typeof design.builds === 'number') return design.builds;
  if (design.builds && typeof design.builds === 'object') return design.builds.approved ?? design.builds.total ?? null;
  return design.buildCount ?? null;
}

export function DesignCard({ design }: { design: Design }) {
  const builds = buildCount(design);
  const origin = parseRef(design.forkedFrom);
  const thumbnail = useCardThumbnail(design);
  return (
    <article class="design-card" ref={thumbnail.ref}>
      <DesignThumbnail key={thumbnail.src} src={thumbnail.src} title={design.title} />
      <div class="design-card-body">
        <h3 class="design-card-title">
          <a href={designUrl(design.owner, design.slug)}>{design.title}</a>
        </h3>
        <p class="design-card-owner">
          {design.owner}/{design.slug}
        </p>
        {design.summary && <p class="design-card-summary">{design.summary}</p>}
        <p class="design-card-meta">
          {design.category && <span class="chip">{design.category}</span>}
          {design.licenses?.hardware && <span class="chip chip-licence">{design.licenses.hardware}</span>}
          {builds !== null && (
            <span class="meta-item" title="Approved builds">
              {builds} {builds === 1 ? 'build' : 'builds'}
            </span>
          )}
        </p>
        {origin && (
          <p class="design-card-fork">
            forked from <a href={designUrl(origin.owner, origin.slug, origin.version)}>{refLabel(design.forkedFrom)}</a>
          </p>
        )}
      </div>
    </article>
  );
}
