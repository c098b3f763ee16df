// A form generated from a JSON Schema (object, string, number, boolean, enum, arrays of either, nested objects).
// Used for the version manifest so the form follows schemas/manifest.schema.json without hand edits.
import type { JSX } from 'preact';
import { resolveRef, type JsonSchema } from '../schemas';
import { t } from '../i18n';
import { slots, withElements } from '../message-elements';

type Json = unknown;
type FieldProps = {
  name: string;
  path: string;
  schema: JsonSchema;
  root: JsonSchema;
  value: Json;
  required: boolean;
  onChange: (value: Json) => void;
};

function humanise(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());
}

type FieldText = { label?: string; hint?: string; item?: string; add?: string };

/** The manifest's fields in the reader's language, by path; a field not named here keeps its schema's words. */
function manifestFieldTexts(): Record<string, FieldText> {
  return {
    version: { label: t('schemaForm.fields.version.label'), hint: t('schemaForm.fields.version.hint') },
    changelog: { label: t('schemaForm.fields.changelog.label'), hint: t('schemaForm.fields.changelog.hint') },
    title: { label: t('schemaForm.fields.title.label') },
    summary: { label: t('schemaForm.fields.summary.label') },
    function: { label: t('schemaForm.fields.function.label'), hint: t('schemaForm.fields.function.hint') },
    category: { label: t('schemaForm.fields.category.label') },
    tags: {
      label: t('schemaForm.fields.tags.label'),
      item: t('schemaForm.fields.tags.item'),
      add: t('schemaForm.fields.tags.add'),
    },
    licenses: { label: t('schemaForm.fields.licenses.label'), hint: t('schemaForm.fields.licenses.hint') },
    'licenses.hardware': { label: t('schemaForm.fields.licenses.hardware') },
    'licenses.documentation': { label: t('schemaForm.fields.licenses.documentation') },
    'licenses.software': { label: t('schemaForm.fields.licenses.software') },
    readme: { label: t('schemaForm.fields.readme.label'), hint: t('schemaForm.fields.readme.hint') },
    units: { label: t('schemaForm.fields.units.label'), hint: t('schemaForm.fields.units.hint') },
    readiness: { label: t('schemaForm.fields.readiness.label') },
    'readiness.technology': { label: t('schemaForm.fields.readiness.technology') },
    'readiness.documentation': { label: t('schemaForm.fields.readiness.documentation') },
    safety: {
      label: t('schemaForm.fields.safety.label'),
      hint: t('schemaForm.fields.safety.hint'),
      item: t('schemaForm.fields.safety.item'),
      add: t('schemaForm.fields.safety.add'),
    },
    safetyCritical: {
      label: t('schemaForm.fields.safetyCritical.label'),
      hint: t('schemaForm.fields.safetyCritical.hint'),
    },
    'fork-of': { label: t('schemaForm.fields.forkOf.label') },
  };
}

function textsOf(path: string): FieldText {
  return manifestFieldTexts()[path] ?? {};
}

/** A field's schema with its title and description in the reader's language where the manifest's field is known. */
function localised(schema: JsonSchema, path: string): JsonSchema {
  const texts = textsOf(path);
  return { ...schema, title: texts.label ?? schema.title, description: texts.hint ?? schema.description };
}

function fieldId(path: string): string {
  return `sf-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

/** Resolves $ref, merges allOf and picks the usable branch of a nullable type / oneOf / anyOf. */
export function normalise(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = resolveRef(schema, root);
  if (current.allOf)
    current = current.allOf.reduce<JsonSchema>(
      (merged, part) => ({
        ...merged,
        ...normalise(part, root),
        properties: { ...merged.properties, ...normalise(part, root).properties },
      }),
      { ...current, allOf: undefined },
    );
  const branches = current.oneOf ?? current.anyOf;
  if (branches && !current.type) {
    const resolved = branches.map((branch) => normalise(branch, root));
    if (resolved.every((branch) => branch.const !== undefined || (branch.enum && branch.enum.length > 0))) {
      current = {
        ...current,
        type: 'string',
        enum: resolved.flatMap((branch) => (branch.const !== undefined ? [branch.const] : (branch.enum ?? []))),
      };
    } else {
      const usable = resolved.find((branch) => branch.type && branch.type !== 'null');
      if (usable)
        current = {
          ...usable,
          title: current.title ?? usable.title,
          description: current.description ?? usable.description,
        };
    }
  }
  if (Array.isArray(current.type))
    current = { ...current, type: current.type.find((type) => type !== 'null') ?? 'string' };
  if (!current.type && current.properties) current = { ...current, type: 'object' };
  if (!current.type && current.enum) current = { ...current, type: 'string' };
  return current;
}

function isLongText(name: string, schema: JsonSchema): boolean {
  if (schema.format === 'markdown') return true;
  if (/changelog|description|notes|function|summary/i.test(name)) return (schema.maxLength ?? 1000) > 200;
  return (schema.maxLength ?? 0) > 1000;
}

function Hint({ id, schema }: { id: string; schema: JsonSchema }) {
  if (!schema.description) return null;
  return (
    <span class="field-hint" id={`${id}-hint`}>
      {schema.description}
    </span>
  );
}

function ScalarField({ name, path, schema, value, required, onChange }: Omit<FieldProps, 'root'>) {
  const id = fieldId(path);
  const label = schema.title ?? humanise(name);
  const describedBy = schema.description ? `${id}-hint` : undefined;
  const labelText = (
    <span class="field-label">
      {label}
      {required && <span class="required"> {t('schemaForm.required')}</span>}
    </span>
  );
  if (schema.type === 'boolean') {
    return (
      <div class="field">
        <label class="check" for={id}>
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            aria-describedby={describedBy}
            onChange={(event) => onChange(event.currentTarget.checked ? true : undefined)}
          />
          {label}
        </label>
        <Hint id={id} schema={schema} />
      </div>
    );
  }
  let control: JSX.Element;
  if (schema.enum) {
    control = (
      <select
        id={id}
        name={path}
        required={required}
        aria-describedby={describedBy}
        value={value === undefined ? '' : String(value)}
        onChange={(event) =>
          onChange(
            event.currentTarget.value === ''
              ? undefined
              : schema.enum!.find((option) => String(option) === event.currentTarget.value),
          )
        }
      >
        {!required && <option value="">—</option>}
        {schema.enum.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (schema.type === 'number' || schema.type === 'integer') {
    control = (
      <input
        id={id}
        name={path}
        type="number"
        required={required}
        step={schema.type === 'integer' ? 1 : 'any'}
        min={schema.minimum}
        max={schema.maximum}
        aria-describedby={describedBy}
        value={value === undefined ? '' : String(value)}
        onInput={(event) => onChange(event.currentTarget.value === '' ? undefined : Number(event.currentTarget.value))}
      />
    );
  } else if (isLongText(name, schema)) {
    control = (
      <textarea
        id={id}
        name={path}
        rows={4}
        required={required}
        maxLength={schema.maxLength}
        aria-describedby={describedBy}
        value={typeof value === 'string' ? value : ''}
        onInput={(event) => onChange(event.currentTarget.value || undefined)}
      />
    );
  } else {
    const type =
      schema.format === 'date'
        ? 'date'
        : schema.format === 'uri' || schema.format === 'url'
          ? 'url'
          : schema.format === 'email'
            ? 'email'
            : 'text';
    control = (
      <input
        id={id}
        name={path}
        type={type as 'text'}
        required={required}
        maxLength={schema.maxLength}
        placeholder={schema.examples?.[0] !== undefined ? String(schema.examples[0]) : undefined}
        aria-describedby={describedBy}
        value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
        onInput={(event) => onChange(event.currentTarget.value || undefined)}
      />
    );
  }
  return (
    <div class="field">
      <label for={id}>{labelText}</label>
      {control}
      <Hint id={id} schema={schema} />
    </div>
  );
}

function ArrayField({ name, path, schema, root, value, required, onChange }: FieldProps) {
  const items = normalise(schema.items ?? { type: 'string' }, root);
  const list = Array.isArray(value) ? value : [];
  const label = schema.title ?? humanise(name);
  const id = fieldId(path);
  const texts = textsOf(path);
  const itemName = texts.item ?? items.title ?? humanise(name).replace(/s$/, '');
  const itemLabel = (index: number) => t('schemaForm.itemNumber', { item: itemName, number: index + 1 });
  if (items.enum) {
    return (
      <fieldset class="field" aria-describedby={schema.description ? `${id}-hint` : undefined}>
        <legend class="field-label">{label}</legend>
        <div class="check-grid">
          {items.enum.map((option) => (
            <label class="check" key={String(option)}>
              <input
                type="checkbox"
                checked={list.includes(option)}
                onChange={(event) => {
                  const next = event.currentTarget.checked
                    ? [...list, option]
                    : list.filter((entry) => entry !== option);
                  onChange(next.length ? next : undefined);
                }}
              />
              {String(option)}
            </label>
          ))}
        </div>
        <Hint id={id} schema={schema} />
      </fieldset>
    );
  }
  const update = (index: number, entry: Json) => {
    const next = [...list];
    next[index] = entry;
    onChange(next);
  };
  return (
    <fieldset class="field array-field">
      <legend class="field-label">
        {label}
        {required && <span class="required"> {t('schemaForm.required')}</span>}
      </legend>
      <Hint id={id} schema={schema} />
      {list.map((entry, index) => (
        <div class="array-item" key={index}>
          <SchemaField
            name={itemLabel(index)}
            path={`${path}.${index}`}
            schema={items}
            root={root}
            value={entry}
            required={false}
            onChange={(next) => update(index, next)}
          />
          <button
            type="button"
            class="button button-quiet button-small"
            onClick={() => onChange(list.filter((_, i) => i !== index))}
          >
            {withElements(t('schemaForm.remove', { ...slots('item') }), {
              item: (
                <span class="visually-hidden">{t('schemaForm.itemNumber', { item: label, number: index + 1 })}</span>
              ),
            })}
          </button>
        </div>
      ))}
      <button
        type="button"
        class="button button-quiet button-small"
        onClick={() => onChange([...list, items.type === 'object' ? {} : undefined])}
      >
        {texts.add ?? t('schemaForm.add', { item: itemName.toLowerCase() })}
      </button>
    </fieldset>
  );
}

function JsonField({ name, path, schema, value, onChange }: Omit<FieldProps, 'root' | 'required'>) {
  const id = fieldId(path);
  return (
    <div class="field">
      <label for={id}>
        <span class="field-label">{t('schemaForm.json', { label: schema.title ?? humanise(name) })}</span>
      </label>
      <textarea
        id={id}
        class="mono"
        rows={3}
        defaultValue={value === undefined ? '' : JSON.stringify(value, null, 2)}
        onChange={(event) => {
          try {
            onChange(event.currentTarget.value.trim() ? JSON.parse(event.currentTarget.value) : undefined);
            event.currentTarget.setCustomValidity('');
          } catch {
            event.currentTarget.setCustomValidity(t('schemaForm.notJson'));
            event.currentTarget.reportValidity();
          }
        }}
      />
    </div>
  );
}

export function ObjectFields({
  path,
  schema,
  root,
  value,
  onChange,
  only,
  except,
}: {
  path: string;
  schema: JsonSchema;
  root: JsonSchema;
  value: Record<string, Json>;
  onChange: (value: Record<string, Json>) => void;
  only?: string[];
  except?: string[];
}) {
  const properties = Object.entries(schema.properties ?? {}).filter(
    ([key]) => (!only || only.includes(key)) && (!except || !except.includes(key)),
  );
  const required = new Set(schema.required ?? []);
  return (
    <>
      {properties.map(([key, child]) => (
        <SchemaField
          key={key}
          name={key}
          path={path ? `${path}.${key}` : key}
          schema={child}
          root={root}
          value={value[key]}
          required={required.has(key)}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[key];
            else copy[key] = next;
            onChange(copy);
          }}
        />
      ))}
    </>
  );
}

export function SchemaField(props: FieldProps) {
  const schema = localised(normalise(props.schema, props.root), props.path);

  if (schema.const !== undefined) return null;
  if (schema.type === 'object') {
    if (!schema.properties) return <JsonField {...props} schema={schema} />;
    const value = (props.value && typeof props.value === 'object' ? props.value : {}) as Record<string, Json>;
    return (
      <fieldset class="field group">
        <legend class="field-label">{schema.title ?? humanise(props.name)}</legend>
        {schema.description && <p class="field-hint">{schema.description}</p>}
        <ObjectFields
          path={props.path}
          schema={schema}
          root={props.root}
          value={value}
          onChange={(next) => props.onChange(Object.keys(next).length ? next : undefined)}
        />
      </fieldset>
    );
  }
  if (schema.type === 'array') return <ArrayField {...props} schema={schema} />;
  if (['string', 'number', 'integer', 'boolean'].includes(String(schema.type)))
    return <ScalarField {...props} schema={schema} />;
  return <JsonField {...props} schema={schema} />;
}

/** Drops empty strings, empty arrays and empty objects so a lenient manifest stays minimal. */
export function pruneEmpty(value: Json): Json {
  if (Array.isArray(value)) {
    const items = value.map(pruneEmpty).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, pruneEmpty(item)] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === '' || value === null ? undefined : value;
}
