// How often a version was downloaded, beside its publication date: the total, and the breakdown (files, archive,
// packet) as its tooltip and in a line read to screen readers.
import type { VersionDocument } from '../api-types';
import { formatNumber } from '../format';
import { t } from '../i18n';

export function DownloadCount({ downloads }: { downloads: VersionDocument['downloads'] }) {
  if (!downloads) return null;
  const breakdown = t('downloads.breakdown', {
    files: downloads.files,
    filesFigure: formatNumber(downloads.files, 0),
    archive: downloads.archive,
    archiveFigure: formatNumber(downloads.archive, 0),
    packet: downloads.packet,
    packetFigure: formatNumber(downloads.packet, 0),
  });
  return (
    <span class="muted download-count" title={breakdown} data-testid="download-count">
      {t('downloads.total', { count: downloads.total, figure: formatNumber(downloads.total, 0) })}
      <span class="visually-hidden"> ({breakdown})</span>
    </span>
  );
}
