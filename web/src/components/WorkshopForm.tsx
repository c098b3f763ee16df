// Create-workshop form: POST /api/workshops {slug, name, place:{city, region, country}, processes}.
import { useState } from 'preact/hooks';
import { apiClient, replyOf } from '../api-client';
import { t } from '../i18n';
import type { Workshop } from '../api-types';
import { processes } from '../schemas';
import { slugify } from './DesignChooser';
import { ErrorNotice } from './StateViews';
import { useFormSubmit } from '../use-form-submit';
import { processName } from '../display-names';

export function WorkshopForm({ onCreated }: { onCreated: (workshop: Workshop) => void }) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [city, setCity] = useState('');
  const [region, setRegion] = useState('');
  const [country, setCountry] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);

  const { busy, error, submit } = useFormSubmit(async () => {
    const place = { city, country: country.toUpperCase(), ...(region ? { region } : {}) };
    onCreated(await replyOf(apiClient.POST('/api/workshops', { body: { slug, name, place, processes: chosen } })));
  });

  return (
    <form class="form card" id="new-workshop" onSubmit={submit} aria-labelledby="new-workshop-heading">
      <h2 id="new-workshop-heading">{t('workshopForm.title')}</h2>
      {error && <ErrorNotice error={error} />}
      <div class="grid-2">
        <label class="field">
          <span class="field-label">{t('workshopForm.name')}</span>
          <input
            name="workshop-name"
            required
            value={name}
            onInput={(event) => {
              const next = event.currentTarget.value;
              if (!slug || slug === slugify(name)) setSlug(slugify(next));
              setName(next);
            }}
          />
        </label>
        <label class="field">
          <span class="field-label">{t('workshopForm.slug')}</span>
          <input
            name="workshop-slug"
            required
            pattern="[a-z0-9][a-z0-9\-]*"
            value={slug}
            onInput={(event) => setSlug(event.currentTarget.value.toLowerCase())}
          />
        </label>
      </div>
      <div class="grid-3">
        <label class="field">
          <span class="field-label">{t('workshopForm.city')}</span>
          <input name="city" required value={city} onInput={(event) => setCity(event.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('workshopForm.region')}</span>
          <input name="region" value={region} onInput={(event) => setRegion(event.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('workshopForm.country')}</span>
          <input
            name="country"
            required
            maxLength={2}
            pattern="[A-Za-z]{2}"
            placeholder={t('workshopForm.countryPlaceholder')}
            value={country}
            onInput={(event) => setCountry(event.currentTarget.value.toUpperCase())}
          />
        </label>
      </div>
      <fieldset class="field">
        <legend class="field-label">{t('workshopForm.processes')}</legend>
        <div class="check-grid">
          {processes().map((process) => (
            <label key={process} class="check">
              <input
                type="checkbox"
                name="processes"
                value={process}
                checked={chosen.includes(process)}
                onChange={(event) =>
                  setChosen(event.currentTarget.checked ? [...chosen, process] : chosen.filter((p) => p !== process))
                }
              />
              {processName(process)}
            </label>
          ))}
        </div>
      </fieldset>
      <button class="button" type="submit" disabled={busy}>
        {t('workshopForm.create')}
      </button>
    </form>
  );
}
