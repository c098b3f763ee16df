// The version's files: open one in the viewer, download it, size, facts (triangles, size in mm, volume) and live
// pipeline state.
import { encodeFilePath, versionPath } from '../api';
import type { MeshFacts, VersionFile } from '../api-types';
import { formatBytes, formatMm, formatNumber } from '../format';
import { t } from '../i18n';
import { isCadFile, isDrawingFile, isViewable, previewUrlFor } from '../viewer/model-choice';
import { PipelineBadge } from './PipelineBadge';
import { DesignThumbnail } from './DesignThumbnail';

export function describeFacts(facts: MeshFacts | undefined): string[] {
  if (!facts) return [];
  const out: string[] = [];
  if (facts.bbox) {
    const size = facts.bbox.max.map((max, axis) => max - facts.bbox!.min[axis]);
    out.push(size.map((value) => formatMm(value).replace(' mm', '')).join(' × ') + ' mm');
  }
  if (facts.triangles !== undefined)
    out.push(t('fileList.triangles', { count: facts.triangles, figure: formatNumber(facts.triangles, 0) }));
  if (facts.points !== undefined)
    out.push(t('fileList.points', { count: facts.points, figure: formatNumber(facts.points, 0) }));
  const parts = Array.isArray(facts.parts) ? facts.parts.length : facts.parts;
  if (parts !== undefined && parts > 1) out.push(t('fileList.parts', { count: parts }));
  if (facts.volume !== undefined) out.push(t('fileList.volume', { volume: formatNumber(facts.volume / 1000, 1) }));
  if (facts.watertight !== undefined)
    out.push(facts.watertight ? t('fileList.watertight') : t('fileList.notWatertight'));
  return out;
}

/** Fabrication files by what board makers call them (their usual extensions), the rest by format or extension. */
const badges: Record<string, string> = { gerber: 'GBR', excellon: 'DRL' };

function badgeOf(file: VersionFile): string {
  const format = file.format ?? file.path.slice(file.path.lastIndexOf('.') + 1);
  return badges[format] ?? format.slice(0, 4).toUpperCase();
}

type Props = {
  owner: string;
  slug: string;
  version: string;
  files: VersionFile[];
  /** the path shown in the viewer, if a file was opened */
  opened: string | null;
  onOpen: (path: string) => void;
};

export function FileList({ owner, slug, version, files, opened, onOpen }: Props) {
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  return (
    <section class="section" aria-labelledby="files-heading">
      <div class="section-head">
        <h2 id="files-heading">{t('fileList.heading')}</h2>
        <a class="button button-quiet button-small" href={versionPath(owner, slug, version, '/archive.zip')} download>
          {t('fileList.downloadAll')}
        </a>
      </div>
      <ul class="file-list" aria-live="polite">
        {sorted.map((file) => {
          const cad = isCadFile(file);
          const facts = describeFacts(file.facts);
          const viewable = isViewable(file);
          return (
            <li
              key={file.path}
              class="file-row"
              data-state={file.pipeline?.state}
              data-opened={opened === file.path || undefined}
            >
              {(cad || isDrawingFile(file)) && file.pipeline?.state === 'done' && (cad || file.previews?.png) ? (
                <DesignThumbnail src={previewUrlFor(file, owner, slug, version, 256, 'webp')} title={file.path} />
              ) : (
                <div class="thumb thumb-placeholder thumb-file" aria-hidden="true">
                  <span>{badgeOf(file)}</span>
                </div>
              )}
              <div class="file-main">
                {viewable ? (
                  <button
                    type="button"
                    class="file-path file-open"
                    aria-pressed={opened === file.path}
                    title={t('fileList.showInViewer')}
                    onClick={() => onOpen(file.path)}
                  >
                    {file.path}
                  </button>
                ) : (
                  <span class="file-path">{file.path}</span>
                )}
                <p class="file-facts">
                  {formatBytes(file.size)}
                  {facts.map((fact) => (
                    <span key={fact}> · {fact}</span>
                  ))}
                </p>
                {file.pipeline?.state === 'failed' && file.pipeline.error && (
                  <p class="file-error">{file.pipeline.error}</p>
                )}
              </div>
              <PipelineBadge state={file.pipeline?.state} />
              <a
                class="button button-quiet button-small file-download"
                href={versionPath(owner, slug, version, `/files/${encodeFilePath(file.path)}`)}
                download
                aria-label={t('fileList.downloadFile', { path: file.path })}
              >
                {t('fileList.download')}
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
