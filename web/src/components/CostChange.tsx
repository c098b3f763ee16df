// A change of cost, read from a builder's side: more expensive is a warning, cheaper is good news; said in words and
// an arrow as well as in colour, so it reads without colour too.
import { formatMoney } from '../format';
import { t } from '../i18n';

export function CostChange({ amount, currency }: { amount: number; currency?: string | null }) {
  if (!Number.isFinite(amount) || amount === 0)
    return (
      <span class="cost-same">{currency ? t('costChange.noChangeIn', { currency }) : t('costChange.noChange')}</span>
    );
  const up = amount > 0;
  const arrow = up ? '▲' : '▼';
  return (
    <strong class={up ? 'cost-up' : 'cost-down'} data-cost={up ? 'increase' : 'decrease'}>
      <span aria-hidden="true">{arrow} </span>
      {t(up ? 'costChange.moreExpensive' : 'costChange.cheaper', {
        amount: `${up ? '+' : '−'}${formatMoney(Math.abs(amount), currency)}`,
      })}
    </strong>
  );
}
