// Cut list for stock lengths (GET …/bom/cutlist?units=N&stock=6000mm): per profile the bars needed, each bar's cuts drawn to scale, waste.
import { useState } from 'preact/hooks';
import { query, versionPath } from '../api';
import { formatNumber } from '../format';
import { useApi } from '../use-api';
import { GenericData } from './GenericData';
import { ErrorNotice, Loading } from './StateViews';

type StockBar = { cuts: { lengthMm: string; position: string }[]; offcutMm: string };
type CutGroup = { key: string; name: string; material?: string; stockMm: string; cuts: { lengthMm: string; count: number; position: string }[]; bars: StockBar[]; barsNeeded: number; wasteMm: string };
type CutListReply = { units?: number; stockMm?: string; kerfMm?: string; groups?: CutGroup[]; totalWasteMm?: string; warnings?: { position: string; message: string }[] };

function BarDiagram({ bar, stockMm, index }: { bar: StockBar; stockMm: number; index: number }) {
  const description = `Bar ${index + 1}: ${bar.cuts.map((cut) => `${formatNumber(cut.lengthMm, 1)} mm (pos. ${cut.position})`).join(', ')}; offcut ${formatNumber(bar.offcutMm, 1)} mm`;
  return (
    <li class="stock-bar" aria-label={description}>
      <div class="stock-bar-track" aria-hidden="true">
        {bar.cuts.map((cut, cutIndex) => (
          <span key={cutIndex} class="stock-cut" style={{ width: `${(Number(cut.lengthMm) / stockMm) * 100}%` }} title={`${cut.lengthMm} mm · pos. ${cut.position}`}>
            {Number(cut.lengthMm) / stockMm > 0.08 ? formatNumber(cut.lengthMm, 0) : ''}
          </span>
        ))}
      </div>
      <span class="muted small">offcut {formatNumber(bar.offcutMm, 0)} mm</span>
    </li>
  );
}

function CutGroups({ data }: { data: CutListReply }) {
  const groups = data.groups ?? [];
  if (groups.length === 0) return <p class="muted">No line of this BOM is a length of stock (tube, angle, bar, flat…).</p>;
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
            <p>
              <strong>{group.barsNeeded}</strong> bar{group.barsNeeded === 1 ? '' : 's'} of {formatNumber(stockMm, 0)} mm · waste {formatNumber(group.wasteMm, 0)} mm
            </p>
            <ul class="stock-bars">
              {group.bars.map((bar, index) => (
                <BarDiagram key={index} bar={bar} stockMm={stockMm} index={index} />
              ))}
            </ul>
          </section>
        );
      })}
      {data.totalWasteMm !== undefined && <p class="muted">Total waste (kerf and offcuts): {formatNumber(data.totalWasteMm, 0)} mm</p>}
      {data.warnings && data.warnings.length > 0 && (
        <ul class="warnings">
          {data.warnings.map((warning, index) => (
            <li key={index}>
              <strong>Pos. {warning.position}:</strong> {warning.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type Props = { owner: string; slug: string; version: string; units: number };

export function CutListView({ owner, slug, version, units }: Props) {
  const [open, setOpen] = useState(false);
  const [stock, setStock] = useState('6000mm');
  const [kerf, setKerf] = useState('3mm');
  const cutList = useApi<CutListReply>(open ? versionPath(owner, slug, version, `/bom/cutlist${query({ units, stock, kerf })}`) : null);
  if (cutList.status === 'missing') return null;
  return (
    <details class="cutlist" onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
      <summary>Cut list for stock lengths</summary>
      <div class="form-inline">
        <label class="field field-inline">
          <span class="field-label">Stock length</span>
          <input size={8} value={stock} onChange={(event) => setStock(event.currentTarget.value)} />
        </label>
        <label class="field field-inline">
          <span class="field-label">Kerf</span>
          <input size={6} value={kerf} onChange={(event) => setKerf(event.currentTarget.value)} />
        </label>
      </div>
      {cutList.status === 'loading' && <Loading label="Packing cuts…" />}
      {cutList.status === 'error' && <ErrorNotice error={cutList.error} onRetry={cutList.reload} />}
      {cutList.status === 'ok' && (Array.isArray(cutList.data.groups) ? <CutGroups data={cutList.data} /> : <GenericData value={cutList.data} />)}
    </details>
  );
}
