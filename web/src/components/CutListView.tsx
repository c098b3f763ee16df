// Cut list for stock lengths (GET …/bom/cutlist?units=N&stock=6000mm): bars needed, cuts per bar, waste.
import { useState } from 'preact/hooks';
import { query, versionPath } from '../api';
import type { CutList } from '../api-types';
import { useApi } from '../use-api';
import { GenericData } from './GenericData';
import { ErrorNotice, Loading } from './StateViews';

type Props = { owner: string; slug: string; version: string; units: number };

export function CutListView({ owner, slug, version, units }: Props) {
  const [open, setOpen] = useState(false);
  const [stock, setStock] = useState('6000mm');
  const [kerf, setKerf] = useState('');
  const cutList = useApi<CutList>(open ? versionPath(owner, slug, version, `/bom/cutlist${query({ units, stock, kerf })}`) : null);
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
          <input size={6} placeholder="3mm" value={kerf} onChange={(event) => setKerf(event.currentTarget.value)} />
        </label>
      </div>
      {cutList.status === 'loading' && <Loading label="Packing cuts…" />}
      {cutList.status === 'error' && <ErrorNotice error={cutList.error} onRetry={cutList.reload} />}
      {cutList.status === 'ok' && <GenericData value={cutList.data} />}
    </details>
  );
}
