// A licence field: the common open-hardware, documentation and software SPDX ids to search and pick (a datalist,
// so typing "share" or "cern" narrows the list), any other SPDX expression accepted, each checked as it is typed.
import { useId } from 'preact/hooks';
import parseSpdx from 'spdx-expression-parse';
import { t } from '../i18n';

/**
 * The licences makers on an open-hardware registry choose from most, with the name a person searches by (a licence's
 * own name stays as it is; the words that describe one are in the reader's language).
 */
export function commonLicences(): { id: string; name: string }[] {
  return [
    { id: 'CERN-OHL-S-2.0', name: t('licencePicker.names.cernS') },
    { id: 'CERN-OHL-W-2.0', name: t('licencePicker.names.cernW') },
    { id: 'CERN-OHL-P-2.0', name: t('licencePicker.names.cernP') },
    { id: 'TAPR-OHL-1.0', name: 'TAPR Open Hardware License' },
    { id: 'SHL-2.1', name: 'Solderpad Hardware License v2.1' },
    { id: 'CC-BY-SA-4.0', name: 'Creative Commons Attribution Share-Alike 4.0' },
    { id: 'CC-BY-4.0', name: 'Creative Commons Attribution 4.0' },
    { id: 'CC0-1.0', name: t('licencePicker.names.cc0') },
    { id: 'GFDL-1.3-or-later', name: 'GNU Free Documentation License 1.3 or later' },
    { id: 'GPL-3.0-or-later', name: 'GNU General Public License 3.0 or later' },
    { id: 'GPL-2.0-or-later', name: 'GNU General Public License 2.0 or later' },
    { id: 'LGPL-3.0-or-later', name: 'GNU Lesser General Public License 3.0 or later' },
    { id: 'AGPL-3.0-or-later', name: 'GNU Affero General Public License 3.0 or later' },
    { id: 'MPL-2.0', name: 'Mozilla Public License 2.0' },
    { id: 'MIT', name: 'MIT License' },
    { id: 'Apache-2.0', name: 'Apache License 2.0' },
    { id: 'BSD-3-Clause', name: 'BSD 3-Clause License' },
  ];
}

/** Why an SPDX expression is refused, or null when it parses (empty counts as valid: the field is optional). */
export function spdxProblem(expression: string): string | null {
  if (!expression.trim()) return null;
  try {
    parseSpdx(expression.trim());
    return null;
  } catch {
    return t('licencePicker.invalid', { expression, example: 'MIT OR Apache-2.0' });
  }
}

type Props = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  name?: string;
  hint?: string;
};

export function LicencePicker({ label, value, onChange, name, hint }: Props) {
  const id = useId();
  const problem = spdxProblem(value);
  const licences = commonLicences();
  const known = licences.find((licence) => licence.id === value.trim());
  const describedBy = [`${id}-hint`, problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field licence-picker">
      <label for={id} class="field-label">
        {label}
      </label>
      <input
        id={id}
        name={name}
        list={`${id}-list`}
        autocomplete="off"
        spellcheck={false}
        placeholder={t('licencePicker.placeholder')}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy}
        value={value}
        ref={(input) => input?.setCustomValidity(problem ?? '')}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
      <datalist id={`${id}-list`}>
        {licences.map((licence) => (
          <option key={licence.id} value={licence.id} label={licence.name}>
            {licence.name}
          </option>
        ))}
      </datalist>
      <span class="field-hint" id={`${id}-hint`}>
        {known ? known.name : value.trim() && !problem ? t('licencePicker.valid') : (hint ?? t('licencePicker.hint'))}
      </span>
      {problem && (
        <span class="field-error" id={`${id}-error`} role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
