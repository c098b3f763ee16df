// Compare page `/{owner}/{slug}/compare?from=&to=`: manifest, file and BOM changes and visual geometry diffs between two versions.
import { designPath, query } from '../api';
import type { Compare, Design, VersionSummary, VersionList } from '../api-types';
import { BomDiff } from '../components/BomDiff';
import { FileChanges, ManifestChanges } from '../components/ChangeLists';
import { SelectField } from '../components/SelectField';
import { ErrorNotice, Loading, NotFound } from '../components/StateViews';
import { findImageSets, VisualDiffs } from '../components/VisualDiffs';
import { currentLocale, localeDirection, t } from '../i18n';
import { usePageTitle } from '../page-title';
import { designUrl, setSearchParams, useLocation } from '../router';
import { useApi } from '../use-api';

export function ComparePage({ owner, slug }: { owner: string; slug: string }) {
  const location = useLocation();
  const from = location.search.get('from') ?? '';
  const to = location.search.get('to') ?? '';
  usePageTitle(t('comparePage.pageTitle', { design: `${owner}/${slug}` }));
  const design = useApi<Design>(designPath(owner, slug));
  const versions = useApi<VersionList | VersionSummary[]>(designPath(owner, slug, '/versions'));
  const compare = useApi<Compare>(from && to ? designPath(owner, slug, `/compare${query({ from, to })}`) : null);
  const list = versions.status === 'ok' ? (Array.isArray(versions.data) ? versions.data : versions.data.items) : [];

  if (design.status === 'missing')
    return <NotFound what={t('comparePage.theDesign', { design: `${owner}/${slug}` })} />;

  const picker = (name: 'from' | 'to', value: string) => {
    const custom = value && !list.some((entry) => entry.version === value);
    return (
      <SelectField
        label={name === 'from' ? t('comparePage.from') : t('comparePage.to')}
        value={value}
        onChange={(next) => setSearchParams({ [name]: next || null })}
      >
        <option value="">{t('comparePage.choose')}</option>
        {custom && <option value={value}>{value}</option>}
        {list.map((entry) => (
          <option key={entry.version} value={entry.version}>
            {entry.state === 'yanked' ? t('comparePage.yanked', { version: entry.version }) : entry.version}
          </option>
        ))}
      </SelectField>
    );
  };

  const fromPicker = picker('from', from);
  const toPicker = picker('to', to);
  // from the first picker to the second, in the direction the line is read
  const arrow = localeDirection(currentLocale()) === 'rtl' ? '←' : '→';
  const data = compare.status === 'ok' ? compare.data : undefined;
  return (
    <section class="page compare-page">
      <p class="breadcrumb">
        <a href={designUrl(owner, slug)}>
          {owner}/{slug}
        </a>{' '}
        / {t('comparePage.breadcrumb')}
      </p>
      <h1>{t('comparePage.heading', { title: design.status === 'ok' ? design.data.title : `${owner}/${slug}` })}</h1>
      <div class="form-inline compare-pickers">
        {fromPicker}
        <span aria-hidden="true">{arrow}</span>
        {toPicker}
      </div>
      <p class="muted small">{t('comparePage.familyHint')}</p>
      {(!from || !to) && <p class="state state-empty">{t('comparePage.chooseTwo')}</p>}
      {compare.status === 'loading' && <Loading label={t('comparePage.comparing')} />}
      {compare.status === 'missing' && <p class="state state-empty">{t('comparePage.cannotCompare')}</p>}
      {compare.status === 'error' && <ErrorNotice error={compare.error} onRetry={compare.reload} />}
      {data && (
        <>
          {data.manifest !== undefined && <ManifestChanges value={data.manifest} />}
          {data.files !== undefined && <FileChanges value={data.files} />}
          {data.bom !== undefined && <BomDiff value={data.bom} />}
          <VisualDiffs sets={findImageSets({ geometry: data.geometry, files: data.files })} />
        </>
      )}
    </section>
  );
}
