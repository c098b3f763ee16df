// Notices at the top of a design page: licence flags, a newer upstream version for a fork, GPS data in images, the
// home of a mirrored design.
import type { Design, LicenseFlag, VersionDocument, VersionFile } from '../api-types';
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

const mirrorStateText: Record<string, string> = {
  queued: 'waiting to be copied',
  fetching: 'being copied',
  complete: 'copied and verified',
  failed: 'could not be copied',
};

/**
 * A design that lives on another instance: where its home is (changes are made there), how far the verified copy of
 * the version shown got, and which announced versions are not here (yet).
 */
export function MirrorNotice({ design, version }: { design: Design; version?: VersionDocument }) {
  if (!design.origin) return null;
  const pending = (design.mirror?.versions ?? []).filter((v) => v.state !== 'complete');
  return (
    <div class="notice notice-info mirror-notice" role="note" aria-label="Mirrored design">
      <p class="notice-title">
        Mirrored from <a href={design.origin.url}>{design.origin.instance}</a>
      </p>
      <p>
        This is a read-only copy: every file is kept here, verified by its sha256. Changes are made at{' '}
        <a href={design.origin.url}>its home</a>.
      </p>
      {design.originGone && (
        <p>
          <strong>Its origin deleted it.</strong> The copies made here stay downloadable.
        </p>
      )}
      {version?.mirror && (
        <p class="mirror-state">
          Version {version.version}: {mirrorStateText[version.mirror.state] ?? version.mirror.state}
          {version.mirror.error ? ` (${version.mirror.error})` : ''}
        </p>
      )}
      {pending.length > 0 && (
        <ul class="mirror-pending">
          {pending.map((v) => (
            <li key={v.version}>
              Version {v.version}: {mirrorStateText[v.state] ?? v.state}
              {v.error ? ` (${v.error})` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
