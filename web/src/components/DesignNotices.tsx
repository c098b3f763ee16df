// Notices at the top of a design page: licence flags, a newer upstream version for a fork, GPS data in images.
import type { Design, LicenseFlag, VersionFile } from '../api-types';
import { parseRef } from '../format';
import { designUrl } from '../router';
import { query } from '../api';

const flagTitles: Record<string, string> = {
  'non-commercial': 'Non-commercial licence',
  'no-derivatives': 'No derivatives',
  custom: 'Custom licence',
  unknown: 'Unrecognised licence',
};

export function LicenceFlags({ flags }: { flags: LicenseFlag[] | undefined }) {
  if (!flags || flags.length === 0) return null;
  return (
    <div class="notice notice-warning licence-flags" role="note" aria-label="Licence conditions">
      <p class="notice-title">Read the licence before you build or fork</p>
      <ul>
        {flags.map((flag, index) => (
          <li key={index}>
            <strong>{flagTitles[flag.flag] ?? flag.flag}</strong> ({flag.field}:{' '}
            <span class="mono">{flag.license}</span>): {flag.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "upstream 1.1.0 is newer than your base 1.0.0", with a link to the web compare of base → latest. */
export function UpstreamNotice({ design }: { design: Design }) {
  const upstream = design.upstream;
  if (!upstream?.newer || !upstream.latest) return null;
  const latest = parseRef(upstream.latest);
  const compareHref = `${designUrl(design.owner, design.slug)}/compare${query({ from: upstream.base, to: upstream.latest })}`;
  return (
    <div class="notice notice-info upstream-notice" role="status">
      <p class="notice-title">A newer upstream version exists</p>
      <p>
        {latest ? (
          <a href={designUrl(latest.owner, latest.slug, latest.version)}>{upstream.latest}</a>
        ) : (
          upstream.latest
        )}{' '}
        is newer than this fork’s base <span class="mono">{upstream.base}</span>.{' '}
        <a href={compareHref}>See what changed upstream</a>
      </p>
    </div>
  );
}

export function gpsFiles(files: VersionFile[]): VersionFile[] {
  return files.filter((file) => file.facts?.hasGps === true);
}

/** Shown to the design's leads only: images whose metadata gives away where they were taken. */
export function GpsWarning({ files }: { files: VersionFile[] }) {
  const located = gpsFiles(files);
  if (located.length === 0) return null;
  return (
    <div class="notice notice-warning gps-warning" role="note" aria-label="Location data in images">
      <p class="notice-title">
        {located.length === 1 ? 'An image carries' : `${located.length} images carry`} GPS coordinates
      </p>
      <p>
        Anyone who downloads these files can read where the photo was taken. Only you and the design’s maintainers see
        this warning.
      </p>
      <ul>
        {located.map((file) => (
          <li key={file.path} class="mono">
            {file.path}
          </li>
        ))}
      </ul>
      <p>
        Remove the location (most photo apps have “remove location”, or re-save the image) and publish a new version.
      </p>
    </div>
  );
}
