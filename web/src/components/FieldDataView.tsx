// What approved build reports say about a version (GET …/versions/{v}/field): outcomes, hours, cost, substitutions.
import { versionPath } from '../api';
import type { FieldData } from '../api-types';
import { formatMoney, formatNumber } from '../format';
import { useApi } from '../use-api';
import { ErrorNotice, Loading } from './StateViews';

type Props = { owner: string; slug: string; version: string; refreshKey?: number };

export function FieldDataView({ owner, slug, version, refreshKey = 0 }: Props) {
  const field = useApi<FieldData>(
    `${versionPath(owner, slug, version, '/field')}${refreshKey ? `?r=${refreshKey}` : ''}`,
  );
  if (field.status === 'missing' || field.status === 'idle') return null;
  if (field.status === 'loading' && !field.data) {
    return (
      <section class="section" aria-labelledby="field-heading" id="field-data">
        <h2 id="field-heading">From the field</h2>
        <Loading label="Loading build reports…" />
      </section>
    );
  }
  if (field.status === 'error') return <ErrorNotice error={field.error} />;
  const data = field.data!;
  const outcomes = data.builds.byOutcome ?? {};
  return (
    <section class="section" aria-labelledby="field-heading" id="field-data">
      <h2 id="field-heading">From the field</h2>
      {data.builds.total === 0 ? (
        <p class="muted">
          No builds reported for this version yet. Built one? Report it so the next workshop learns from it.
        </p>
      ) : (
        <>
          <dl class="stats">
            <div class="stat">
              <dt>Build reports</dt>
              <dd data-testid="field-total">{data.builds.total}</dd>
            </div>
            <div class="stat">
              <dt>Approved</dt>
              <dd data-testid="field-approved">{data.builds.approved}</dd>
            </div>
            <div class="stat stat-wide">
              <dt>Outcomes (approved)</dt>
              <dd>
                {outcomes.success ?? 0} success · {outcomes.partial ?? 0} partial · {outcomes.failed ?? 0} failed
              </dd>
            </div>
            {data.hours?.median !== undefined && data.hours.median !== null && (
              <div class="stat">
                <dt>Median person-hours</dt>
                <dd>{formatNumber(data.hours.median, 1)}</dd>
              </div>
            )}
            {(data.cost ?? []).map((cost) => (
              <div class="stat stat-wide" key={cost.currency}>
                <dt>Median cost ({cost.currency})</dt>
                <dd>
                  {formatMoney(cost.median, cost.currency)}
                  {cost.medianPerUnit && cost.medianPerUnit !== String(cost.median) && (
                    <span class="muted small"> ({formatMoney(cost.medianPerUnit, cost.currency)} per unit)</span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
          {data.builds.approved === 0 && (
            <p class="muted">Figures appear once a lead of this design approves a report.</p>
          )}
          {data.substitutions && data.substitutions.length > 0 && (
            <>
              <h3>Common substitutions</h3>
              <ul class="substitution-list">
                {data.substitutions.map((sub, index) => (
                  <li key={index}>
                    Line <span class="mono">{sub.position}</span> {sub.name ?? sub.partNumber ?? ''} →{' '}
                    <strong>{sub.substitute.name}</strong>{' '}
                    <span class="muted">
                      in {sub.count} of {sub.of} build{sub.of === 1 ? '' : 's'}
                      {sub.countries && Object.keys(sub.countries).length > 0
                        ? ` (${Object.keys(sub.countries).join(', ')})`
                        : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {data.byCountry && data.byCountry.length > 0 && (
            <>
              <h3>By country</h3>
              <ul class="country-list">
                {data.byCountry.map((entry) => (
                  <li key={entry.country}>
                    <strong>{entry.country}</strong>: {entry.approved} approved of {entry.total}
                    {entry.hours?.median !== undefined && entry.hours?.median !== null
                      ? ` · median ${formatNumber(entry.hours.median, 1)} h`
                      : ''}
                    {(entry.cost ?? []).map((cost) => ` · ${formatMoney(cost.median, cost.currency)}`).join('')}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
