// What changed in the original instructions since a stale translation was made, side by side: the README the
// translation follows against this version's, line by line. Long unchanged stretches fold to a count, leaving two
// lines of context around each change. A change is marked by a sign and a hidden word, never by colour alone.
import type { SourceChangeRow, TranslationDocument } from '../api-types';
import { localeDirection, t } from '../i18n';

type Shown = { row: SourceChangeRow } | { unchanged: SourceChangeRow[] };

const context = 2;

function folded(rows: readonly SourceChangeRow[]): Shown[] {
  const changed = rows.map((row) => row.kind !== 'same');
  const near = (i: number) => changed.slice(Math.max(0, i - context), i + context + 1).some(Boolean);
  const shown: Shown[] = [];
  rows.forEach((row, i) => {
    const last = shown[shown.length - 1];
    if (near(i)) shown.push({ row });
    else if (last && 'unchanged' in last) last.unchanged.push(row);
    else shown.push({ unchanged: [row] });
  });
  // a single line takes no more room than the count that would stand for it
  return shown.map((entry) =>
    'unchanged' in entry && entry.unchanged.length === 1 ? { row: entry.unchanged[0] } : entry,
  );
}

// the hidden word a screen reader hears before a line, by the row's kind and the column it is in
const labels: Record<'before' | 'after', Partial<Record<SourceChangeRow['kind'], string>>> = {
  before: { removed: 'translations.removed', changed: 'translations.changed' },
  after: { added: 'translations.added', changed: 'translations.changed' },
};

function Line({ row, side, lang }: { row: SourceChangeRow; side: 'before' | 'after'; lang: string }) {
  const text = row[side];
  const label = labels[side][row.kind];
  return (
    // the cell reads in the original's direction, its sign at the line's start
    <td class={`source-change-${side}`} dir={localeDirection(lang)}>
      {label && (
        <>
          <span class="source-change-sign" aria-hidden="true">
            {side === 'before' ? '−' : '+'}
          </span>
          <span class="visually-hidden">{t(label)} </span>
        </>
      )}
      {text !== undefined && (
        <span class="source-change-text" lang={lang}>
          {text}
        </span>
      )}
    </td>
  );
}

type Props = { changes: NonNullable<TranslationDocument['sourceChanges']>; lang: string; language: string };

/** `lang` is the original's tag, `language` its name in the reader's language. */
export function TranslationChanges({ changes, lang, language }: Props) {
  return (
    <div class="source-changes">
      <table>
        <caption>{t('translations.changesCaption', { language, from: changes.from, to: changes.to })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('translations.followedVersion', { version: changes.from })}</th>
            <th scope="col">{t('translations.thisVersion', { version: changes.to })}</th>
          </tr>
        </thead>
        <tbody>
          {folded(changes.rows).map((shown, i) =>
            'row' in shown ? (
              <tr key={i} class={`source-change source-change-${shown.row.kind}`}>
                <Line row={shown.row} side="before" lang={lang} />
                <Line row={shown.row} side="after" lang={lang} />
              </tr>
            ) : (
              <tr key={i} class="source-change-folded">
                <td colSpan={2}>{t('translations.unchangedLines', { count: shown.unchanged.length })}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
