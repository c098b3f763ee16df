// BOM totals in whichever shape the API gives them: a currency→amount map, a list, or nested per-currency figures.
import { formatMoney } from '../format';

type MoneyRow = { currency: string; amount: string | number; label?: string };

export function moneyRows(totals: unknown, label?: string): MoneyRow[] {
  if (!totals || typeof totals !== 'object') return [];
  if (Array.isArray(totals)) {
    return totals.flatMap((entry) => {
      if (!entry || typeof entry !== 'object') return [];
      const record = entry as Record<string, unknown>;
      const amount = record.amount ?? record.total ?? record.cost ?? record.value;
      return typeof record.currency === 'string' && (typeof amount === 'string' || typeof amount === 'number') ? [{ currency: record.currency, amount, label }] : [];
    });
  }
  const rows: MoneyRow[] = [];
  for (const [key, value] of Object.entries(totals as Record<string, unknown>)) {
    if (/^[A-Z]{3}$/.test(key) && (typeof value === 'string' || typeof value === 'number')) rows.push({ currency: key, amount: value, label });
    else if (value && typeof value === 'object') rows.push(...moneyRows(value, key === 'byCurrency' || key === 'cost' ? label : key));
  }
  return rows;
}

export function BomTotals({ totals }: { totals: unknown }) {
  const rows = moneyRows(totals);
  if (rows.length === 0) return null;
  return (
    <dl class="totals">
      {rows.map((row, index) => (
        <div key={index} class="total">
          <dt>{row.label ? `Total (${row.label})` : `Total ${row.currency}`}</dt>
          <dd>{formatMoney(row.amount, row.currency)}</dd>
        </div>
      ))}
    </dl>
  );
}
