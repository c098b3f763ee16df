// Explore page `/`: search designs (and the parts that match), filter by facets, browse cards with previews, build
// counts and fork origins.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api';
import type { Design, DesignList } from '../api-types';
import { DesignCard } from '../components/DesignCard';
import { FollowRemoteForm } from '../components/FollowRemote';
import { FacetFilters, normaliseFacets } from '../components/FacetFilters';
import { PartMatches } from '../components/PartMatches';
import { EmptyState, ErrorNotice, Loading } from '../components/StateViews';
import { SelectField } from '../components/SelectField';
import { suggestSearches } from '../search-suggestions';
import { usePageTitle } from '../page-title';
import { setSearchParams, useLocation } from '../router';
import { useApi } from '../use-api';

const filterParams = [
  'q',
  'category',
  'license',
  'country',
  'process',
  'readiness',
  'hasBuilds',
  'minCompleteness',
  'tag',
  'owner',
  'instance',
  'sort',
];

/** How a filter reads in a sentence ("Category: energy"); `q` and `sort` are not filters. */
const filterLabels: Record<string, string> = {
  category: 'Category',
  license: 'Licence',
  country: 'Built in',
  process: 'Process',
  readiness: 'Readiness',
  hasBuilds: 'Built at least once',
  minCompleteness: 'Documented at least',
  tag: 'Tag',
  owner: 'By',
  instance: 'Home',
};

function describeFilter(name: string, value: string): string {
  if (name === 'hasBuilds') return value === 'true' ? 'built at least once' : 'not built yet';
  if (name === 'minCompleteness') return `documented ${value}%+`;
  return `${filterLabels[name]}: ${name === 'owner' ? `@${value}` : value}`;
}

export function ExplorePage() {
  usePageTitle(undefined);
  const location = useLocation();
  const params = Object.fromEntries(filterParams.map((name) => [name, location.search.get(name) ?? undefined]));
  const listPath = `/api/designs${query({ ...params, facets: true, limit: 24 })}`;
  const designs = useApi<DesignList>(listPath);
  const [searchText, setSearchText] = useState(params.q ?? '');
  const [more, setMore] = useState<Design[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<ApiError | null>(null);

  useEffect(() => {
    setMore([]);
    setCursor(designs.status === 'ok' ? (designs.data.nextCursor ?? null) : null);
  }, [designs.status === 'ok' ? designs.data : null]);

  useEffect(() => {
    // Search as you type, without a history entry per keystroke.
    const timer = setTimeout(() => {
      if ((params.q ?? '') !== searchText) setSearchParams({ q: searchText.trim() || null });
    }, 300);
    return () => clearTimeout(timer);
  }, [searchText]);

  async function loadMore() {
    if (!cursor) return;
    try {
      const next = await api.get<DesignList>(`/api/designs${query({ ...params, facets: true, limit: 24, cursor })}`);
      setMore((items) => [...items, ...next.items]);
      setCursor(next.nextCursor ?? null);
    } catch (err) {
      setMoreError(err as ApiError);
    }
  }

  const items =
    designs.status === 'ok'
      ? [...designs.data.items, ...more]
      : (designs.status === 'loading' && designs.data?.items) || [];
  const facets = normaliseFacets(designs.status === 'ok' ? designs.data.facets : undefined, items);
  const filtering = filterParams.some((name) => name !== 'sort' && params[name]);
  const filters = Object.keys(filterLabels).filter((name) => params[name]);
  // examples come from what this registry holds: the page itself when unfiltered, else the unfiltered list
  const everything = useApi<DesignList>(filtering ? '/api/designs?limit=50' : null);
  const suggestions = suggestSearches(filtering ? (everything.status === 'ok' ? everything.data.items : []) : items);
  const clearFilters = () => setSearchParams(Object.fromEntries(filters.map((name) => [name, null])));
  const search = (text: string) => {
    setSearchText(text);
    setSearchParams({ q: text, ...Object.fromEntries(filters.map((name) => [name, null])) });
  };

  return (
    <section class="page">
      <div class="hero">
        <h1>Machines made in common</h1>
        <p class="lede">
          Open-hardware designs with their parts lists, ready to build — and what workshops learned building them.
        </p>
        <form
          class="search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setSearchParams({ q: searchText.trim() || null });
          }}
        >
          <label for="design-search" class="visually-hidden">
            Search designs
          </label>
          <input
            id="design-search"
            type="search"
            placeholder={
              suggestions.length ? `Search designs, e.g. ${suggestions.slice(0, 2).join(', ')}…` : 'Search designs'
            }
            value={searchText}
            onInput={(event) => setSearchText(event.currentTarget.value)}
          />
          <button class="button" type="submit">
            Search
          </button>
        </form>
      </div>
      <div class="explore">
        <FacetFilters
          facets={facets}
          selected={location.search}
          onChange={(param, value) => setSearchParams({ [param]: value })}
        />
        <div class="explore-results">
          <div class="results-bar">
            <p class="muted" aria-live="polite">
              {designs.status === 'ok' && `${items.length}${cursor ? '+' : ''} design${items.length === 1 ? '' : 's'}`}
            </p>
            <SelectField
              label="Sort"
              value={params.sort ?? (params.q ? 'relevance' : 'recent')}
              onChange={(value) =>
                setSearchParams({ sort: value === (params.q ? 'relevance' : 'recent') ? null : value })
              }
            >
              {params.q && <option value="relevance">Best match</option>}
              <option value="recent">Recent</option>
              <option value="title">Title</option>
              <option value="completeness">Best documented</option>
            </SelectField>
            {filtering && (
              <button
                type="button"
                class="button button-quiet button-small"
                onClick={() => {
                  setSearchText('');
                  setSearchParams(Object.fromEntries(filterParams.map((name) => [name, null])));
                }}
              >
                {filters.length > 0 ? 'Clear filters' : 'Clear search'}
              </button>
            )}
          </div>
          {params.q && <PartMatches q={params.q} />}
          {designs.status === 'loading' && items.length === 0 && <Loading label="Loading designs…" />}
          {designs.status === 'error' && <ErrorNotice error={designs.error} onRetry={designs.reload} />}
          {designs.status === 'ok' && items.length === 0 && (
            <EmptyState
              title={
                !filtering
                  ? 'No designs published yet.'
                  : `No design matches ${[params.q ? `“${params.q}”` : '', filters.map((name) => describeFilter(name, params[name]!)).join(', ')].filter(Boolean).join(' with ')}.`
              }
            >
              {!filtering && (
                <p>
                  Be the first: <a href="/publish">publish a design</a>
                </p>
              )}
              {filters.length > 0 && (
                <p>
                  <button type="button" class="button button-small" onClick={clearFilters}>
                    {params.q
                      ? `Clear the filters, keep “${params.q}”`
                      : `Clear the filter${filters.length === 1 ? '' : 's'}`}
                  </button>
                </p>
              )}
              {filtering && suggestions.length > 0 && (
                <div class="search-suggestions">
                  <p>Or try a search that finds designs here:</p>
                  <ul class="chips">
                    {suggestions.map((text) => (
                      <li key={text}>
                        <button type="button" class="chip chip-button" onClick={() => search(text)}>
                          {text}
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </EmptyState>
          )}
          {items.length > 0 && (
            <ul class="design-grid" aria-busy={designs.status === 'loading'}>
              {items.map((design) => (
                <li key={`${design.owner}/${design.slug}`}>
                  <DesignCard design={design} />
                </li>
              ))}
            </ul>
          )}
          {moreError && <ErrorNotice error={moreError} />}
          {cursor && (
            <button type="button" class="button button-quiet load-more" onClick={() => void loadMore()}>
              Show more designs
            </button>
          )}
          <FollowRemoteForm />
        </div>
      </div>
    </section>
  );
}
