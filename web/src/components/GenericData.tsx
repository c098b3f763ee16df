// Renders JSON of a shape the page does not know in detail (cut lists, substitutions, diffs) as tables and lists.
import { formatNumber } from '../format';
import { t } from '../i18n';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function humanKey(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());
}

export function ScalarText({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') return <span class="muted">—</span>;
  if (typeof value === 'number') return <>{formatNumber(value, 3)}</>;
  if (typeof value === 'boolean') return <>{value ? t('genericData.yes') : t('genericData.no')}</>;
  if (typeof value === 'string') return <>{value}</>;
  if (Array.isArray(value) && value.every((item) => !isPlainObject(item) && !Array.isArray(item))) {
    // sentences (a manifest's safety points) joined by commas read as "… injury., The press …": list them
    if (value.length > 1 && value.some((item) => /[.!?:;]\s*$/.test(String(item))))
      return (
        <ul class="scalar-list">
          {value.map((item, index) => (
            <li key={index}>{String(item)}</li>
          ))}
        </ul>
      );
    return <>{value.map(String).join(', ')}</>;
  }
  if (isPlainObject(value) && Object.values(value).every((item) => !isPlainObject(item) && !Array.isArray(item)))
    return (
      <>
        {Object.entries(value)
          .map(([key, item]) => `${key}: ${typeof item === 'number' ? formatNumber(item, 3) : String(item)}`)
          .join(', ')}
      </>
    );
  return <code class="json">{JSON.stringify(value)}</code>;
}

/** An array of objects → one table with the union of their keys (first 8 columns). */
export function ObjectTable({ rows, caption }: { rows: Record<string, unknown>[]; caption?: string }) {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const shown = columns.slice(0, 8);
  return (
    <div class="table-scroll">
      <table class="table">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {shown.map((column) => (
              <th scope="col" key={column}>
                {humanKey(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {shown.map((column) => (
                <td key={column}>
                  <ScalarText value={row[column]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function GenericData({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <p class="muted">{t('genericData.none')}</p>;
    if (value.every(isPlainObject)) return <ObjectTable rows={value as Record<string, unknown>[]} />;
    return (
      <ul>
        {value.map((item, index) => (
          <li key={index}>
            <GenericData value={item} depth={depth + 1} />
          </li>
        ))}
      </ul>
    );
  }
  if (isPlainObject(value) && depth < 4) {
    return (
      <dl class="facts">
        {Object.entries(value).map(([key, item]) => (
          <div key={key} class="fact">
            <dt>{humanKey(key)}</dt>
            <dd>
              {isPlainObject(item) || (Array.isArray(item) && item.some(isPlainObject)) ? (
                <GenericData value={item} depth={depth + 1} />
              ) : (
                <ScalarText value={item} />
              )}
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <ScalarText value={value} />;
}
