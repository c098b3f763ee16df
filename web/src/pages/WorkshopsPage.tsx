// Workshops directory `/workshops`: filter by country and process, list workshops, create one.
import { useState } from 'preact/hooks';
import { query } from '../api';
import type { WorkshopList } from '../api-types';
import { EmptyState, ErrorNotice, Loading } from '../components/StateViews';
import { SelectField } from '../components/SelectField';
import { WorkshopForm } from '../components/WorkshopForm';
import { usePageTitle } from '../page-title';
import { navigate, setSearchParams, useLocation } from '../router';
import { processes } from '../schemas';
import { useSession } from '../session';
import { useApi } from '../use-api';

export function WorkshopsPage() {
  usePageTitle('Workshops');
  const session = useSession();
  const location = useLocation();
  const country = location.search.get('country') ?? '';
  const process = location.search.get('process') ?? '';
  const workshops = useApi<WorkshopList>(`/api/workshops${query({ country, process })}`);
  const [countryText, setCountryText] = useState(country);
  const [showForm, setShowForm] = useState(location.hash === '#new-workshop');
  const items = workshops.status === 'ok' ? workshops.data.items : [];

  return (
    <section class="page">
      <h1>Workshops</h1>
      <p class="lede">Places that build machines from Andecha designs — and what each can make.</p>
      <form
        class="form-inline filters"
        role="search"
        aria-label="Filter workshops"
        onSubmit={(event) => {
          event.preventDefault();
          setSearchParams({ country: countryText.trim().toUpperCase() || null });
        }}
      >
        <label class="field field-inline">
          <span class="field-label">Country</span>
          <input
            size={4}
            maxLength={2}
            placeholder="KE"
            value={countryText}
            onInput={(event) => setCountryText(event.currentTarget.value.toUpperCase())}
            onBlur={() => setSearchParams({ country: countryText.trim() || null })}
          />
        </label>
        <SelectField label="Process" value={process} onChange={(value) => setSearchParams({ process: value || null })}>
          <option value="">Any</option>
          {processes().map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </SelectField>
        <button class="button button-quiet" type="submit">
          Filter
        </button>
        {session.token && !showForm && (
          <button type="button" class="button" onClick={() => setShowForm(true)}>
            Add your workshop
          </button>
        )}
      </form>
      {showForm && session.token && (
        <WorkshopForm onCreated={(workshop) => navigate(`/workshops/${encodeURIComponent(workshop.slug)}`)} />
      )}
      {workshops.status === 'loading' && <Loading label="Loading workshops…" />}
      {workshops.status === 'error' && <ErrorNotice error={workshops.error} onRetry={workshops.reload} />}
      {workshops.status === 'missing' && <EmptyState title="This server has no workshop directory yet." />}
      {workshops.status === 'ok' && items.length === 0 && (
        <EmptyState title={country || process ? 'No workshop matches these filters.' : 'No workshops listed yet.'}>
          {!session.token && (
            <p>
              <a href="/login?next=/workshops%23new-workshop">Sign in</a> to add yours.
            </p>
          )}
        </EmptyState>
      )}
      {items.length > 0 && (
        <ul class="workshop-grid">
          {items.map((workshop) => (
            <li key={workshop.slug} class="card workshop-card">
              <h2 class="h3">
                <a href={`/workshops/${encodeURIComponent(workshop.slug)}`}>{workshop.name}</a>
              </h2>
              <p class="muted">
                {[workshop.place?.city, workshop.place?.region, workshop.place?.country].filter(Boolean).join(', ')}
              </p>
              {workshop.processes && workshop.processes.length > 0 && (
                <ul class="chips" aria-label="Processes">
                  {workshop.processes.map((name) => (
                    <li key={name} class="chip">
                      {name}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
