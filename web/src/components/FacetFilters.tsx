// Facet filters of the explore page: renders whatever facets the API returns, or ones derived from the items.
import type { Design, Facets } from '../api-types';

export type FacetOption = { value: string; count?: number };

const facetLabels: Record<string, string> = {
  category: 'Category',
  license: 'Licence',
  licence: 'Licence',
  country: 'Built in',
  process: 'Processes',
  processes: 'Processes',
  tag: 'Tag',
  tags: 'Tags',
};

/** Query parameter for a facet: the API names them singular (category, license, country, process, tag). */
export function facetParam(name: string): string {
  return ({ processes: 'process', tags: 'tag', licence: 'license', licenses: 'license', countries: 'country' } as Record<string, string>)[name] ?? name;
}

export function normaliseFacets(facets: Facets | undefined, items: Design[]): Record<string, FacetOption[]> {
  const result: Record<string, FacetOption[]> = {};
  if (facets && Object.keys(facets).length > 0) {
    for (const [name, raw] of Object.entries(facets)) {
      const options: FacetOption[] = Array.isArray(raw)
        ? raw.map((bucket) => (typeof bucket === 'string' ? { value: bucket } : { value: String(bucket.value), count: bucket.count }))
        : Object.entries(raw).map(([value, count]) => ({ value, count }));
      if (options.length > 0) result[name] = options;
    }
    return result;
  }
  const tally = (name: string, values: (string | null | undefined)[]) => {
    const counts = new Map<string, number>();
    for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
    if (counts.size > 0) result[name] = [...counts].sort((a, b) => b[1] - a[1]).map(([value, count]) => ({ value, count }));
  };
  tally('category', items.map((item) => item.category));
  tally('license', items.map((item) => item.licenses?.hardware));
  tally('country', items.flatMap((item) => item.countries ?? []));
  tally('process', items.flatMap((item) => item.processes ?? []));
  return result;
}

type Props = {
  facets: Record<string, FacetOption[]>;
  selected: URLSearchParams;
  onChange: (param: string, value: string | null) => void;
};

export function FacetFilters({ facets, selected, onChange }: Props) {
  const names = Object.keys(facets);
  if (names.length === 0) return null;
  return (
    <aside class="facets" aria-label="Filters">
      {names.map((name) => {
        const param = facetParam(name);
        const active = selected.get(param);
        return (
          <fieldset class="facet" key={name}>
            <legend>{facetLabels[name] ?? name}</legend>
            <ul>
              {facets[name].slice(0, 12).map((option) => {
                const id = `facet-${param}-${option.value}`.replace(/[^a-zA-Z0-9_-]/g, '_');
                return (
                  <li key={option.value}>
                    <input
                      type="checkbox"
                      id={id}
                      checked={active === option.value}
                      onChange={(event) => onChange(param, event.currentTarget.checked ? option.value : null)}
                    />
                    <label for={id}>
                      {option.value}
                      {option.count !== undefined && <span class="facet-count"> {option.count}</span>}
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
