// What approved build reports say about a version (GET …/versions/{v}/field): outcomes, hours, cost, substitutions.
import { versionPath } from '../api';
import type { FieldData } from '../api-types';
import { formatMoney, formatNumber } from '../format';
import { t } from '../i18n';
import { useApi } from '../use-api';
import { ErrorNotice, Loading } from './StateViews';
import { countryName } from '../display-names';

type Props = { owner: string; slug: string; version: string; refreshKey?: number };

export function FieldDataView({ owner, slug, version, refreshKey = 0 }: Props) {
  const field = useApi<FieldData>(
    `${versionPath(owner, slug, version, '/field')}${refreshKey ? `?r=${refreshKey}` : ''}`,
  );
  if (field.status === 'missing' || field.status === 'idle') return null;
  if (field.status === 'loading' && !field.data) {
    return (
      <section class="section" aria-labelledby="field-heading" id="field-data">
        <h2 id="field-heading">{t('fieldDataView.title')}</h2>
        <Loading label={t('fieldDataView.loading')} />
      </section>
    );
  }
  if (field.status === 'error') return <ErrorNotice error={field.error} />;
  const data = field.data!;
  const outcomes = data.builds.byOutcome ?? {};
  return (
    <section class="section" aria-labelledby="field-heading" id="field-data">
      <h2 id="field-heading">{t('fieldDataView.title')}</h2>
      {data.builds.total === 0 ? (
        <p class="muted">{t('fieldDataView.none')}</p>
      ) : (
        <>
          <dl class="stats">
            <div class="stat">
              <dt>{t('fieldDataView.stats.total')}</dt>
              <dd data-testid="field-total">{data.builds.total}</dd>
            </div>
            <div class="stat">
              <dt>{t('fieldDataView.stats.approved')}</dt>
              <dd data-testid="field-approved">{data.builds.approved}</dd>
            </div>
            <div class="stat stat-wide">
              <dt>{t('fieldDataView.stats.outcomes')}</dt>
              <dd>
                {t('fieldDataView.outcomeCounts', {
                  success: outcomes.success ?? 0,
                  partial: outcomes.partial ?? 0,
                  failed: outcomes.failed ?? 0,
                })}
              </dd>
            </div>
            {data.hours?.median !== undefined && data.hours.median !== null && (
              <div class="stat">
                <dt>{t('fieldDataView.stats.medianHours')}</dt>
                <dd>{formatNumber(data.hours.median, 1)}</dd>
              </div>
            )}
            {(data.cost ?? []).map((cost) => (
              <div class="stat stat-wide" key={cost.currency}>
                <dt>{t('fieldDataView.stats.medianCost', { currency: cost.currency })}</dt>
                <dd>
                  {formatMoney(cost.median, cost.currency)}
                  {cost.medianPerUnit && cost.medianPerUnit !== String(cost.median) && (
                    <span class="muted small">
                      {' '}
                      {t('fieldDataView.perUnit', { cost: formatMoney(cost.medianPerUnit, cost.currency) })}
                    </span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
          {data.builds.approved === 0 && <p class="muted">{t('fieldDataView.awaitingApproval')}</p>}
          {data.substitutions && data.substitutions.length > 0 && (
            <>
              <h3>{t('fieldDataView.substitutions')}</h3>
              <ul class="substitution-list">
                {data.substitutions.map((sub, index) => (
                  <li key={index}>
                    {t('fieldDataView.line')} <span class="mono">{sub.position}</span>{' '}
                    {sub.name ?? sub.partNumber ?? ''} → <strong>{sub.substitute.name}</strong>{' '}
                    <span class="muted">
                      {t('fieldDataView.inBuilds', { count: sub.count, of: sub.of })}
                      {sub.countries && Object.keys(sub.countries).length > 0
                        ? ` (${Object.keys(sub.countries).join(', ')})`
                        : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {data.workshops && data.workshops.length > 0 && (
            <>
              <h3>{t('fieldDataView.builtBy')}</h3>
              <ul class="workshop-list">
                {data.workshops.map((w) => (
                  <li key={`${w.slug}@${w.instance ?? ''}`}>
                    {/* a workshop of another instance has no page here: its home is named instead */}
                    {w.instance ? w.name : <a href={`/workshops/${w.slug}`}>{w.name}</a>} ({countryName(w.country)}){' '}
                    {w.instance && <span class="badge badge-instance">{w.instance}</span>}{' '}
                    <span class="muted">{t('fieldDataView.approvedBuilds', { count: w.approved })}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {data.byCountry && data.byCountry.length > 0 && (
            <>
              <h3>{t('fieldDataView.byCountry')}</h3>
              <ul class="country-list">
                {data.byCountry.map((entry) => (
                  <li key={entry.country}>
                    <strong>{countryName(entry.country)}</strong>:{' '}
                    {t('fieldDataView.approvedOf', { approved: entry.approved, total: entry.total })}
                    {entry.hours?.median !== undefined && entry.hours?.median !== null
                      ? ` · ${t('fieldDataView.medianHours', { hours: formatNumber(entry.hours.median, 1) })}`
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
