// The category of a design: free text with the registry's usual categories suggested.
import { useId } from 'preact/hooks';
import { t } from '../i18n';
import { categoryName, knownCategories } from '../display-names';

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
        {/* the value stays the category's code (what search facets group by); the label is the reader's word */}
        {knownCategories.map((category) => (
          <option key={category} value={category} label={categoryName(category)} />
        ))}
      </datalist>
    </div>
  );
}
