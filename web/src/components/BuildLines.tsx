// What a build did to BOM lines (substituted, skipped, made locally), each line named from the version's BOM: a
// report stores only the position, which says nothing to a reader without the part's name beside it.
import type { BomLine, BuildLine } from '../api-types';
import { t } from '../i18n';

type Substitute = NonNullable<BuildLine['substitute']>;

/** What the workshop did to a line, in words; a status this page does not know is shown as the report says it. */
function statusText(status: string): string {
  const keys: Record<string, string> = {
    substituted: 'buildLines.status.substituted',
    skipped: 'buildLines.status.skipped',
    'made-locally': 'buildLines.status.madeLocally',
  };
  return keys[status] ? t(keys[status]) : status;
}

/** Every line of a BOM by position, sub-assemblies included. */
export function linesByPosition(lines: readonly BomLine[], found = new Map<string, BomLine>()): Map<string, BomLine> {
  for (const line of lines) {
    if (line.position !== undefined && line.position !== null) found.set(String(line.position), line);
    if (line.children) linesByPosition(line.children, found);
  }
  return found;
}

function substituteDetails(substitute: Substitute): string {
  const details = [
    substitute.partNumber && t('buildLines.part', { partNumber: substitute.partNumber }),
    substitute.material,
    substitute.supplier && t('buildLines.from', { supplier: substitute.supplier }),
  ].filter(Boolean);
  return details.length ? ` ${t('buildLines.details', { details: details.join(', ') })}` : '';
}

export function BuildLines({ lines, bom }: { lines: BuildLine[]; bom: Map<string, BomLine> }) {
  return (
    <div class="table-scroll">
      <table class="table build-lines">
        <thead>
          <tr>
            <th scope="col">{t('buildLines.bomLine')}</th>
            <th scope="col">{t('buildLines.what')}</th>
            <th scope="col">{t('buildLines.why')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => {
            const original = bom.get(line.position);
            const partName = original?.name ?? line.partNumber ?? original?.partNumber ?? null;
            return (
              <tr key={line.position}>
                <th scope="row" class="build-line-name">
                  <span class="mono">{line.position}</span>{' '}
                  {partName ?? <span class="muted">{t('buildLines.notInBom')}</span>}
                  {original?.partNumber && <span class="muted small mono"> {original.partNumber}</span>}
                </th>
                <td>
                  {line.status === 'substituted' && line.substitute ? (
                    <>
                      {t('buildLines.insteadOf', {
                        part: partName ?? t('buildLines.line', { position: line.position }),
                      })}{' '}
                      <strong>{line.substitute.name}</strong>
                      {substituteDetails(line.substitute)}
                    </>
                  ) : (
                    statusText(line.status)
                  )}
                </td>
                <td>{line.reason ?? <span class="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
