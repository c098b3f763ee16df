// A board's parts list: the version's BOM lines that name designators, each a row to point at or choose; the chosen
// one's parts light up on the board beside it.
import type { ShownBomLine } from '../api-types';
import { quantityWithUnit } from '../display-names';
import { t } from '../i18n';

/** The BOM's lines with designators, sub-assemblies' included, in BOM order. */
export function partLines(lines: readonly ShownBomLine[]): ShownBomLine[] {
  return lines.flatMap((line) => [
    ...((line.designators ?? []).length > 0 ? [line] : []),
    ...partLines(line.children ?? []),
  ]);
}

type Props = {
  lines: ShownBomLine[];
  selected: number | null;
  onSelect: (index: number) => void;
  onHover: (index: number | null) => void;
};

export function BoardParts({ lines, selected, onSelect, onHover }: Props) {
  return (
    <div class="table-scroll board-parts-scroll">
      <table class="table board-parts" onMouseLeave={() => onHover(null)}>
        <caption class="visually-hidden">{t('boardPage.partsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('boardPage.designators')}</th>
            <th scope="col">{t('boardPage.value')}</th>
            <th scope="col">{t('boardPage.footprint')}</th>
            <th scope="col">{t('boardPage.mpn')}</th>
            <th scope="col" class="num">
              {t('boardPage.quantity')}
            </th>
            <th scope="col">{t('boardPage.fitted')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => (
            <tr
              key={`${line.position}-${index}`}
              id={`board-part-${index}`}
              class={`board-part${selected === index ? ' is-selected' : ''}`}
              data-testid="board-part"
              onMouseEnter={() => onHover(index)}
              onClick={() => onSelect(index)}
            >
              <td class="mono">
                <button
                  type="button"
                  class="board-part-pick"
                  aria-pressed={selected === index}
                  onFocus={() => onHover(index)}
                  onBlur={() => onHover(null)}
                  onClick={(event) => {
                    event.stopPropagation();
                    onSelect(index);
                  }}
                >
                  {line.designators!.join(', ')}
                </button>
              </td>
              <td dir="auto">{line.value ?? line.name}</td>
              <td class="mono">{line.footprint ?? ''}</td>
              <td class="mono">{line.mpn ?? ''}</td>
              <td class="num">{quantityWithUnit(line.quantity, line.unit)}</td>
              <td>{line.fitted === false ? t('boardPage.notFitted') : t('boardPage.isFitted')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
