// Compare page `/{owner}/{slug}/compare?from=&to=`: manifest, file and BOM changes and visual geometry diffs between two versions.
import { designPath, query } from '../api';
import type { Compare, Design, VersionSummary, VersionList } from '../api-types';
import { BomDiff } from '../components/BomDiff';
import { FileChanges, ManifestChanges } from '../components/ChangeLists';
import { SelectField } from '../components/SelectField';
import { ErrorNotice, Loading, NotFound } from '../components/StateViews';
import { findImageSets, VisualDiffs } from '../components/VisualDiffs';
import { usePageTitle } from '../page-title';
import { designUrl, setSearchParams, useLocation } from '../router';
import { useApi } from '../use-api';

export function ComparePage({ owner, slug }: { owner: string; slug: string }) {
  const location = useLocation();
  const from = location.search.get('from') ?? '';
  const to = location.search.get('to') ?? '';
  usePageTitle(`Compare ${owner}/${slug}`);
  const design = useApi<Design>(designPath(owner, slug));
  const versions = useApi<VersionList | VersionSummary[]>(designPath(owner, slug, '/versions'));
  const compare = useApi<Compare>(from && to ? designPath(owner, slug, `/compare${query({ from, to })}`) : null);
  const list = versions.status === 'ok' ? (Array.isArray(versions.data) ? versions.data : versions.data.items) : [];

  if (design.status === 'missing') return <NotFound what={`The design ${owner}/${slug}`} />;

  const picker = (name: 'from' | 'to', value: string) => {
    const custom = value && !list.some((entry) => entry.version === value);
    return (
      <SelectField
        label={name === 'from' ? 'From' : 'To'}
        value={value}
        onChange={(next) => setSearchParams({ [name]: next || null })}
      >
        <option value="">Choose…</option>
        {custom && <option value={value}>{value}</option>}
        {list.map((entry) => (
          <option key={entry.version} value={entry.version}>
            {entry.version}
            {entry.state === 'yanked' ? ' (yanked)' : ''}
          </option>
        ))}
      </SelectField>
    );
  };

  const data = compare.status === 'ok' ? compare.data : undefined;
  return (
    <section class="page compare-page">
      <p class="breadcrumb">
        <a href={designUrl(owner, slug)}>
          {owner}/{slug}
        </a>{' '}
        / compare
      </p>
      <h1>Compare {design.status === 'ok' ? design.data.title : `${owner}/${slug}`}</h1>
      <div class="form-inline compare-pickers">
        {picker('from', from)}
        <span aria-hidden="true">→</span>
        {picker('to', to)}
      </div>
      <p class="muted small">
        Versions of other designs in the family can be named as owner/slug@version in the address.
      </p>
      {(!from || !to) && <p class="state state-empty">Choose two versions to compare.</p>}
      {compare.status === 'loading' && <Loading label="Comparing…" />}
      {compare.status === 'missing' && (
        <p class="state state-empty">
          These versions cannot be compared (one of them does not exist, or this server has no compare yet).
        </p>
      )}
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
