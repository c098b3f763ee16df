// Notices at the top of a design page: licence flags, a newer upstream version for a fork, GPS data in images, the
// home of a mirrored design.
import type { Design, LicenseFlag, VersionDocument, VersionFile } from '../api-types';
import { parseRef } from '../format';
import { t } from '../i18n';
import { slots, withElements } from '../message-elements';
import { designUrl } from '../router';
import { query } from '../api';

function flagTitle(flag: string): string {
  const keys: Record<string, string> = {
    'non-commercial': 'designNotices.flag.nonCommercial',
    'no-derivatives': 'designNotices.flag.noDerivatives',
    custom: 'designNotices.flag.custom',
    unknown: 'designNotices.flag.unknown',
  };
  return keys[flag] ? t(keys[flag]) : flag;
}

export function LicenceFlags({ flags }: { flags: LicenseFlag[] | undefined }) {
  if (!flags || flags.length === 0) return null;
  return (
    <div class="notice notice-warning licence-flags" role="note" aria-label={t('designNotices.licenceConditions')}>
      <p class="notice-title">{t('designNotices.readLicence')}</p>
      <ul>
        {flags.map((flag, index) => (
          <li key={index}>
            {withElements(
              t('designNotices.flagLine', { field: flag.field, message: flag.message, ...slots('title', 'license') }),
              { title: <strong>{flagTitle(flag.flag)}</strong>, license: <span class="mono">{flag.license}</span> },
            )}
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
      <p class="notice-title">{t('designNotices.upstreamTitle')}</p>
      <p>
        {withElements(t('designNotices.upstreamNewer', { ...slots('latest', 'base') }), {
          latest: latest ? (
            <a href={designUrl(latest.owner, latest.slug, latest.version)}>{upstream.latest}</a>
          ) : (
            upstream.latest
          ),
          base: <span class="mono">{upstream.base}</span>,
        })}{' '}
        <a href={compareHref}>{t('designNotices.upstreamCompare')}</a>
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
    <div class="notice notice-warning gps-warning" role="note" aria-label={t('designNotices.gpsLabel')}>
      <p class="notice-title">{t('designNotices.gpsTitle', { count: located.length })}</p>
      <p>{t('designNotices.gpsExplain')}</p>
      <ul>
        {located.map((file) => (
          <li key={file.path} class="mono">
            {file.path}
          </li>
        ))}
      </ul>
      <p>{t('designNotices.gpsRemove')}</p>
    </div>
  );
}

function mirrorStateText(state: string): string {
  const keys: Record<string, string> = {
    queued: 'designNotices.mirrorState.queued',
    fetching: 'designNotices.mirrorState.fetching',
    complete: 'designNotices.mirrorState.complete',
    failed: 'designNotices.mirrorState.failed',
  };
  return keys[state] ? t(keys[state]) : state;
}

/**
 * A design that lives on another instance: where its home is (changes are made there), how far the verified copy of
 * the version shown got, and which announced versions are not here (yet).
 */
export function MirrorNotice({ design, version }: { design: Design; version?: VersionDocument }) {
  if (!design.origin) return null;
  const pending = (design.mirror?.versions ?? []).filter((v) => v.state !== 'complete');
  return (
    <div class="notice notice-info mirror-notice" role="note" aria-label={t('designNotices.mirrorLabel')}>
      <p class="notice-title">
        {withElements(t('designNotices.mirroredFrom', { ...slots('instance') }), {
          instance: <a href={design.origin.url}>{design.origin.instance}</a>,
        })}
      </p>
      <p>
        {withElements(t('designNotices.mirrorReadOnly', { ...slots('home') }), {
          home: <a href={design.origin.url}>{t('designNotices.mirrorHome')}</a>,
        })}
      </p>
      {design.originGone && (
        <p>
          <strong>{t('designNotices.originGone')}</strong> {t('designNotices.originGoneCopies')}
        </p>
      )}
      {version?.mirror && (
        <p class="mirror-state">
          {t('designNotices.mirrorVersion', { version: version.version, state: mirrorStateText(version.mirror.state) })}
          {version.mirror.error ? ` (${version.mirror.error})` : ''}
        </p>
      )}
      {pending.length > 0 && (
        <ul class="mirror-pending">
          {pending.map((v) => (
            <li key={v.version}>
              {t('designNotices.mirrorVersion', { version: v.version, state: mirrorStateText(v.state) })}

              {v.error ? ` (${v.error})` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
