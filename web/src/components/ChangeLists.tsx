// Compare sections for manifest and file changes: rows of what was added, removed, renamed or changed.
import { ScalarText } from './GenericData';
import { t } from '../i18n';

type Row = { key: string; from?: unknown; to?: unknown; note?: string };

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Manifest changes as [{field|path|key, from|before|old, to|after|new}] or {field: {from, to}}. */
export function manifestRows(value: unknown): Row[] {
  if (Array.isArray(value)) {
    return value.map((entry) => {
      const record = asRecord(entry);
      return {
        key: String(record.field ?? record.path ?? record.key ?? record.name ?? ''),
        from: record.from ?? record.before ?? record.old,
        to: record.to ?? record.after ?? record.new,
        note: typeof record.kind === 'string' ? record.kind : typeof record.op === 'string' ? record.op : undefined,
      };
    });
  }
  const record = asRecord(value);
  const nested = record.changes ?? record.changed;
  if (nested) return manifestRows(nested);
  return Object.entries(record).map(([key, entry]) => {
    const change = asRecord(entry);
    return 'from' in change || 'to' in change || 'before' in change
      ? { key, from: change.from ?? change.before, to: change.to ?? change.after }
      : { key, to: entry };
  });
}

export function ManifestChanges({ value }: { value: unknown }) {
  const rows = manifestRows(value);
  return (
    <section class="section" aria-labelledby="manifest-changes">
      <h2 id="manifest-changes">{t('changeLists.manifest')}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t('changeLists.noManifestChanges')}</p>
      ) : (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('changeLists.field')}</th>
                <th scope="col">{t('changeLists.before')}</th>
                <th scope="col">{t('changeLists.after')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row" class="mono">
                    {row.key}
                  </th>
                  <td class="diff-old">
                    <ScalarText value={row.from} />
                  </td>
                  <td class="diff-new">
                    <ScalarText value={row.to} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type FileChange = { kind: 'added' | 'removed' | 'renamed' | 'changed'; path: string; from?: string; detail?: string };

function pathOf(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  const record = asRecord(entry);
  return String(record.path ?? record.to ?? record.file ?? '');
}

/** Files as {added:[], removed:[], renamed:[{from,to}], changed:[]} or [{path, change|status|kind}]. */
export function fileChanges(value: unknown): FileChange[] {
  const kinds = ['added', 'removed', 'renamed', 'changed'] as const;
  if (Array.isArray(value)) {
    return value.map((entry) => {
      const record = asRecord(entry);
      const kindText = String(record.change ?? record.status ?? record.kind ?? record.type ?? 'changed');
      const kind = kinds.find((k) => kindText.startsWith(k.slice(0, 4))) ?? 'changed';
      return { kind, path: pathOf(entry), from: typeof record.from === 'string' ? record.from : undefined };
    });
  }
  const record = asRecord(value);
  return kinds.flatMap((kind) => {
    const list =
      record[kind] ?? (kind === 'changed' ? record.modified : kind === 'removed' ? record.deleted : undefined);
    if (!Array.isArray(list)) return [];
    return list.map((entry) => {
      const item = asRecord(entry);
      const delta = item.facts ?? item.delta ?? item.changes;
      return {
        kind,
        path: pathOf(entry),
        from: typeof item.from === 'string' ? item.from : undefined,
        detail: delta && typeof delta === 'object' ? JSON.stringify(delta).slice(0, 160) : undefined,
      };
    });
  });
}

function kindLabel(kind: FileChange['kind']): string {
  const keys = {
    added: 'changeLists.kind.added',
    removed: 'changeLists.kind.removed',
    renamed: 'changeLists.kind.renamed',
    changed: 'changeLists.kind.changed',
  };
  return t(keys[kind]);
}

export function FileChanges({ value }: { value: unknown }) {
  const changes = fileChanges(value);
  return (
    <section class="section" aria-labelledby="file-changes">
      <h2 id="file-changes">{t('changeLists.files')}</h2>
      {changes.length === 0 ? (
        <p class="muted">{t('changeLists.noFileChanges')}</p>
      ) : (
        <ul class="file-changes">
          {changes.map((change, index) => (
            <li key={index} class={`change change-${change.kind}`}>
              <span class={`badge badge-change-${change.kind}`}>{kindLabel(change.kind)}</span>{' '}
              {change.from && (
                <>
                  <span class="mono">{change.from}</span> →{' '}
                </>
              )}
              <span class="mono">{change.path}</span>
              {change.detail && <span class="muted small"> {change.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
