// A labelled <select>: the label is a sibling tied by id, so its accessible name is the label alone and never the
// text of every option (a wrapping <label> makes "Process" read as "Process Any welding cutting-torch …").
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

type Props = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ComponentChildren;
  name?: string;
  inline?: boolean;
  class?: string;
  hint?: string;
  required?: boolean;
};

export function SelectField({
  label,
  value,
  onChange,
  children,
  name,
  inline = true,
  class: extra,
  hint,
  required,
}: Props) {
  const id = useId();
  return (
    <div class={`field${inline ? ' field-inline' : ''}${extra ? ` ${extra}` : ''}`}>
      <label for={id} class="field-label">
        {label}
      </label>
      <select
        id={id}
        name={name}
        value={value}
        required={required}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {children}
      </select>
      {hint && (
        <span id={`${id}-hint`} class="field-hint">
          {hint}
        </span>
      )}
    </div>
  );
}
