// Explore page `/`: search designs (and the parts and discussions that match), filter by facets, browse cards with
// previews, build counts and fork origins.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api';
import type { Design, DesignList } from '../api-types';
import { DesignCard } from '../components/DesignCard';
import { DiscussionMatches } from '../components/DiscussionMatches';
import { FollowRemoteForm } from '../components/FollowRemote';
import { FacetFilters, normaliseFacets } from '../components/FacetFilters';
import { PartMatches } from '../components/PartMatches';
import { EmptyState, ErrorNotice, Loading } from '../components/StateViews';
import { SelectField } from '../components/SelectField';
import { suggestSearches } from '../search-suggestions';
import { usePageTitle } from '../page-title';
import { setSearchParams, useLocation } from '../router';
import { useApi } from '../use-api';
import { t } from '../i18n';
import { categoryName } from '../display-names';
import { slots, withElements } from '../message-elements';

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

/** The parameters that filter (`q` and `sort` do not). */
const filterNames = filterParams.filter((name) => name !== 'q' && name !== 'sort');

/** How a filter reads in a sentence ("Category: energy"). */
function describeFilter(name: string, value: string): string {
  if (name === 'hasBuilds') return value === 'true' ? t('explorePage.filter.built') : t('explorePage.filter.notBuilt');
  if (name === 'minCompleteness') return t('explorePage.filter.minCompleteness', { value });
  const keys: Record<string, string> = {
    category: 'explorePage.filter.category',
    license: 'explorePage.filter.license',
    country: 'explorePage.filter.country',
    process: 'explorePage.filter.process',
    readiness: 'explorePage.filter.readiness',
    tag: 'explorePage.filter.tag',
    owner: 'explorePage.filter.owner',
    instance: 'explorePage.filter.instance',
  };
  return t(keys[name], { value: name === 'category' ? categoryName(value) : value });
}

/** The sentence of an empty result: what was searched for, with which filters. */
function noMatch(q: string | undefined, filters: string[]): string {
  if (filters.length === 0) return t('explorePage.noMatch', { q });
  const described = filters.join(t('explorePage.listSeparator'));
  return q
    ? t('explorePage.noMatchFiltered', { q, filters: described })
    : t('explorePage.noMatchFilters', { filters: described });
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
  const filters = filterNames.filter((name) => params[name]);
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
        <h1>{t('explorePage.heading')}</h1>
        <p class="lede">{t('explorePage.lede')}</p>
        <form
          class="search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setSearchParams({ q: searchText.trim() || null });
          }}
        >
          <label for="design-search" class="visually-hidden">
            {t('explorePage.searchLabel')}
          </label>
          <input
            id="design-search"
            type="search"
            placeholder={
              suggestions.length
                ? t('explorePage.searchExamples', {
                    examples: suggestions.slice(0, 2).join(t('explorePage.listSeparator')),
                  })
                : t('explorePage.searchLabel')
            }
            value={searchText}
            onInput={(event) => setSearchText(event.currentTarget.value)}
          />
          <button class="button" type="submit">
            {t('explorePage.search')}
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
              {designs.status === 'ok' &&
                (cursor
                  ? t('explorePage.countAtLeast', { count: items.length })
                  : t('explorePage.count', { count: items.length }))}
            </p>
            <SelectField
              label={t('explorePage.sort')}
              value={params.sort ?? (params.q ? 'relevance' : 'recent')}
              onChange={(value) =>
                setSearchParams({ sort: value === (params.q ? 'relevance' : 'recent') ? null : value })
              }
            >
              {params.q && <option value="relevance">{t('explorePage.sortRelevance')}</option>}
              <option value="recent">{t('explorePage.sortRecent')}</option>
              <option value="title">{t('explorePage.sortTitle')}</option>
              <option value="completeness">{t('explorePage.sortCompleteness')}</option>
              <option value="stars">{t('explorePage.sortStars')}</option>
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
                {filters.length > 0 ? t('explorePage.clearFilters') : t('explorePage.clearSearch')}
              </button>
            )}
          </div>
          {params.q && <PartMatches q={params.q} />}
          {designs.status === 'loading' && items.length === 0 && <Loading label={t('explorePage.loading')} />}
          {designs.status === 'error' && <ErrorNotice error={designs.error} onRetry={designs.reload} />}
          {designs.status === 'ok' && items.length === 0 && (
            <EmptyState
              title={
                !filtering
                  ? t('explorePage.empty')
                  : noMatch(
                      params.q,
                      filters.map((name) => describeFilter(name, params[name]!)),
                    )
              }
            >
              {!filtering && (
                <p>
                  {withElements(t('explorePage.beFirst', slots('link')), {
                    link: <a href="/publish">{t('explorePage.publishDesign')}</a>,
                  })}
                </p>
              )}
              {filters.length > 0 && (
                <p>
                  <button type="button" class="button button-small" onClick={clearFilters}>
                    {params.q
                      ? t('explorePage.clearFiltersKeep', { q: params.q })
                      : t('explorePage.clearTheFilters', { count: filters.length })}
                  </button>
                </p>
              )}
              {filtering && suggestions.length > 0 && (
                <div class="search-suggestions">
                  <p>{t('explorePage.trySearch')}</p>
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
              {t('explorePage.showMore')}
            </button>
          )}
          {params.q && <DiscussionMatches q={params.q} />}
          <FollowRemoteForm />
        </div>
      </div>
    </section>
  );
}
