// The Markdown text of a question or a reply: one field, its limit and its hint (mentions, part references).
import { t } from '../i18n';

export function DiscussionBodyField(props: {
  label: string;
  name: string;
  rows: number;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <label class="field">
      <span class="field-label">{props.label}</span>
      <textarea
        name={props.name}
        required
        rows={props.rows}
        maxLength={20000}
        dir="auto"
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <span class="field-hint">{t('discussions.bodyHint')}</span>
    </label>
  );
}
