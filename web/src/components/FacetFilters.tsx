// Facet filters of the explore page: the facet counts the search API returns (category, licence, process, country,
// readiness, builds, completeness), or ones derived from the items when a server gives none.
import type { Design, Facets } from '../api-types';
import { formatNumber } from '../format';
import { t } from '../i18n';
import { categoryName, countryName, processName } from '../display-names';

/** `value` is what goes in the query string; `label` what people read. */
export type FacetOption = { value: string; label: string; count?: number };
export type FacetGroup = { name: string; param: string; title: string; options: FacetOption[] };

/** The facets with a title of their own, by name. */
const titledFacets = [
  'category',
  'license',
  'process',
  'country',
  'readiness',
  'hasBuilds',
  'completeness',
  'tag',
  'instance',
];

/** A facet's title in the current language (built when rendering: the catalogue is loaded by then). */
function facetTitle(name: string): string | undefined {
  const keys: Record<string, string> = {
    category: 'facetFilters.title.category',
    license: 'facetFilters.title.license',
    process: 'facetFilters.title.process',
    country: 'facetFilters.title.country',
    readiness: 'facetFilters.title.readiness',
    hasBuilds: 'facetFilters.title.hasBuilds',
    completeness: 'facetFilters.title.completeness',
    tag: 'facetFilters.title.tag',
    instance: 'facetFilters.title.instance',
  };
  return keys[name] ? t(keys[name]) : undefined;
}

const facetOrder = [
  'category',
  'process',
  'country',
  'license',
  'hasBuilds',
  'completeness',
  'readiness',
  'tag',
  'instance',
];

/** Query parameter for a facet: the API names them singular; completeness buckets filter by their lower bound. */
export function facetParam(name: string): string {
  return (
    (
      {
        processes: 'process',
        tags: 'tag',
        licence: 'license',
        licenses: 'license',
        countries: 'country',
        completeness: 'minCompleteness',
      } as Record<string, string>
    )[name] ?? name
  );
}

function option(name: string, key: string, count?: number): FacetOption | null {
  if (name === 'hasBuilds') {
    if (key !== 'yes' && key !== 'no') return null;
    return {
      value: key === 'yes' ? 'true' : 'false',
      label: key === 'yes' ? t('facetFilters.builtOnce') : t('facetFilters.notBuilt'),
      count,
    };
  }
  if (name === 'completeness') {
    const low = /^(\d+)/.exec(key)?.[1];
    if (!low) return null;
    const label = key.endsWith('-100')
      ? t('facetFilters.documentedAtLeast', { low })
      : t('facetFilters.documented', { range: key });
    return { value: low, label, count };
  }
  if (name === 'category') return { value: key, label: categoryName(key), count };
  if (name === 'process' || name === 'processes') return { value: key, label: processName(key), count };
  if (name === 'country' || name === 'countries') return { value: key, label: countryName(key), count };
  return { value: key, label: key, count };
}

export function normaliseFacets(facets: Facets | undefined, items: Design[]): FacetGroup[] {
  const groups: FacetGroup[] = [];
  const push = (name: string, options: FacetOption[]) => {
    const param = facetParam(name);
    const canonical = titledFacets.find((key) => facetParam(key) === param) ?? name;
    if (options.length > 0) groups.push({ name: canonical, param, title: facetTitle(canonical) ?? name, options });
  };
  if (facets && Object.keys(facets).length > 0) {
    for (const [name, raw] of Object.entries(facets)) {
      const entries: [string, number | undefined][] = Array.isArray(raw)
        ? raw.map((bucket) => (typeof bucket === 'string' ? [bucket, undefined] : [String(bucket.value), bucket.count]))
        : Object.entries(raw).map(([key, count]) => [key, count]);
      // a bucket with no designs filters to nothing: leave it out
      push(
        name,
        entries
          .filter(([, count]) => count !== 0)
          .map(([key, count]) => option(name, key, count))
          .filter((o): o is FacetOption => o !== null),
      );
    }
  } else {
    const tally = (name: string, values: (string | null | undefined)[]) => {
      const counts = new Map<string, number>();
      for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
      push(
        name,
        [...counts].sort((a, b) => b[1] - a[1]).map(([value, count]) => option(name, value, count)!),
      );
    };
    tally(
      'category',
      items.map((item) => item.category),
    );
    tally(
      'license',
      items.map((item) => item.licenseFamily ?? item.licenses?.hardware),
    );
    tally(
      'process',
      items.flatMap((item) => item.processes ?? []),
    );
  }
  return groups.sort((a, b) => facetOrder.indexOf(a.name) - facetOrder.indexOf(b.name));
}

/** The id of a facet value's checkbox, which its label names. */
function facetInputId(param: string, value: string): string {
  return `facet-${param}-${value}`.replace(/[^a-zA-Z0-9_-]/g, '_');
}

type Props = {
  facets: FacetGroup[];
  selected: URLSearchParams;
  onChange: (param: string, value: string | null) => void;
};

export function FacetFilters({ facets, selected, onChange }: Props) {
  if (facets.length === 0) return null;
  return (
    <aside class="facets" aria-label={t('facetFilters.label')}>
      {facets.map((group) => {
        const active = selected.get(group.param);
        // designs from one instance only (no mirrors among them) and none chosen: nothing to choose between
        if (group.name === 'instance' && group.options.length < 2 && !active) return null;
        // keep the chosen value visible even when the narrowed results no longer count it
        const options =
          active && !group.options.some((o) => o.value === active)
            ? [{ value: active, label: active }, ...group.options]
            : group.options;
        return (
          <fieldset class="facet" key={group.param}>
            <legend>{group.title}</legend>
            <ul>
              {options.slice(0, 12).map((entry) => {
                const id = facetInputId(group.param, entry.value);
                return (
                  <li key={entry.value}>
                    <input
                      type="checkbox"
                      id={id}
                      checked={active === entry.value}
                      onChange={(event) => onChange(group.param, event.currentTarget.checked ? entry.value : null)}
                    />
                    <label for={id}>
                      {entry.label}
                      {entry.count !== undefined && (
                        <span class="facet-count">
                          {' '}
                          {formatNumber(entry.count)}
                          <span class="visually-hidden"> {t('facetFilters.designs', { count: entry.count })}</span>
                        </span>
                      )}
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        );
      })}
    </aside>
  );
}
