// One design in the explore grid: thumbnail, title, owner, summary, category/licence, builds and fork origin.
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, authHeaders, encodeFilePath, query, versionPath } from '../api';
import type { Design, VersionDocument } from '../api-types';
import { parseRef, refLabel } from '../format';
import { designUrl } from '../router';
import { DesignThumbnail } from './DesignThumbnail';
import { sanitiseSnippet } from '../snippet';
import { slots, withElements } from '../message-elements';
import { usePipelineEvents } from '../design-events';
import { t } from '../i18n';
import { categoryName, processName } from '../display-names';

const cadPath = /\.(stl|obj|ply|glb|gltf|3mf|step|stp|iges|igs|fcstd|dxf)$/i;

/**
 * The card's image: the latest version's thumbnail route (`…/versions/{v}/thumbnail`). While the pipeline is still
 * drawing it (202) the card shows a placeholder and listens to the pipeline's events for its design, looking again
 * after each, so the picture appears without a page reload. When the route has no picture to give (no CAD file drawn) — once the card is in view — the preview of the
 * first processed CAD file of the latest version.
 */
function useCardThumbnail(design: Design): {
  ref: RefObject<HTMLElement | null>;
  src: string | null;
  pending: boolean;
  attempt: number;
  onFail: () => void;
} {
  const ref = useRef<HTMLElement>(null);
  const route = design.latestVersion
    ? versionPath(design.owner, design.slug, design.latestVersion, `/thumbnail${query({ size: 256, format: 'webp' })}`)
    : null;
  const [src, setSrc] = useState<string | null>(route);
  const [fallback, setFallback] = useState(!route);
  const [pending, setPending] = useState(false);
  // a new <img> per look, so a picture that failed once is requested again
  const [attempt, setAttempt] = useState(0);

  /** Asks the route what it has: the picture (show it), 202 (wait for the pipeline), or nothing (fall back). */
  const look = async () => {
    if (!route) return;
    try {
      const response = await fetch(route, { headers: authHeaders() });
      const isPicture = response.ok && (response.headers.get('content-type') ?? '').startsWith('image/');
      await response.body?.cancel();
      if (isPicture) {
        setPending(false);
        setSrc(route);
        setAttempt((n) => n + 1);
      } else if (response.status === 202) {
        setPending(true);
        setSrc(null);
      } else {
        setPending(false);
        setSrc(null);
        setFallback(true);
      }
    } catch {
      setSrc(null);
    }
  };

  usePipelineEvents(`${design.owner}/${design.slug}`, pending, (event) => {
    // a job starting changes nothing yet; an ending (or a reconnected stream) may have made the picture
    if (event.state !== 'running' && (!event.version || event.version === design.latestVersion)) void look();
  });

  useEffect(() => {
    if (!fallback || !design.latestVersion || !ref.current || typeof IntersectionObserver === 'undefined') return;
    let cancelled = false;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        api
          .get<VersionDocument>(versionPath(design.owner, design.slug, design.latestVersion!))
          .then((doc) => {
            const file = doc.files.find(
              (f) => f.pipeline?.state === 'done' && (f.role === 'cad' || cadPath.test(f.path)),
            );
            if (!cancelled)
              setSrc(
                file
                  ? versionPath(
                      design.owner,
                      design.slug,
                      doc.version,
                      `/previews/${encodeFilePath(file.path)}${query({ size: 256, format: 'webp' })}`,
                    )
                  : null,
              );
          })
          .catch(() => !cancelled && setSrc(null));
      },
      { rootMargin: '200px' },
    );
    observer.observe(ref.current);
    return () => {
      cancelled = true;
      observer.disconnect();
    };
  }, [fallback, design.owner, design.slug, design.latestVersion]);
  const onFail = () => {
    // the route's answer was no picture: find out why (still being drawn, or nothing to draw)
    if (!fallback && src === route) void look();
    else setSrc(null);
  };
  return { ref, src, pending, attempt, onFail };
}

export function buildCount(design: Design): number | null {
  return design.approvedBuilds ?? null;
}

export function DesignCard({ design }: { design: Design }) {
  const builds = buildCount(design);
  const origin = parseRef(design.forkedFrom);
  const thumbnail = useCardThumbnail(design);
  return (
    <article class="design-card" ref={thumbnail.ref}>
      <DesignThumbnail
        key={`${thumbnail.src}#${thumbnail.attempt}`}
        src={thumbnail.src}
        title={design.title}
        pending={thumbnail.pending}
        onFail={thumbnail.onFail}
      />
      <div class="design-card-body">
        <h3 class="design-card-title">
          <a href={designUrl(design.owner, design.slug)}>{design.title}</a>
        </h3>
        <p class="design-card-owner">
          <a href={`/${encodeURIComponent(design.owner)}`}>{design.owner}</a>/{design.slug}
        </p>
        {design.snippet ? (
          // the server escapes the text and marks the matches; sanitised again so only <mark> survives
          <p
            class="design-card-summary design-card-snippet"
            dangerouslySetInnerHTML={{ __html: sanitiseSnippet(design.snippet) }}
          />
        ) : (
          design.summary && <p class="design-card-summary">{design.summary}</p>
        )}
        <p class="design-card-meta">
          {design.category && <span class="chip">{categoryName(design.category)}</span>}
          {design.licenses?.hardware && <span class="chip chip-licence">{design.licenses.hardware}</span>}
          {(design.processes ?? []).slice(0, 3).map((process) => (
            <span key={process} class="chip chip-process">
              {processName(process)}
            </span>
          ))}
          {builds !== null && (
            <span class="meta-item" title={t('designCard.approvedBuilds')}>
              {t('designCard.builds', { count: builds })}
            </span>
          )}
          {design.stars !== undefined && design.stars > 0 && (
            <span class="meta-item star-meta" data-testid="card-stars">
              {t('designCard.stars', { count: design.stars })}
            </span>
          )}
        </p>
        {design.origin && (
          <p class="design-card-home">
            {withElements(t('designCard.mirroredFrom', slots('instance')), {
              instance: <a href={design.origin.url}>{design.origin.instance}</a>,
            })}
          </p>
        )}
        {origin && (
          <p class="design-card-fork">
            {withElements(t('designCard.forkedFrom', slots('design')), {
              design: <a href={designUrl(origin.owner, origin.slug, origin.version)}>{refLabel(design.forkedFrom)}</a>,
            })}
          </p>
        )}
      </div>
    </article>
  );
}
