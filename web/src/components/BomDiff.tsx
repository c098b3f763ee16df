// The BOM section of a compare: added, removed and changed lines, and the cost delta per currency.
import type { BomLine } from '../api-types';
import { formatMoney, formatNumber } from '../format';
import { moneyRows } from './BomTotals';
import { ScalarText } from './GenericData';

type Changed = { from?: BomLine; to?: BomLine; before?: BomLine; after?: BomLine; partNumber?: string; name?: string; changes?: unknown; fields?: unknown };
type BomDiffData = { added?: BomLine[]; removed?: BomLine[]; changed?: Changed[]; costDelta?: unknown; delta?: unknown };

function label(line: BomLine | undefined): string {
  if (!line) return '';
  return [line.partNumber, line.name].filter(Boolean).join(' ');
}

function quantity(line: BomLine | undefined): string {
  return line ? `${formatNumber(line.quantity, 4)} ${line.unit ?? ''}`.trim() : '';
}

export function BomDiff({ value }: { value: unknown }) {
  const diff = (value ?? {}) as BomDiffData;
  const rows: { kind: string; name: string; before: string; after: string; detail?: unknown }[] = [
    ...(diff.added ?? []).map((line) => ({ kind: 'added', name: label(line), before: '', after: quantity(line) })),
    ...(diff.removed ?? []).map((line) => ({ kind: 'removed', name: label(line), before: quantity(line), after: '' })),
    ...(diff.changed ?? []).map((change) => {
      const before = change.from ?? change.before;
      const after = change.to ?? change.after;
      return { kind: 'changed', name: label(after ?? before) || [change.partNumber, change.name].filter(Boolean).join(' '), before: quantity(before), after: quantity(after), detail: change.changes ?? change.fields };
    }),
  ];
  const delta = moneyRows(diff.costDelta ?? diff.delta);
  return (
    <section class="section" aria-labelledby="bom-diff">
      <h2 id="bom-diff">Bill of materials</h2>
      {rows.length === 0 ? (
        <p class="muted">No BOM changes.</p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Line</th>
                <th scope="col" class="num">
                  Before
                </th>
                <th scope="col" class="num">
                  After
                </th>
                <th scope="col">What changed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={index} class={`change-${row.kind}`}>
                  <td>
                    <span class={`badge badge-change-${row.kind}`}>{row.kind}</span>
                  </td>
                  <td>{row.name}</td>
                  <td class="num diff-old">{row.before}</td>
                  <td class="num diff-new">{row.after}</td>
                  <td>{row.detail !== undefined && <ScalarText value={row.detail} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {delta.length > 0 && (
        <p>
          Cost change:{' '}
          {delta.map((row, index) => (
            <strong key={index} class={Number(row.amount) > 0 ? 'diff-new' : 'diff-old'}>
              {index > 0 && ', '}
              {Number(row.amount) > 0 ? '+' : ''}
              {formatMoney(row.amount, row.currency)}
            </strong>
          ))}
        </p>
      )}
    </section>
  );
}
