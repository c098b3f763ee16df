// Step 1 of publishing: pick one of your designs or create a new one (POST /api/designs).
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import type { Design, DesignList } from '../api-types';
import { dataOf, useApi } from '../use-api';
import { ErrorNotice, Loading } from './StateViews';
import { SelectField } from './SelectField';
import { CategoryField } from './CategoryField';
import { LicencePicker, spdxProblem } from './LicencePicker';
import { useFormSubmit } from '../use-form-submit';
import { t } from '../i18n';

type Props = { handle: string; selected: string; onSelect: (ref: string) => void };

export function DesignChooser({ handle, selected, onSelect }: Props) {
  const mine = useApi<DesignList>(`/api/designs${query({ owner: handle, limit: 100, sort: 'title' })}`);
  const [creating, setCreating] = useState(false);
  const [slug, setSlug] = useState('');
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [category, setCategory] = useState('');
  const [hardware, setHardware] = useState('CERN-OHL-S-2.0');
  const [documentation, setDocumentation] = useState('CC-BY-SA-4.0');
  // the list as last loaded stays on screen while it reloads (after a create), instead of vanishing for a moment
  const loaded = dataOf(mine);
  const items = loaded?.items ?? [];
  const showForm = creating || (loaded !== undefined && items.length === 0);

  const {
    busy,
    error,
    submit: create,
  } = useFormSubmit(async () => {
    const body: Record<string, unknown> = { slug, title };
    if (summary) body.summary = summary;
    if (category) body.category = category;
    const licenses = Object.fromEntries(
      Object.entries({ hardware: hardware.trim(), documentation: documentation.trim() }).filter(([, value]) => value),
    );
    if (Object.keys(licenses).length) body.licenses = licenses;
    const design = await api.post<Design>('/api/designs', body);
    mine.reload();
    setCreating(false);
    onSelect(`${design.owner}/${design.slug}`);
  });

  return (
    <div>
      {mine.status === 'loading' && !loaded && <Loading label={t('designChooser.loading')} />}
      {mine.status === 'error' && <ErrorNotice error={mine.error} onRetry={mine.reload} />}
      {items.length > 0 && (
        <div class="form-inline">
          <SelectField label={t('designChooser.design')} name="design" value={selected} onChange={onSelect}>
            <option value="">{t('designChooser.choose')}</option>
            {items.map((design) => (
              <option key={design.slug} value={`${design.owner}/${design.slug}`}>
                {design.title} ({design.owner}/{design.slug})
              </option>
            ))}
            {/* a design someone else owns that the caller maintains (New version from its page) */}
            {selected && !items.some((design) => `${design.owner}/${design.slug}` === selected) && (
              <option value={selected}>{selected}</option>
            )}
          </SelectField>
          {!creating && (
            <button type="button" class="button button-quiet" onClick={() => setCreating(true)}>
              {t('designChooser.newDesign')}
            </button>
          )}
        </div>
      )}
      {showForm && (
        <form class="form subform" onSubmit={create} aria-label={t('designChooser.newDesign')}>
          {error && <ErrorNotice error={error} />}
          <div class="grid-2">
            <label class="field">
              <span class="field-label">{t('designChooser.title')}</span>
              <input
                name="title"
                required
                value={title}
                onInput={(event) => {
                  const next = event.currentTarget.value;
                  if (!slug || slug === slugify(title)) setSlug(slugify(next));
                  setTitle(next);
                }}
              />
            </label>
            <label class="field">
              <span class="field-label">{t('designChooser.slug')}</span>
              <input
                name="slug"
                required
                pattern="[a-z0-9][a-z0-9\-]*"
                aria-describedby="slug-hint"
                value={slug}
                onInput={(event) => setSlug(event.currentTarget.value.toLowerCase())}
              />
              <span class="field-hint" id="slug-hint">
                /{handle}/{slug || t('designChooser.slugExample')}
              </span>
            </label>
          </div>
          <label class="field">
            <span class="field-label">{t('designChooser.summary')}</span>
            <input name="summary" value={summary} onInput={(event) => setSummary(event.currentTarget.value)} />
          </label>
          <div class="grid-3">
            <CategoryField value={category} onChange={setCategory} />
            <LicencePicker
              label={t('designChooser.hardwareLicence')}
              name="license-hardware"
              value={hardware}
              onChange={setHardware}
            />
            <LicencePicker
              label={t('designChooser.documentationLicence')}
              name="license-documentation"
              value={documentation}
              onChange={setDocumentation}
            />
          </div>
          <div class="actions">
            <button
              class="button"
              type="submit"
              disabled={busy || Boolean(spdxProblem(hardware) || spdxProblem(documentation))}
            >
              {t('designChooser.create')}
            </button>
            {items.length > 0 && (
              <button class="button button-quiet" type="button" onClick={() => setCreating(false)}>
                {t('designChooser.cancel')}
              </button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
