// The cut list chapter: stock bars per profile, the cuts, and a diagram per bar with the pieces drawn to scale.
import { cutList, type CutGroup, type CutList, type StockBar } from '../bom/kernel/index.js';
import { bomWarningText } from '../bom/warning-text.js';
import { fonts } from './fonts.js';
import { colors, type PacketWriter } from './layout.js';
import type { PacketData } from './data.js';

const BAR_HEIGHT = 24;
const LABEL_WIDTH = 58;
const pieceFills = ['#d9e4ef', '#e9dfcf'];

/** Identical bars (same cuts in the same order) drawn once with a count. */
function sameBars(bars: readonly StockBar[]): { first: number; count: number; bar: StockBar }[] {
  const out: { first: number; count: number; bar: StockBar; key: string }[] = [];
  bars.forEach((bar, i) => {
    const key = bar.cuts.map((c) => `${c.position}:${c.lengthMm}`).join('|');
    const last = out[out.length - 1];
    if (last && last.key === key) last.count++;
    else out.push({ first: i + 1, count: 1, bar, key });
  });
  return out;
}

function drawBar(w: PacketWriter, bar: StockBar, label: string, stockMm: number, kerfMm: number): void {
  const doc = w.doc;
  w.ensureSpace(BAR_HEIGHT + 16);
  const y = doc.y;
  const x0 = w.left + LABEL_WIDTH;
  const width = w.width - LABEL_WIDTH;
  const k = width / stockMm;
  doc
    .font(fonts.condensedBold)
    .fontSize(7.5)
    .fillColor(colors.ink)
    .text(label, w.left, y + BAR_HEIGHT / 2 - 8, { width: LABEL_WIDTH - 6, lineGap: 0 });
  let x = x0;
  bar.cuts.forEach((cut, i) => {
    const len = Number(cut.lengthMm) * k;
    doc
      .rect(x, y, len, BAR_HEIGHT)
      .fillColor(pieceFills[i % 2]!)
      .fill();
    doc.rect(x, y, len, BAR_HEIGHT).lineWidth(0.6).strokeColor(colors.ink).stroke();
    // labels only where they fit: the length always if it can, the BOM line below it
    doc.font(fonts.condensedBold).fontSize(7);
    const text = w.f.decimal(cut.lengthMm, 1);
    if (doc.widthOfString(text) + 4 <= len)
      doc.fillColor(colors.ink).text(text, x, y + 4, { width: len, align: 'center', lineBreak: false });
    doc.font(fonts.condensed).fontSize(6);
    const pos = cut.position;
    if (doc.widthOfString(pos) + 4 <= len)
      doc.fillColor(colors.muted).text(pos, x, y + 14, { width: len, align: 'center', lineBreak: false });
    x += len + kerfMm * k;
  });
  const offcut = Number(bar.offcutMm);
  if (offcut > 0) {
    const ox = x0 + width - offcut * k;
    const ow = offcut * k;
    doc.save();
    doc.rect(ox, y, ow, BAR_HEIGHT).clip();
    for (let hx = ox - BAR_HEIGHT; hx < ox + ow; hx += 5) doc.moveTo(hx, y + BAR_HEIGHT).lineTo(hx + BAR_HEIGHT, y);
    doc.lineWidth(0.4).strokeColor('#9aa3ad').stroke();
    doc.restore();
    doc.rect(ox, y, ow, BAR_HEIGHT).lineWidth(0.4).dash(2, { space: 2 }).strokeColor(colors.muted).stroke().undash();
    doc.font(fonts.condensed).fontSize(6.5);
    const text = w.t('cut.offcut', { length: w.f.decimal(bar.offcutMm, 1) });
    if (doc.widthOfString(text) + 4 <= ow) {
      const tw = doc.widthOfString(text) + 4;
      doc
        .rect(ox + (ow - tw) / 2, y + 8, tw, 9)
        .fillColor('#ffffff')
        .fill();
      doc.fillColor(colors.muted).text(text, ox, y + 9, { width: ow, align: 'center', lineBreak: false });
    }
  }
  doc.rect(x0, y, width, BAR_HEIGHT).lineWidth(0.9).strokeColor(colors.ink).stroke();
  doc.x = w.left;
  doc.y = y + BAR_HEIGHT + 8;
}

function drawGroup(w: PacketWriter, g: CutGroup, lineNames: Map<string, string>, kerfMm: number): void {
  const { t, f } = w;
  w.subsection(g.material ? `${g.name} · ${g.material}` : g.name, { keep: 120 });
  const pieces = g.cuts.reduce((s, c) => s + c.count, 0);
  const used = g.cuts.reduce((s, c) => s + c.count * Number(c.lengthMm), 0);
  const stock = Number(g.stockMm);
  w.text(
    t('cut.groupSummary', {
      bars: g.barsNeeded,
      n: f.count(g.barsNeeded),
      stock: f.decimal(g.stockMm),
      pieces: f.count(pieces),
      used: f.decimal(used, 1),
      waste: f.decimal(g.wasteMm, 1),
      percent: f.fixed((Number(g.wasteMm) / (stock * g.barsNeeded)) * 100, 1),
    }),
    { size: 8.5, color: colors.muted, gap: 6 },
  );
  w.table(
    [
      { header: t('cut.column.length'), width: w.width * 0.16, align: 'right' },
      { header: t('cut.column.pieces'), width: w.width * 0.1, align: 'right' },
      { header: t('cut.column.line'), width: w.width * 0.74 },
    ],
    g.cuts.map((c) => ({
      cells: [f.decimal(c.lengthMm, 1), f.count(c.count), `${c.position}  ${lineNames.get(c.position) ?? ''}`],
    })),
    { size: 8 },
  );
  for (const { first, count, bar } of sameBars(g.bars)) {
    drawBar(
      w,
      bar,
      count === 1
        ? t('cut.bar', { number: f.count(first) })
        : t('cut.bars', { first: f.count(first), last: f.count(first + count - 1), count: f.count(count) }),
      stock,
      kerfMm,
    );
  }
}

/** Stock lines with only a total length: a row per part saying so, so nobody cuts whole bars by mistake. */
function drawUnknownLengths(w: PacketWriter, unknown: CutList['lengthUnknown']): void {
  const { t, f } = w;
  w.subsection(t('cut.unknown.title'), { keep: 60 });
  w.text(t('cut.unknown.intro'), { size: 8.5, color: colors.muted, gap: 6 });
  w.table(
    [
      { header: t('cut.column.length'), width: w.width * 0.16, align: 'right' },
      { header: t('cut.column.total'), width: w.width * 0.14, align: 'right' },
      { header: t('cut.column.line'), width: w.width * 0.7 },
    ],
    unknown.map((line) => ({
      cells: [
        t('cut.unknown.cell'),
        f.decimal(line.totalMm, 1),
        `${line.position}  ${line.name}${line.material ? ` · ${line.material}` : ''}`,
      ],
    })),
    { size: 8 },
  );
}

export function drawCutListSection(w: PacketWriter, data: PacketData): void {
  const { t, f } = w;
  w.section(t('cut.title'));
  const o = data.options;
  if (!data.bom) {
    w.text(t('cut.noBom'), { font: fonts.italic, color: colors.muted });
    return;
  }
  const list = cutList(data.bom.lines, { units: o.units, stockMm: o.stockMm, kerfMm: o.kerfMm });
  w.text(
    t('cut.intro', { stock: f.decimal(o.stockMm), kerf: f.decimal(o.kerfMm), units: o.units, n: f.count(o.units) }),
    { size: 8.5, color: colors.muted, gap: 8 },
  );
  if (list.groups.length === 0 && list.lengthUnknown.length === 0) {
    w.text(t('cut.none'), {
      font: fonts.italic,
      color: colors.muted,
    });
  }
  const names = new Map<string, string>();
  const walk = (lines: typeof data.bom.lines) =>
    lines.forEach((l) => {
      names.set(l.position, l.name);
      if (l.children) walk(l.children);
    });
  walk(data.bom.lines);
  for (const g of list.groups) drawGroup(w, g, names, Number(o.kerfMm));
  if (list.groups.length)
    w.text(t('cut.totalWaste', { waste: f.decimal(list.totalWasteMm, 1) }), {
      font: fonts.bold,
      size: 9,
      gap: 6,
    });
  if (list.lengthUnknown.length) drawUnknownLengths(w, list.lengthUnknown);
  // A line of unknown length has its own row above; its warning would only repeat it.
  const unknown = new Set(list.lengthUnknown.map((line) => line.position));
  for (const wn of list.warnings)
    if (!unknown.has(wn.position))
      w.text(t('cut.lineNote', { position: wn.position, message: bomWarningText(wn, w.lang) }), {
        size: 8,
        color: colors.warn,
        gap: 2,
      });
}
