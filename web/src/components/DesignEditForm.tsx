// Edit a design from its page (owner or maintainer): title, summary, category, tags and licences through
// PATCH /api/designs/{owner}/{slug}. These belong to the design, not to a version: no new version is needed.
import { useState } from 'preact/hooks';
import { api, designPath } from '../api';
import type { Design, Licenses } from '../api-types';
import { useFormSubmit } from '../use-form-submit';
import { CategoryField } from './CategoryField';
import { LicencePicker, spdxProblem } from './LicencePicker';
import { ErrorNotice } from './StateViews';
import { t } from '../i18n';

type Props = { design: Design; onSaved: (design: Design) => void; onCancel: () => void };

function licenceKinds() {
  return [
    ['hardware', t('designEditForm.hardwareLicence')],
    ['documentation', t('designEditForm.documentationLicence')],
    ['software', t('designEditForm.softwareLicence')],
  ] as const;
}

/** Tags as typed, "press, earth blocks ,#bricks" → ["press", "earth blocks", "bricks"]. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((tag) => tag.trim().replace(/^#/, ''))
        .filter(Boolean),
    ),
  ];
}

export function DesignEditForm({ design, onSaved, onCancel }: Props) {
  const [title, setTitle] = useState(design.title);
  const [summary, setSummary] = useState(design.summary ?? '');
  const [category, setCategory] = useState(design.category ?? '');
  const [tags, setTags] = useState((design.tags ?? []).join(', '));
  const [licences, setLicences] = useState<Licenses>({ ...design.licenses });

  const { busy, error, submit } = useFormSubmit(async () => {
    const chosen = Object.fromEntries(
      Object.entries(licences)
        .map(([kind, spdx]) => [kind, String(spdx ?? '').trim()])
        .filter(([, spdx]) => spdx),
    );
    const saved = await api.patch<Design>(designPath(design.owner, design.slug), {
      title: title.trim(),
      summary: summary.trim(),
      category: category.trim() || null,
      tags: parseTags(tags),
      licenses: chosen,
    });
    onSaved(saved);
  });
  const invalid = Object.values(licences).some((spdx) => spdx && spdxProblem(spdx));

  return (
    <form class="card form subform design-edit" onSubmit={submit} aria-labelledby="edit-design-heading">
      <h2 id="edit-design-heading">{t('designEditForm.heading')}</h2>
      <p class="muted">{t('designEditForm.intro')}</p>
      {error && <ErrorNotice error={error} />}
      <label class="field">
        <span class="field-label">{t('designEditForm.title')}</span>
        <input
          name="title"
          required
          maxLength={200}
          value={title}
          onInput={(event) => setTitle(event.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span class="field-label">{t('designEditForm.summary')}</span>
        <textarea
          name="summary"
          rows={2}
          maxLength={2000}
          value={summary}
          onInput={(event) => setSummary(event.currentTarget.value)}
        />
      </label>
      <div class="grid-2">
        <CategoryField value={category} onChange={setCategory} />
        <label class="field">
          <span class="field-label">{t('designEditForm.tags')}</span>
          <input
            name="tags"
            aria-describedby="edit-tags-hint"
            value={tags}
            onInput={(event) => setTags(event.currentTarget.value)}
          />
          <span class="field-hint" id="edit-tags-hint">
            {t('designEditForm.tagsHint')}
          </span>
        </label>
      </div>
      <div class="grid-3">
        {licenceKinds().map(([kind, label]) => (
          <LicencePicker
            key={kind}
            label={label}
            name={`license-${kind}`}
            value={licences[kind] ?? ''}
            onChange={(spdx) => setLicences({ ...licences, [kind]: spdx })}
          />
        ))}
      </div>
      <div class="actions">
        <button class="button" type="submit" disabled={busy || invalid}>
          {busy ? t('designEditForm.saving') : t('designEditForm.save')}
        </button>
        <button class="button button-quiet" type="button" onClick={onCancel}>
          {t('designEditForm.cancel')}
        </button>
      </div>
    </form>
  );
}
