// One design in the explore grid: thumbnail, title, owner, summary, category/licence, builds and fork origin.
import { encodeFilePath, query, versionPath } from '../api';
import type { Design } from '../api-types';
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

export function buildCount(design: Design): number | null {
  if (typeof design.builds === 'number') return design.builds;
  if (design.builds && typeof design.builds === 'object') return design.builds.approved ?? design.builds.total ?? null;
  return design.buildCount ?? null;
}

export function DesignCard({ design }: { design: Design }) {
  const builds = buildCount(design);
  const origin = parseRef(design.forkedFrom);
  return (
    <article class="design-card">
      <DesignThumbnail src={thumbnailFor(design)} title={design.title} />
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
