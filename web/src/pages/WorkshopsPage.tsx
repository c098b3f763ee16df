// Workshops directory `/workshops`: filter by country and process, list workshops, create one.
import { useState } from 'preact/hooks';
import { query } from '../api';
import type { WorkshopList } from '../api-types';
import { EmptyState, ErrorNotice, Loading } from '../components/StateViews';
import { SelectField } from '../components/SelectField';
import { WorkshopForm } from '../components/WorkshopForm';
import { t } from '../i18n';
import { usePageTitle } from '../page-title';
import { navigate, setSearchParams, useLocation } from '../router';
import { processes } from '../schemas';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { placeName, processName } from '../display-names';

export function WorkshopsPage() {
  usePageTitle(t('workshopsPage.title'));
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
      <h1>{t('workshopsPage.title')}</h1>
      <p class="lede">{t('workshopsPage.lede')}</p>
      <form
        class="form-inline filters"
        role="search"
        aria-label={t('workshopsPage.filterLabel')}
        onSubmit={(event) => {
          event.preventDefault();
          setSearchParams({ country: countryText.trim().toUpperCase() || null });
        }}
      >
        <label class="field field-inline">
          <span class="field-label">{t('workshopsPage.country')}</span>
          <input
            size={4}
            maxLength={2}
            placeholder={t('workshopsPage.countryPlaceholder')}
            value={countryText}
            onInput={(event) => setCountryText(event.currentTarget.value.toUpperCase())}
            onBlur={() => setSearchParams({ country: countryText.trim() || null })}
          />
        </label>
        <SelectField
          label={t('workshopsPage.process')}
          value={process}
          onChange={(value) => setSearchParams({ process: value || null })}
        >
          <option value="">{t('workshopsPage.any')}</option>
          {processes().map((name) => (
            <option key={name} value={name}>
              {processName(name)}
            </option>
          ))}
        </SelectField>
        <button class="button button-quiet" type="submit">
          {t('workshopsPage.filter')}
        </button>
        {session.token && !showForm && (
          <button type="button" class="button" onClick={() => setShowForm(true)}>
            {t('workshopsPage.add')}
          </button>
        )}
      </form>
      {showForm && session.token && (
        <WorkshopForm onCreated={(workshop) => navigate(`/workshops/${encodeURIComponent(workshop.slug)}`)} />
      )}
      {workshops.status === 'loading' && <Loading label={t('workshopsPage.loading')} />}
      {workshops.status === 'error' && <ErrorNotice error={workshops.error} onRetry={workshops.reload} />}
      {workshops.status === 'missing' && <EmptyState title={t('workshopsPage.noDirectory')} />}
      {workshops.status === 'ok' && items.length === 0 && (
        <EmptyState title={country || process ? t('workshopsPage.noMatch') : t('workshopsPage.none')}>
          {!session.token && (
            <p>
              <a href="/login?next=/workshops%23new-workshop">{t('workshopsPage.signIn')}</a>{' '}
              {t('workshopsPage.signInAfter')}
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
              <p class="muted">{placeName(workshop.place)}</p>
              {workshop.processes && workshop.processes.length > 0 && (
                <ul class="chips" aria-label={t('workshopsPage.processes')}>
                  {workshop.processes.map((name) => (
                    <li key={name} class="chip">
                      {processName(name)}
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
