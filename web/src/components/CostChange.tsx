// A change of cost, read from a builder's side: more expensive is a warning, cheaper is good news; said in words and
// an arrow as well as in colour, so it reads without colour too.
import { formatMoney } from '../format';

export function CostChange({ amount, currency }: { amount: number; currency?: string | null }) {
  if (!Number.isFinite(amount) || amount === 0)
    return <span class="cost-same">no change{currency ? ` (${currency})` : ''}</span>;
  const up = amount > 0;
  return (
    <strong class={up ? 'cost-up' : 'cost-down'} data-cost={up ? 'increase' : 'decrease'}>
      <span aria-hidden="true">{up ? '▲' : '▼'} </span>
      {up ? '+' : '−'}
      {formatMoney(Math.abs(amount), currency)} {up ? 'more expensive' : 'cheaper'}
    </strong>
  );
}
