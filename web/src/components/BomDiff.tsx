// The BOM section of a compare: added, removed and changed lines, and the cost delta per currency.
import type { BomDiff as BomDiffData, StoredBomLine } from '../api-types';
import { formatMoney, formatNumber } from '../format';
import { t } from '../i18n';
import { quantityWithUnit } from '../display-names';
import { moneyRows } from './BomTotals';
import { CostChange } from './CostChange';

/** A changed line as the server's diffBom gives it: what changed, and the two matched lines. */
type Changed = BomDiffData['changed'][number];
type FieldChange = Changed['changes'][string];

function fieldLabel(field: string): string {
  const keys: Record<string, string> = {
    quantity: 'bomDiff.field.quantity',
    unit: 'bomDiff.field.unit',
    unitCost: 'bomDiff.field.unitCost',
    currency: 'bomDiff.field.currency',
    supplier: 'bomDiff.field.supplier',
    material: 'bomDiff.field.material',
    partNumber: 'bomDiff.field.partNumber',
  };
  return keys[field] ? t(keys[field]) : field;
}

function kindLabel(kind: string): string {
  const keys: Record<string, string> = {
    added: 'bomDiff.kind.added',
    removed: 'bomDiff.kind.removed',
    changed: 'bomDiff.kind.changed',
  };
  return keys[kind] ? t(keys[kind]) : kind;
}

function label(line: StoredBomLine | undefined): string {
  if (!line) return '';
  return [line.partNumber, line.name].filter(Boolean).join(' ');
}

/** What a line asks for: "16 pcs × $0.35", so a unit cost change shows in Before/After as well. */
function amount(line: StoredBomLine | undefined): string {
  if (!line) return '';
  const quantity = quantityWithUnit(line.quantity, line.unit);
  return line.unitCost !== undefined && line.unitCost !== null && line.unitCost !== ''
    ? `${quantity} × ${formatMoney(line.unitCost, line.currency)}`
    : quantity;
}

function fieldValue(field: string, value: string | null, currency?: string | null): string {
  if (value === null || value === '') return t('bomDiff.none');
  if (field === 'quantity') return formatNumber(value, 4);
  if (field === 'unitCost') return formatMoney(value, currency);
  return value;
}

/** One readable line per changed field ("quantity 1.9 → 2.4"); a unit cost says whether it went up or down. */
function ChangeList({ change }: { change: Changed }) {
  const entries = Object.entries(change.changes ?? {}).filter(
    (entry): entry is [string, FieldChange] => entry[1] !== undefined,
  );
  if (entries.length === 0) return null;
  const fromCurrency = change.changes?.currency?.from ?? change.from?.currency;
  const toCurrency = change.changes?.currency?.to ?? change.to?.currency;
  return (
    <ul class="change-list">
      {entries.map(([field, { from, to }]) => {
        // a direction only means something in one currency
        const costStep =
          field === 'unitCost' && from !== null && to !== null && fromCurrency === toCurrency
            ? Number(to) - Number(from)
            : null;
        return (
          <li key={field}>
            {t('bomDiff.fieldChange', {
              field: fieldLabel(field),
              from: fieldValue(field, from, fromCurrency),
              to: fieldValue(field, to, toCurrency),
            })}
            {costStep !== null && Number.isFinite(costStep) && costStep !== 0 && (
              <>
                {' '}
                <CostChange amount={costStep} currency={toCurrency} />
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function BomDiff({ value: diff }: { value: BomDiffData }) {
  const rows: { kind: string; name: string; before: string; after: string; change?: Changed }[] = [
    ...(diff.added ?? []).map((line) => ({ kind: 'added', name: label(line), before: '', after: amount(line) })),
    ...(diff.removed ?? []).map((line) => ({ kind: 'removed', name: label(line), before: amount(line), after: '' })),
    ...(diff.changed ?? []).map((change) => ({
      kind: 'changed',
      name: label(change.to ?? change.from) || [change.partNumber, change.name].filter(Boolean).join(' '),
      before: amount(change.from),
      after: amount(change.to),
      change,
    })),
  ];
  const delta = moneyRows(diff.costDelta);
  return (
    <section class="section" aria-labelledby="bom-diff">
      <h2 id="bom-diff">{t('bomDiff.heading')}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t('bomDiff.noChanges')}</p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('bomDiff.change')}</th>
                <th scope="col">{t('bomDiff.line')}</th>
                <th scope="col" class="num">
                  {t('bomDiff.before')}
                </th>
                <th scope="col" class="num">
                  {t('bomDiff.after')}
                </th>
                <th scope="col">{t('bomDiff.whatChanged')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={index} class={`change-${row.kind}`}>
                  <td>
                    <span class={`badge badge-change-${row.kind}`}>{kindLabel(row.kind)}</span>
                  </td>
                  <td>{row.name}</td>
                  {/* not the red/green of a text diff: here "after" may be the worse news (dearer), see What changed */}
                  <td class="num bom-before">{row.before || <span class="muted">—</span>}</td>
                  <td class="num bom-after">{row.after || <span class="muted">—</span>}</td>
                  <td>
                    {row.change ? (
                      <ChangeList change={row.change} />
                    ) : (
                      <span class="muted">
                        {row.kind === 'added' ? t('bomDiff.newLine') : t('bomDiff.lineDropped')}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {delta.length > 0 && (
        <p class="cost-delta">
          {t('bomDiff.costOfOne')}{' '}
          {delta.map((row, index) => (
            <span key={row.currency}>
              {index > 0 && ', '}
              <CostChange amount={Number(row.amount)} currency={row.currency} />
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
