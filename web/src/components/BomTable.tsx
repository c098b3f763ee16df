// The BOM as a table: one row per line (its notes on a row below), sub-assemblies collapsible, quantities for the chosen number of units.
import { useState } from 'preact/hooks';
import type { ShownBomLine } from '../api-types';
import { formatMoney } from '../format';
import { t } from '../i18n';
import { processName, quantityWithUnit } from '../display-names';

/** The first supplier is the usual source; the others are named in the tooltip. */
function SupplierCell({ line }: { line: ShownBomLine }) {
  const [first, ...others] = line.suppliers ?? [];
  if (!first) return <td />;
  const name =
    first.url && /^https?:\/\//i.test(first.url) ? (
      <a href={first.url} rel="noopener noreferrer nofollow" target="_blank">
        {first.name}
      </a>
    ) : (
      first.name
    );
  return (
    <td
      data-testid="bom-supplier"
      title={
        others.length ? t('bomTable.also', { names: others.map((supplier) => supplier.name).join(', ') }) : undefined
      }
    >
      {name}
      {first.partNumber && <span class="bom-sub mono">{first.partNumber}</span>}
      {others.length > 0 && <span class="muted small"> +{others.length}</span>}
    </td>
  );
}

/** What to buy: the API's order quantity where packs, minimum orders or attrition apply, else the need itself. */
function toOrder(line: ShownBomLine): string {
  if (line.fitted === false) return t('bomTable.notFitted');
  return quantityWithUnit(line.orderQuantity ?? line.quantity, line.unit);
}

/** An EDA line's designators, footprint and MPN, the way a board's assembler looks a part up. */
function electronics(line: ShownBomLine): string {
  return [line.designators?.join(', '), line.footprint, line.mpn].filter(Boolean).join(' · ');
}

function lineKey(line: ShownBomLine, index: number): string {
  return `${line.position ?? index}-${line.partNumber ?? line.name ?? ''}`;
}

/**
 * The BOM view's exact line cost (quantity × unit cost for the chosen units; absent for a not-fitted line).
 * A parse preview's lines are the stored ones, without lineCost: there it is worked out for display only.
 */
function lineCost(line: ShownBomLine): string {
  if (line.lineCost !== undefined) return formatMoney(line.lineCost, line.currency);
  if (line.quantityPer !== undefined || line.unitCost === undefined) return '—';
  const total = Number(line.quantity) * Number(line.unitCost);
  return Number.isFinite(total) ? formatMoney(total.toFixed(2), line.currency) : '—';
}

const COLUMNS = 8;

/** The disclosure triangle: pointing down when open. */
const disclosureMark = (open: boolean) => (open ? '▾' : '▸');

type RowsProps = {
  lines: ShownBomLine[];
  depth: number;
  expanded: Set<string>;
  toggle: (key: string) => void;
  parentKey: string;
};

function BomRows({ lines, depth, expanded, toggle, parentKey }: RowsProps) {
  return (
    <>
      {lines.map((line, index) => {
        const key = `${parentKey}/${lineKey(line, index)}`;
        const children = line.children ?? [];
        const open = expanded.has(key);
        return [
          <tr
            key={key}
            // a discussion's part reference (`#CEB-105`) or designator (`#C1`, by the line's first) links here
            id={
              line.partNumber
                ? `part-${line.partNumber}`
                : line.designators?.length
                  ? `designator-${line.designators[0]}`
                  : undefined
            }
            class={`bom-row depth-${Math.min(depth, 4)}${children.length ? ' bom-assembly' : ''}`}
          >
            <td class="bom-position">
              {children.length > 0 ? (
                <button
                  type="button"
                  class="disclosure"
                  aria-expanded={open}
                  aria-label={t(open ? 'bomTable.collapseAssembly' : 'bomTable.expandAssembly', {
                    name: line.name ?? line.partNumber ?? '',
                  })}
                  onClick={() => toggle(key)}
                >
                  <span aria-hidden="true">{disclosureMark(open)}</span>
                </button>
              ) : null}
              {line.position ?? ''}
            </td>
            <td class="mono">{line.partNumber ?? ''}</td>
            <td dir="auto" style={{ paddingInlineStart: `${0.6 + depth * 1.1}rem` }}>
              {line.name ?? ''}
              {(line.material || line.process) && (
                <span class="bom-sub">
                  {[line.material, line.process && processName(line.process)].filter(Boolean).join(' · ')}
                </span>
              )}
              {electronics(line) && (
                <span class="bom-sub mono" data-testid="bom-electronics">
                  {electronics(line)}
                </span>
              )}
            </td>
            <td class="num" data-testid="bom-quantity">
              {quantityWithUnit(line.quantity, line.unit)}
            </td>
            <td class="num" data-testid="bom-to-order">
              {toOrder(line)}
            </td>
            <td class="num" data-testid="bom-unit-cost">
              {line.unitCost !== undefined ? formatMoney(line.unitCost, line.currency) : '—'}
            </td>
            <td class="num" data-testid="bom-line-cost">
              {lineCost(line)}
            </td>
            <SupplierCell line={line} />
          </tr>,
          line.notes ? (
            <tr key={`${key}-notes`} class="bom-notes-row">
              <td />
              <td
                colSpan={COLUMNS - 1}
                class="bom-notes"
                data-testid="bom-notes"
                style={{ paddingInlineStart: `${0.6 + depth * 1.1}rem` }}
              >
                <span class="bom-notes-label">{t('bomTable.note')}</span> {line.notes}
              </td>
            </tr>
          ) : null,
          open && children.length > 0 ? (
            <BomRows
              key={`${key}-children`}
              lines={children}
              depth={depth + 1}
              expanded={expanded}
              toggle={toggle}
              parentKey={key}
            />
          ) : null,
        ];
      })}
    </>
  );
}

function allAssemblyKeys(lines: ShownBomLine[], parentKey = ''): string[] {
  return lines.flatMap((line, index) => {
    const key = `${parentKey}/${lineKey(line, index)}`;
    return line.children?.length ? [key, ...allAssemblyKeys(line.children, key)] : [];
  });
}

export function BomTable({ lines }: { lines: ShownBomLine[] }) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(allAssemblyKeys(lines).slice(0, 0)));
  const assemblies = allAssemblyKeys(lines);
  const toggle = (key: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <>
      {assemblies.length > 0 && (
        <div class="bom-expand">
          <button
            type="button"
            class="button button-quiet button-small"
            onClick={() => setExpanded(new Set(assemblies))}
          >
            {t('bomTable.expandAll')}
          </button>
          <button type="button" class="button button-quiet button-small" onClick={() => setExpanded(new Set())}>
            {t('bomTable.collapseAll')}
          </button>
        </div>
      )}
      <div class="table-scroll">
        <table class="table bom-table">
          <thead>
            <tr>
              <th scope="col">{t('bomTable.position')}</th>
              <th scope="col">{t('bomTable.partNumber')}</th>
              <th scope="col">{t('bomTable.name')}</th>
              <th scope="col" class="num">
                {t('bomTable.quantity')}
              </th>
              <th scope="col" class="num">
                {t('bomTable.toOrder')}
              </th>
              <th scope="col" class="num">
                {t('bomTable.unitCost')}
              </th>
              <th scope="col" class="num">
                {t('bomTable.lineCost')}
              </th>
              <th scope="col">{t('bomTable.supplier')}</th>
            </tr>
          </thead>
          <tbody>
            <BomRows lines={lines} depth={0} expanded={expanded} toggle={toggle} parentKey="" />
          </tbody>
        </table>
      </div>
    </>
  );
}
