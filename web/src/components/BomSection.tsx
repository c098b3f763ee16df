// The design page's bill of materials: units and currency selectors, table, totals, warnings, CSV and cut list.
import { useState } from 'preact/hooks';
import { query, versionPath } from '../api';
import type { Bom, BomLine } from '../api-types';
import { t } from '../i18n';
import { bomWarningText } from '../bom-warning-text';
import { useApi } from '../use-api';
import { BomTable } from './BomTable';
import { BomTotals } from './BomTotals';
import { CutListView } from './CutListView';
import { SelectField } from './SelectField';
import { ErrorNotice, Loading } from './StateViews';

const commonCurrencies = ['EUR', 'USD', 'GBP', 'KES', 'INR', 'BRL', 'MXN', 'COP', 'ZAR', 'NGN'];

function currenciesIn(lines: BomLine[]): string[] {
  return lines.flatMap((line) => [line.currency ?? '', ...currenciesIn(line.children ?? [])]).filter(Boolean);
}

type Props = { owner: string; slug: string; version: string; units: number; onUnitsChange: (units: number) => void };

export function BomSection({ owner, slug, version, units, onUnitsChange }: Props) {
  const [currency, setCurrency] = useState('');
  const bom = useApi<Bom>(versionPath(owner, slug, version, `/bom${query({ format: 'json', units, currency })}`));
  const [unitsText, setUnitsText] = useState(String(units));

  if (bom.status === 'missing') return null;
  const data = bom.status === 'ok' ? bom.data : bom.status === 'loading' ? bom.data : undefined;
  if (data && data.lines.length === 0 && !currency && units === 1) return null;
  const currencies = [...new Set([...currenciesIn(data?.lines ?? []), ...commonCurrencies])];

  function commitUnits(text: string) {
    const value = Number.parseInt(text, 10);
    if (Number.isFinite(value) && value >= 1 && value <= 100000) onUnitsChange(value);
  }

  return (
    <section class="section" aria-labelledby="bom-heading" id="bom">
      <div class="section-head">
        <h2 id="bom-heading">{t('bomSection.heading')}</h2>
        {data?.checksum && (
          <span class="muted mono checksum" title={t('bomSection.checksum', { checksum: data.checksum })}>
            {t('bomSection.sha256', { digest: data.checksum.slice(0, 12) })}
          </span>
        )}
      </div>
      <div class="bom-controls">
        <label class="field field-inline">
          <span class="field-label">{t('bomSection.units')}</span>
          <input
            type="number"
            min={1}
            max={100000}
            step={1}
            inputMode="numeric"
            value={unitsText}
            name="units"
            onInput={(event) => {
              setUnitsText(event.currentTarget.value);
              commitUnits(event.currentTarget.value);
            }}
          />
        </label>
        <SelectField label={t('bomSection.showPricesIn')} name="bom-currency" value={currency} onChange={setCurrency}>
          <option value="">{t('bomSection.listedCurrencies')}</option>
          {currencies.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </SelectField>
        <a
          class="button button-quiet button-small"
          href={versionPath(owner, slug, version, `/bom${query({ format: 'csv', units })}`)}
          download
        >
          {t('bomSection.downloadCsv')}
        </a>
      </div>
      {bom.status === 'loading' && !data && <Loading label={t('bomSection.loading')} />}
      {bom.status === 'error' && <ErrorNotice error={bom.error} onRetry={bom.reload} />}
      {data && (
        <div aria-busy={bom.status === 'loading'}>
          <BomTable lines={data.lines} />
          <BomTotals totals={data.totals} units={units} />
          {data.warnings && data.warnings.length > 0 && (
            <details class="warnings">
              <summary>{t('bomSection.warnings', { count: data.warnings.length })}</summary>
              <ul>
                {data.warnings.map((warning, index) => (
                  <li key={index}>
                    {warning.line !== undefined && <strong>{t('bomSection.line', { line: warning.line })} </strong>}
                    {warning.line === undefined && warning.position && (
                      <strong>{t('bomSection.position', { position: warning.position })} </strong>
                    )}
                    {bomWarningText(warning)}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <CutListView owner={owner} slug={slug} version={version} units={units} lines={data.lines} />
        </div>
      )}
    </section>
  );
}
