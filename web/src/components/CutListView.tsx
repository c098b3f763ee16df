// Cut list for stock lengths (GET …/bom/cutlist?units=N&stock=6000mm): per profile the cuts to make and the bars they come from, drawn to scale; lines of unknown length named.
import { useState } from 'preact/hooks';
import { query, versionPath } from '../api';
import type { BomLine, CutGroup, CutList, StockBar } from '../api-types';
import { formatNumber } from '../format';
import { useApi } from '../use-api';
import { t } from '../i18n';
import { bomWarningText } from '../bom-warning-text';
import { ErrorNotice, Loading } from './StateViews';
import { tParts } from '../message-elements';

function namesByPosition(lines: readonly BomLine[], names = new Map<string, string>()): Map<string, string> {
  for (const line of lines) {
    names.set(line.position, line.name);
    if (line.children) namesByPosition(line.children, names);
  }
  return names;
}

/** Runs of identical bars (same cuts in the same order), so ten bars cut alike are drawn once with "× 10". */
function sameBars(bars: readonly StockBar[]): { first: number; count: number; bar: StockBar }[] {
  const runs: { first: number; count: number; bar: StockBar; key: string }[] = [];
  bars.forEach((bar, index) => {
    const key = bar.cuts.map((cut) => `${cut.position}:${cut.lengthMm}`).join('|');
    const last = runs[runs.length - 1];
    if (last && last.key === key) last.count++;
    else runs.push({ first: index + 1, count: 1, bar, key });
  });
  return runs;
}

function BarDiagram({ bar, stockMm, first, count }: { bar: StockBar; stockMm: number; first: number; count: number }) {
  // A bar used to its end (what is left is under one kerf) has no offcut worth a number.
  const offcut =
    Number(bar.offcutMm) > 0
      ? t('cutListView.offcut', { length: formatNumber(bar.offcutMm, 0) })
      : t('cutListView.noOffcut');
  const which = t('cutListView.bars', { count, first, last: first + count - 1 });
  const cuts = bar.cuts
    .map((cut) => t('cutListView.cut', { length: formatNumber(cut.lengthMm, 1), position: cut.position }))
    .join(', ');
  const description = t('cutListView.barDescription', { bar: which, cuts, offcut });
  return (
    <li class="stock-bar" aria-label={description} data-bars={count}>
      <span class="stock-bar-count" aria-hidden="true">
        {count === 1 ? '' : `× ${count}`}
      </span>
      <div class="stock-bar-track" aria-hidden="true">
        {bar.cuts.map((cut, cutIndex) => (
          <span
            key={cutIndex}
            class="stock-cut"
            style={{ width: `${(Number(cut.lengthMm) / stockMm) * 100}%` }}
            title={t('cutListView.cutTitle', { length: formatNumber(cut.lengthMm, 1), position: cut.position })}
          >
            {Number(cut.lengthMm) / stockMm > 0.08 ? formatNumber(cut.lengthMm, 0) : ''}
          </span>
        ))}
      </div>
      <span class="muted small">{offcut}</span>
    </li>
  );
}

/** The cuts of one profile: what the person at the saw works from. */
function CutTable({ group, names }: { group: CutGroup; names: Map<string, string> }) {
  return (
    <div class="table-scroll">
      <table class="table cut-table">
        <thead>
          <tr>
            <th scope="col" class="num">
              {t('cutListView.lengthMm')}
            </th>
            <th scope="col" class="num">
              {t('cutListView.pieces')}
            </th>
            <th scope="col">{t('cutListView.bomLine')}</th>
          </tr>
        </thead>
        <tbody>
          {group.cuts.map((cut) => (
            <tr key={`${cut.position}-${cut.lengthMm}`} data-testid="cut-row">
              <td class="num" data-testid="cut-length">
                {formatNumber(cut.lengthMm, 1)}
              </td>
              <td class="num" data-testid="cut-count">
                {cut.count}
              </td>
              <td>
                <span class="mono">{cut.position}</span> {names.get(cut.position) ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Stock lines that give only a total length: named, so nobody cuts whole bars by mistake. */
function UnknownLengths({ lines }: { lines: CutList['lengthUnknown'] }) {
  return (
    <section class="cut-group">
      <h3>{t('cutListView.lengthUnknownHeading')}</h3>
      <p class="muted">{t('cutListView.lengthUnknownHelp')}</p>
      <div class="table-scroll">
        <table class="table cut-table">
          <thead>
            <tr>
              <th scope="col">{t('cutListView.length')}</th>
              <th scope="col" class="num">
                {t('cutListView.totalMm')}
              </th>
              <th scope="col">{t('cutListView.bomLine')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.position} data-testid="cut-unknown">
                <td>
                  <strong>{t('cutListView.lengthUnknown')}</strong>
                </td>
                <td class="num">{formatNumber(line.totalMm, 1)}</td>
                <td>
                  <span class="mono">{line.position}</span> {line.name}
                  {line.material && <span class="muted"> · {line.material}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** "13 bars of 6,000 mm · waste 410 mm", the count in bold. */
function barsNeeded(group: CutGroup, stockMm: number) {
  return tParts(
    'cutListView.barsNeeded',
    { count: group.barsNeeded, stock: formatNumber(stockMm, 0), waste: formatNumber(group.wasteMm, 0) },
    { figure: <strong>{formatNumber(group.barsNeeded, 0)}</strong> },
  );
}

function CutGroups({ data, names }: { data: CutList; names: Map<string, string> }) {
  const groups = data.groups;
  if (groups.length === 0 && data.lengthUnknown.length === 0) return <p class="muted">{t('cutListView.noStock')}</p>;
  // A line of unknown length has its own row; its warning would only repeat it.
  const unknown = new Set(data.lengthUnknown.map((line) => line.position));
  const warnings = data.warnings.filter((warning) => !unknown.has(warning.position));
  return (
    <>
      {groups.map((group) => {
        const stockMm = Number(group.stockMm) || 6000;
        return (
          <section key={group.key} class="cut-group">
            <h3>
              {group.name}
              {group.material && <span class="muted"> · {group.material}</span>}
            </h3>
            <p>{barsNeeded(group, stockMm)}</p>
            <CutTable group={group} names={names} />
            <ul class="stock-bars">
              {sameBars(group.bars).map((run) => (
                <BarDiagram key={run.first} bar={run.bar} stockMm={stockMm} first={run.first} count={run.count} />
              ))}
            </ul>
          </section>
        );
      })}
      {groups.length > 0 && (
        <p class="muted">{t('cutListView.totalWaste', { waste: formatNumber(data.totalWasteMm, 0) })}</p>
      )}
      {data.lengthUnknown.length > 0 && <UnknownLengths lines={data.lengthUnknown} />}
      {warnings.length > 0 && (
        <ul class="warnings">
          {warnings.map((warning, index) => (
            <li key={index}>
              <strong>{t('cutListView.warningPosition', { position: warning.position })}</strong>{' '}
              {bomWarningText(warning)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type Props = { owner: string; slug: string; version: string; units: number; lines: readonly BomLine[] };

export function CutListView({ owner, slug, version, units, lines }: Props) {
  const [open, setOpen] = useState(false);
  const [stock, setStock] = useState('6000mm');
  const [kerf, setKerf] = useState('3mm');
  const cutList = useApi<CutList>(
    open ? versionPath(owner, slug, version, `/bom/cutlist${query({ units, stock, kerf })}`) : null,
  );
  if (cutList.status === 'missing') return null;
  return (
    <details class="cutlist" onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t('cutListView.summary')}</summary>
      <div class="form-inline">
        <label class="field field-inline">
          <span class="field-label">{t('cutListView.stockLength')}</span>
          <input size={8} value={stock} onChange={(event) => setStock(event.currentTarget.value)} />
        </label>
        <label class="field field-inline">
          <span class="field-label">{t('cutListView.kerf')}</span>
          <input size={6} value={kerf} onChange={(event) => setKerf(event.currentTarget.value)} />
        </label>
      </div>
      {cutList.status === 'loading' && <Loading label={t('cutListView.packing')} />}
      {cutList.status === 'error' && <ErrorNotice error={cutList.error} onRetry={cutList.reload} />}
      {cutList.status === 'ok' && <CutGroups data={cutList.data} names={namesByPosition(lines)} />}
    </details>
  );
}
