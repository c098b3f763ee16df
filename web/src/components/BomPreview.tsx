// Preview of a BOM file before publishing (POST /api/bom/parse): detected column mapping, line count, warnings.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { BomParseResult, StoredBomLine } from '../api-types';
import { BomTable } from './BomTable';
import { formatNumber } from '../format';
import { t } from '../i18n';
import { bomWarningText } from '../bom-warning-text';
import { ErrorNotice, Loading } from './StateViews';
import { tParts } from '../message-elements';

/** The mapping may be {column: field}, [{column, field}] or [{header, field}]: list it as pairs. */
export function mappingPairs(mapping: unknown): [string, string][] {
  if (Array.isArray(mapping)) {
    return mapping.map((entry) => {
      const record = entry as Record<string, unknown>;
      const field = record.field ?? record.to ?? record.target;
      return [
        String(record.column ?? record.header ?? record.source ?? record.from ?? ''),
        field === null || field === undefined ? '' : String(field),
      ];
    });
  }
  if (mapping && typeof mapping === 'object')
    return Object.entries(mapping as Record<string, unknown>).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]);
  return [];
}

function countLines(lines: StoredBomLine[]): number {
  return lines.reduce((sum, line) => sum + 1 + countLines(line.children ?? []), 0);
}

/** "12 lines read as csv, utf-8.", the count in bold. */
function linesRead(count: number, format: string | undefined, encoding: string | undefined) {
  return tParts(
    'bomPreview.linesRead',
    { count, format: format || 'none', encoding: encoding || 'none' },
    { figure: <strong>{formatNumber(count, 0)}</strong> },
  );
}

export function BomPreview({ file }: { file: File }) {
  const [reply, setReply] = useState<BomParseResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [unavailable, setUnavailable] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setReply(null);
    setError(null);
    const form = new FormData();
    form.append('bom', file, file.name);
    api
      .postForm<BomParseResult>('/api/bom/parse', form)
      .then((result) => !cancelled && setReply(result))
      .catch((err: ApiError) => {
        if (cancelled) return;
        if (err.status === 404) setUnavailable(true);
        else setError(err);
      });
    return () => {
      cancelled = true;
    };
  }, [file]);

  if (unavailable) return <p class="muted">{t('bomPreview.unavailable')}</p>;
  if (error) return <ErrorNotice error={error} />;
  if (!reply) return <Loading label={t('bomPreview.reading')} />;
  const pairs = mappingPairs(reply.mapping);
  const lines = reply.lines ?? [];
  return (
    <div class="bom-preview">
      <p>{linesRead(countLines(lines), reply.format, reply.encoding)}</p>
      {pairs.length > 0 && (
        <div class="table-scroll">
          <table class="table mapping">
            <caption>{t('bomPreview.columnsRecognised')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('bomPreview.columnInFile')}</th>
                <th scope="col">{t('bomPreview.readAs')}</th>
              </tr>
            </thead>
            <tbody>
              {pairs.map(([column, field]) => (
                <tr key={column}>
                  <td>{column}</td>
                  <td>{field || <span class="muted">{t('bomPreview.ignored')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {reply.warnings && reply.warnings.length > 0 && (
        <div class="notice notice-warning">
          <p class="notice-title">{t('bomPreview.warnings', { count: reply.warnings.length })}</p>
          <ul>
            {reply.warnings.slice(0, 50).map((warning, index) => (
              <li key={index}>
                {warning.line !== undefined && <strong>{t('bomPreview.line', { line: warning.line })}</strong>}
                {warning.column !== undefined && t('bomPreview.column', { column: warning.column })}
                {warning.value !== undefined && t('bomPreview.value', { value: String(warning.value) })}:{' '}
                {bomWarningText(warning)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {lines.length > 0 && (
        <details>
          <summary>{t('bomPreview.showLines')}</summary>
          <BomTable lines={lines} />
        </details>
      )}
    </div>
  );
}
