// The category of a design: free text with the registry's usual categories suggested.
import { useId } from 'preact/hooks';
import { t } from '../i18n';

const suggestions = [
  'agriculture',
  'construction',
  'energy',
  'tools',
  'food-processing',
  'water',
  'medical',
  'electronics',
  'transport',
];

export function CategoryField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id} class="field-label">
        {t('categoryField.label')}
      </label>
      <input
        id={id}
        name="category"
        list={`${id}-suggestions`}
        maxLength={60}
        value={value}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
      <datalist id={`${id}-suggestions`}>
        {suggestions.map((suggestion) => (
          <option key={suggestion} value={suggestion} />
        ))}
      </datalist>
    </div>
  );
}
