// The BOM chapter: every line for N units grouped by sub-assembly, order quantities, costs, suppliers, substitutes.
import { bomView, type BomViewLine, type BomView } from '../bom/kernel/index.js';
import { Dec, decimalToString } from '../bom/kernel/decimal.js';
import { bomWarningText } from '../bom/warning-text.js';
import { fonts } from './fonts.js';
import { colors, type CellLine, type PacketWriter, type TableColumn, type TableRow } from './layout.js';
import type { PacketData } from './data.js';
import type { RegionalSet } from './field-source.js';
import type { PacketFormat } from './format.js';
import type { Translate } from '../locales/translate.js';
import { processName } from './process-names.js';
import { quantityText } from './unit-names.js';

/** Column widths on A4 (other papers scale them to their width); `cost` columns name the currency when there is one. */
const baseColumns: (Omit<TableColumn, 'header'> & { key: string; withCurrency?: string })[] = [
  { key: 'bom.column.position', width: 34 },
  { key: 'bom.column.partNumber', width: 62 },
  { key: 'bom.column.item', width: 169 },
  { key: 'bom.column.need', width: 52, align: 'right' },
  { key: 'bom.column.order', width: 44, align: 'right' },
  { key: 'bom.column.unitCost', withCurrency: 'bom.column.unitCostIn', width: 46, align: 'right' },
  { key: 'bom.column.lineCost', withCurrency: 'bom.column.lineCostIn', width: 50, align: 'right' },
  { key: 'bom.column.supplier', width: 46 },
];

/** With one currency throughout, it goes in the cost headers instead of every cell. */
function columnsFor(t: Translate, width: number, currency: string | undefined): TableColumn[] {
  const total = baseColumns.reduce((s, c) => s + c.width, 0);
  return baseColumns.map(({ key, withCurrency, ...c }) => ({
    ...c,
    header: currency && withCurrency ? t(withCurrency, { currency }) : t(key),
    width: (c.width * width) / total,
  }));
}

function currenciesOf(lines: readonly BomViewLine[], into = new Set<string>()): Set<string> {
  for (const l of lines) {
    if (l.unitCost !== undefined) into.add(l.currency ?? 'XXX');
    if (l.children) currenciesOf(l.children, into);
  }
  return into;
}

type Regional = Map<string, RegionalSet['substitutions'][number]>;

function itemCell(w: PacketWriter, line: BomViewLine, depth: number, regional: Regional, region?: string): CellLine[] {
  const { t } = w;
  const pad = '   '.repeat(depth);
  const out: CellLine[] = [
    { text: pad + line.name, font: line.children?.length ? fonts.condensedBold : fonts.condensed },
  ];
  const detail = [line.material, line.process && processName(t, line.process), line.mpn && `MPN ${line.mpn}`]
    .filter(Boolean)
    .join(' · ');
  if (detail) out.push({ text: pad + detail, size: 6.5, color: colors.muted });
  if (line.notes) out.push({ text: pad + line.notes, size: 6.5, color: colors.muted, font: fonts.condensed });
  if (line.filePath) out.push({ text: pad + t('bom.file', { path: line.filePath }), size: 6.5, color: colors.muted });
  if (line.fitted === false) out.push({ text: pad + t('bom.doNotFit'), size: 6.5, color: colors.warn });
  if (line.optional) out.push({ text: pad + t('bom.optional'), size: 6.5, color: colors.muted });
  for (const s of line.substitutes ?? [])
    out.push({
      text:
        pad +
        t('bom.alternative', {
          alternative: [s.name, s.partNumber, s.material, s.supplier].filter(Boolean).join(', '),
        }),
      size: 6.5,
      color: colors.ink,
    });
  const local = regional.get(line.position);
  if (local)
    out.push({
      text:
        pad +
        t('bom.regional', {
          region: region ?? '',
          name: local.substitute.name,
          count: local.count,
          n: w.f.count(local.count),
          of: w.f.count(local.of),
        }),
      size: 6.5,
      color: colors.accent,
      font: fonts.condensedBold,
    });
  return out;
}

function lineRow(
  w: PacketWriter,
  line: BomViewLine,
  depth: number,
  regional: Regional,
  region: string | undefined,
  shown: string | undefined,
): TableRow {
  const currency = shown ? undefined : line.currency;
  const supplier = line.suppliers?.[0];
  return {
    cells: [
      line.position,
      line.partNumber ?? '',
      itemCell(w, line, depth, regional, region),
      quantityText(w.t, w.f, line.quantity, line.unit),
      line.orderQuantity !== undefined ? quantityText(w.t, w.f, line.orderQuantity, line.unit) : '',
      w.f.money(line.unitCost, currency),
      w.f.money(line.lineCost, currency),
      supplier
        ? [
            { text: supplier.name },
            ...(supplier.partNumber ? [{ text: supplier.partNumber, size: 6.5, color: colors.muted }] : []),
          ]
        : '',
    ],
    ...(depth === 0 && line.children?.length ? { fill: colors.shade, bold: true } : {}),
  };
}

/** Σ line costs of a line and everything under it, per currency. */
function costOf(line: BomViewLine, into = new Map<string, Dec>()): Map<string, Dec> {
  if (line.lineCost !== undefined) {
    const key = line.currency ?? 'XXX';
    into.set(key, (into.get(key) ?? new Dec(0)).plus(line.lineCost));
  }
  for (const c of line.children ?? []) costOf(c, into);
  return into;
}

const costText = (f: PacketFormat, costs: Map<string, Dec>, shown: string | undefined) =>
  [...costs]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, v]) => f.money(decimalToString(v), shown ? undefined : c))
    .join(' + ');

function rowsOf(
  w: PacketWriter,
  view: BomView,
  regional: Regional,
  region: string | undefined,
  shown: string | undefined,
): TableRow[] {
  const rows: TableRow[] = [];
  const walk = (lines: readonly BomViewLine[], depth: number) => {
    for (const line of lines) {
      rows.push(lineRow(w, line, depth, regional, region, shown));
      if (line.children?.length) {
        walk(line.children, depth + 1);
        if (depth === 0) {
          const costs = costOf(line);
          if (costs.size)
            rows.push({
              cells: [
                '',
                '',
                [{ text: w.t('bom.subtotal', { name: line.name }), font: fonts.condensedBold, color: colors.muted }],
                '',
                '',
                '',
                [{ text: costText(w.f, costs, shown), font: fonts.condensedBold }],
                '',
              ],
            });
        }
      }
    }
  };
  walk(view.lines, 0);
  return rows;
}

export function drawBomSection(w: PacketWriter, data: PacketData): void {
  const { t, f } = w;
  w.section(t('bom.title'));
  const o = data.options;
  const units = { units: o.units, n: f.count(o.units) };
  if (!data.bom) {
    w.text(t('bom.none'), { font: fonts.italic, color: colors.muted });
    return;
  }
  const view = bomView(data.bom.lines, {
    units: o.units,
    ...(o.currency ? { currency: o.currency } : {}),
    ...(o.rates ? { rates: o.rates } : {}),
  });
  w.text(t('bom.intro', { ...units, checksum: data.bom.checksum.slice(0, 16) }), {
    size: 8.5,
    color: colors.muted,
    gap: 8,
  });
  const regional: Regional = new Map((data.regional?.substitutions ?? []).map((s) => [s.position, s]));
  if (o.region) {
    const note =
      data.regional === null
        ? t('bom.regionalNoReports', { region: o.region })
        : regional.size === 0
          ? t('bom.regionalNone', { region: o.region })
          : t('bom.regionalMarked', {
              region: o.region,
              builds: data.regional!.builds,
              n: f.count(data.regional!.builds),
            });
    w.text(note, { size: 8.5, color: regional.size ? colors.accent : colors.muted, gap: 8 });
  }
  const currencies = currenciesOf(view.lines);
  const shown = currencies.size === 1 ? [...currencies][0] : undefined;
  const columns = columnsFor(t, w.width, shown === 'XXX' ? undefined : shown);
  const rows = rowsOf(w, view, regional, o.region, shown);
  const totals = Object.entries(view.totals.byCurrency);
  for (const [currency, amount] of totals) {
    rows.push({
      cells: [
        [
          {
            text: currency === 'XXX' ? t('bom.totalNoCurrency', units) : t('bom.total', units),
            font: fonts.condensedBold,
          },
        ],
        '',
        '',
        '',
        '',
        '',
        [{ text: f.money(amount, currency), font: fonts.condensedBold }],
        ' ',
      ],
      fill: colors.header,
      span: true,
    });
    if (o.units > 1)
      rows.push({
        cells: [
          [{ text: t('bom.perUnit'), color: colors.muted }],
          '',
          '',
          '',
          '',
          '',
          f.money(decimalToString(new Dec(amount).div(o.units)), currency),
          ' ',
        ],
        span: true,
      });
  }
  if (view.totals.converted) {
    rows.push({
      cells: [
        [{ text: t('bom.totalConverted', { currency: view.totals.converted.currency }), font: fonts.condensedBold }],
        '',
        '',
        '',
        '',
        '',
        [{ text: f.money(view.totals.converted.amount, view.totals.converted.currency), font: fonts.condensedBold }],
        ' ',
      ],
      fill: colors.header,
      span: true,
    });
  }
  w.table(columns, rows, { size: 7.5 });
  const warnings = view.warnings;
  if (warnings.length) {
    w.ensureSpace(40);
    w.text(t('bom.notes'), { font: fonts.bold, size: 9 });
    for (const wn of warnings) {
      const message = bomWarningText(wn, w.lang);
      w.text(wn.position ? t('bom.lineNote', { position: wn.position, message }) : message, {
        size: 8,
        color: colors.muted,
        gap: 2,
      });
    }
  }
}
