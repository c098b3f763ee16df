// DXF drawings as vector pages: at true scale (1:1) where the drawing fits the paper, else at the largest standard
// scale that fits, printed on the page with a scale bar to check the print against.
import { readDxf, type Drawing } from '../cad/dxf.js';
import { defaultReadLimits } from '../cad/types.js';
import { fonts } from './fonts.js';
import { colors, MM, margins, papers, type PacketWriter } from './layout.js';
import type { PacketData, PacketDrawing } from './data.js';
import type { Paper } from './options.js';
import { factLines } from './format.js';

/** Reduction scales a drawing office uses, largest first: 1:1, 1:2, 1:5, … */
const standardScales = [1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000];
/** Points a packet drawing may expand to: a page of vector paths stays printable. */
const MAX_POINTS = 400_000;
const TITLE_SPACE = 34;
const SCALE_BAR_SPACE = 30;
/** DejaVu Sans cap height per em: DXF text height is the height of capitals. */
const CAP_HEIGHT = 0.729;

export interface DrawingLayout {
  layout: 'portrait' | 'landscape';
  /** 1:N */
  scale: number;
  /** true when even the smallest standard scale did not fit and the drawing was fitted exactly */
  fitted: boolean;
}

/** The drawing area of a page, mm. */
function area(paper: Paper, layout: 'portrait' | 'landscape'): { width: number; height: number } {
  const p = papers[paper];
  const [pw, ph] = layout === 'portrait' ? [p.width, p.height] : [p.height, p.width];
  return {
    width: (pw - margins.left - margins.right) / MM,
    height: (ph - margins.top - margins.bottom - TITLE_SPACE - SCALE_BAR_SPACE) / MM,
  };
}

/** Portrait or landscape, at the largest standard scale the drawing fits (1:1 preferred, never enlarged). */
export function chooseLayout(widthMm: number, heightMm: number, paper: Paper): DrawingLayout {
  let best: DrawingLayout | undefined;
  for (const layout of ['portrait', 'landscape'] as const) {
    const a = area(paper, layout);
    const scale = standardScales.find((s) => widthMm / s <= a.width && heightMm / s <= a.height);
    if (scale !== undefined && (!best || scale < best.scale)) best = { layout, scale, fitted: false };
  }
  if (best) return best;
  const fit = (layout: 'portrait' | 'landscape') => {
    const a = area(paper, layout);
    return Math.max(widthMm / a.width, heightMm / a.height);
  };
  const layout = fit('portrait') <= fit('landscape') ? 'portrait' : 'landscape';
  return { layout, scale: fit(layout), fitted: true };
}

const scaleLabel = (w: PacketWriter, s: DrawingLayout) =>
  s.fitted ? w.t('drawings.fittedScale', { scale: String(Math.ceil(s.scale)) }) : `1:${s.scale}`;

/** Bounds with room for texts (the reader gives their anchor points only). */
function extent(d: Drawing): { min: [number, number]; max: [number, number] } {
  const min: [number, number] = [...d.bounds.min];
  const max: [number, number] = [...d.bounds.max];
  for (const t of d.texts) {
    const rad = (t.rotation * Math.PI) / 180;
    const len = t.text.length * t.height * 0.62;
    const ex = t.x + Math.cos(rad) * len;
    const ey = t.y + Math.sin(rad) * len;
    min[0] = Math.min(min[0], ex);
    max[0] = Math.max(max[0], ex);
    min[1] = Math.min(min[1], ey, t.y - t.height * 0.3);
    max[1] = Math.max(max[1], ey, t.y + t.height);
  }
  return { min, max };
}

function drawPaths(w: PacketWriter, d: Drawing, map: (x: number, y: number) => [number, number], k: number): number {
  const doc = w.doc;
  let segments = 0;
  for (const annotation of [false, true]) {
    for (const p of d.paths) {
      if (p.annotation !== annotation) continue;
      const pts = p.points;
      const [sx, sy] = map(pts[0]!, pts[1]!);
      doc.moveTo(sx, sy);
      for (let i = 2; i < pts.length; i += 2) {
        const [x, y] = map(pts[i]!, pts[i + 1]!);
        doc.lineTo(x, y);
        segments++;
      }
    }
    // cut lines heavier than dimensions; widths in points, whatever the scale
    doc
      .lineWidth(annotation ? 0.35 : Math.max(0.5, Math.min(0.8, 0.25 * MM * k)))
      .lineJoin('round')
      .lineCap('round')
      .strokeColor(annotation ? '#2f6690' : colors.ink)
      .stroke();
  }
  return segments;
}

function drawTexts(w: PacketWriter, d: Drawing, map: (x: number, y: number) => [number, number], k: number): void {
  const doc = w.doc;
  for (const t of d.texts) {
    const size = Math.max(2.5, (t.height * k * MM) / CAP_HEIGHT);
    const [x, y] = map(t.x, t.y);
    doc.save();
    if (t.rotation) doc.rotate(-t.rotation, { origin: [x, y] });
    doc
      .font(fonts.regular)
      .fontSize(size)
      .fillColor(colors.ink)
      .text(t.text, x, y, { lineBreak: false, baseline: 'alphabetic' });
    doc.restore();
  }
}

/** A bar of a round length in drawing millimetres, to check the print's scale with a ruler. */
function drawScaleBar(w: PacketWriter, layout: DrawingLayout, y: number): void {
  const doc = w.doc;
  const k = 1 / layout.scale;
  const maxPaperMm = 100;
  const candidates = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10000].map((e) => m * e)).sort((a, b) => a - b);
  const length = [...candidates].reverse().find((c) => c * k <= maxPaperMm) ?? 1;
  const widthPt = length * k * MM;
  // margins are zeroed while the drawing is drawn: place by the fixed page margins
  const x = margins.left;
  const right = w.doc.page.width - margins.right;
  const steps = 5;
  for (let i = 0; i < steps; i++) {
    doc
      .rect(x + (widthPt / steps) * i, y, widthPt / steps, 5)
      .fillColor(i % 2 ? '#ffffff' : colors.ink)
      .fill();
  }
  doc.rect(x, y, widthPt, 5).lineWidth(0.5).strokeColor(colors.ink).stroke();
  doc
    .font(fonts.regular)
    .fontSize(7)
    .fillColor(colors.ink)
    .text('0', x - 2, y + 7, { lineBreak: false });
  doc.text(`${w.f.count(length)} mm`, x + widthPt - 12, y + 7, { lineBreak: false });
  const note =
    layout.scale === 1
      ? w.t('drawings.barFullSize', { length: w.f.count(length) })
      : w.t('drawings.barScaled', {
          length: w.f.count(length),
          paper: w.f.fixed(length * k, length * k < 10 ? 1 : 0),
          scale: scaleLabel(w, layout),
        });
  doc
    .font(fonts.regular)
    .fontSize(7)
    .fillColor(colors.muted)
    .text(note, x + widthPt + 34, y - 1, { width: right - (x + widthPt + 34), lineGap: 0 });
}

/** `startPage` opens the drawing's page: the chapter's first page for the first drawing. */
function drawOne(
  w: PacketWriter,
  item: PacketDrawing,
  paper: Paper,
  units: string | undefined,
  startPage: (layout: 'portrait' | 'landscape') => void,
): void {
  const doc = w.doc;
  let drawing: Drawing;
  try {
    drawing = readDxf(item.bytes, { ...defaultReadLimits, maxTriangles: MAX_POINTS }, units ? { units } : {}).drawing;
  } catch (err) {
    startPage('portrait');
    w.subsection(item.path, { keep: 0 });
    w.text(w.t('drawings.unreadable', { error: (err as Error).message }), { color: colors.warn });
    return;
  }
  const ext = extent(drawing);
  const wMm = Math.max(ext.max[0] - ext.min[0], 1e-3);
  const hMm = Math.max(ext.max[1] - ext.min[1], 1e-3);
  const layout = chooseLayout(wMm, hMm, paper);
  startPage(layout.layout);
  w.subsection(item.path, { keep: 0 });
  // the drawing's units are already in its millimetres
  const facts = factLines(item.facts ? { ...item.facts, units: undefined } : item.facts, w.t, w.f);
  w.text(
    [
      w.t('drawings.scaleLine', {
        scale: scaleLabel(w, layout),
        paper: papers[paper].label,
        layout: layout.layout,
        width: w.f.fixed(wMm, 1),
        height: w.f.fixed(hMm, 1),
      }),
      ...facts,
    ].join(' · '),
    { size: 8, color: colors.muted, gap: 2 },
  );
  const top = margins.top + TITLE_SPACE;
  const a = area(paper, layout.layout);
  const k = 1 / layout.scale;
  const offX = w.left + ((a.width - wMm * k) / 2) * MM;
  const offY = top + ((a.height - hMm * k) / 2) * MM;
  const map = (x: number, y: number): [number, number] => [
    offX + (x - ext.min[0]) * k * MM,
    offY + (ext.max[1] - y) * k * MM,
  ];
  w.withoutMargins(() => {
    drawPaths(w, drawing, map, k);
    drawTexts(w, drawing, map, k);
    drawScaleBar(w, layout, doc.page.height - margins.bottom - SCALE_BAR_SPACE + 10);
  });
  doc.x = w.left;
  doc.y = w.bottom;
}

/** One page per drawing; the chapter starts on the first drawing's page. */
export function drawDrawingsSection(w: PacketWriter, data: PacketData): void {
  if (data.drawings.length === 0) {
    w.section(w.t('drawings.title'));
    w.text(w.t('drawings.none'), { font: fonts.italic, color: colors.muted });
    return;
  }
  const units = typeof data.manifest.units === 'string' ? data.manifest.units : undefined;
  data.drawings.forEach((d, i) =>
    drawOne(w, d, data.options.paper, units, (layout) => {
      if (i === 0) w.section(w.t('drawings.title'), { layout, heading: false });
      else w.addPage(layout);
    }),
  );
}
