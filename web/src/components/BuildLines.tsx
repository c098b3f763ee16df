// What a build did to BOM lines (substituted, skipped, made locally), each line named from the version's BOM: a
// report stores only the position, which says nothing to a reader without the part's name beside it.
import type { BomLine, BuildLine } from '../api-types';

type Substitute = NonNullable<BuildLine['substitute']>;

const statusLabels: Record<string, string> = {
  substituted: 'substituted',
  skipped: 'skipped',
  'made-locally': 'made locally',
};

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
    substitute.partNumber && `part ${substitute.partNumber}`,
    substitute.material,
    substitute.supplier && `from ${substitute.supplier}`,
  ].filter(Boolean);
  return details.length ? ` (${details.join(', ')})` : '';
}

export function BuildLines({ lines, bom }: { lines: BuildLine[]; bom: Map<string, BomLine> }) {
  return (
    <div class="table-scroll">
      <table class="table build-lines">
        <thead>
          <tr>
            <th scope="col">BOM line</th>
            <th scope="col">What the workshop did</th>
            <th scope="col">Why</th>
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
                  {partName ?? <span class="muted">(not in this version’s BOM)</span>}
                  {original?.partNumber && <span class="muted small mono"> {original.partNumber}</span>}
                </th>
                <td>
                  {line.status === 'substituted' && line.substitute ? (
                    <>
                      instead of {partName ?? `line ${line.position}`}: <strong>{line.substitute.name}</strong>
                      {substituteDetails(line.substitute)}
                    </>
                  ) : (
                    (statusLabels[line.status] ?? line.status)
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
