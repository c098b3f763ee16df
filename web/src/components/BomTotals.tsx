// BOM totals: one figure per currency for the chosen units, the converted total when asked for; moneyRows reads other money shapes (cost deltas).
import type { BomTotals as Totals } from '../api-types';
import { formatMoney } from '../format';
import { t } from '../i18n';

type MoneyRow = { currency: string; amount: string | number; label?: string };

export function moneyRows(totals: unknown, label?: string): MoneyRow[] {
  if (!totals || typeof totals !== 'object') return [];
  if (Array.isArray(totals)) {
    return totals.flatMap((entry) => {
      if (!entry || typeof entry !== 'object') return [];
      const record = entry as Record<string, unknown>;
      const amount = record.amount ?? record.total ?? record.cost ?? record.value;
      return typeof record.currency === 'string' && (typeof amount === 'string' || typeof amount === 'number')
        ? [{ currency: record.currency, amount, label }]
        : [];
    });
  }
  const rows: MoneyRow[] = [];
  for (const [key, value] of Object.entries(totals as Record<string, unknown>)) {
    if (/^[A-Z]{3}$/.test(key) && (typeof value === 'string' || typeof value === 'number'))
      rows.push({ currency: key, amount: value, label });
    else if (value && typeof value === 'object')
      rows.push(...moneyRows(value, key === 'byCurrency' || key === 'cost' ? label : key));
  }
  return rows;
}

export function BomTotals({ totals, units }: { totals: Totals; units: number }) {
  const rows = Object.entries(totals.byCurrency);
  if (rows.length === 0) return null;
  return (
    <dl class="totals">
      {rows.map(([currency, amount]) => (
        <div key={currency} class="total">
          {/* XXX is ISO 4217's "no currency": prices the BOM gave without one */}
          <dt>
            {currency === 'XXX'
              ? t('bomTotals.totalNoCurrency', { count: units })
              : t('bomTotals.totalIn', { count: units, currency })}
          </dt>
          <dd>{formatMoney(amount, currency === 'XXX' ? undefined : currency)}</dd>
        </div>
      ))}
      {totals.converted && (
        <div class="total">
          <dt>{t('bomTotals.totalConverted', { count: units, currency: totals.converted.currency })}</dt>
          <dd>{formatMoney(totals.converted.amount, totals.converted.currency)}</dd>
        </div>
      )}
    </dl>
  );
}
