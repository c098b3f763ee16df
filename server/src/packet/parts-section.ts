// The parts chapter: each CAD file's preview with its facts and the BOM lines it makes, two to a row.
import { fonts } from './fonts.js';
import { colors, type PacketWriter } from './layout.js';
import type { PacketData, PacketPart } from './data.js';
import { factLines } from './format.js';

const GAP = 18;
const IMAGE = 200;

function cellHeight(w: PacketWriter, part: PacketPart, width: number): number {
  const doc = w.doc;
  doc.font(fonts.bold).fontSize(9.5);
  let h = doc.heightOfString(part.path, { width }) + 4;
  doc.font(fonts.regular).fontSize(8);
  for (const { text: line } of textLines(w, part)) h += doc.heightOfString(line, { width }) + 1;
  return IMAGE + 8 + h + GAP;
}

/** The lines under a part's preview; `warn` ones print in the warning colour. */
function textLines(w: PacketWriter, part: PacketPart): { text: string; warn?: boolean }[] {
  const { t } = w;
  const lines: { text: string; warn?: boolean }[] = [
    { text: part.format ? t('parts.format', { format: part.format.toUpperCase() }) : t('parts.formatUnknown') },
    // a file's size in bytes says nothing to a builder
    ...factLines(part.facts ? { ...part.facts, bytes: undefined } : part.facts, t, w.f).map((text) => ({ text })),
  ];
  if (part.state === 'failed')
    lines.push({
      text: part.error ? t('parts.notReadable', { error: part.error }) : t('parts.notReadableUnknown'),
      warn: true,
    });
  else if (part.state !== 'done') lines.push({ text: t('parts.processing') });
  if (part.usedBy.length)
    lines.push({ text: t('parts.usedBy', { lines: part.usedBy.map((u) => `${u.position} ${u.name}`).join('; ') }) });
  return lines;
}

function drawPart(w: PacketWriter, part: PacketPart, x: number, y: number, width: number): void {
  const doc = w.doc;
  const size = Math.min(IMAGE, width);
  doc.rect(x, y, width, size).fillColor('#f4f6f8').fill();
  let drawn = false;
  if (part.preview) {
    try {
      doc.image(part.preview, x + (width - size) / 2, y, { fit: [size, size], align: 'center', valign: 'center' });
      drawn = true;
    } catch {
      /* an image pdfkit cannot read: the placeholder stays */
    }
  }
  if (!drawn)
    doc
      .font(fonts.italic)
      .fontSize(9)
      .fillColor(colors.muted)
      .text(part.state === 'failed' ? w.t('parts.noPreviewFailed') : w.t('parts.noPreview'), x, y + size / 2 - 6, {
        width,
        align: 'center',
      });
  doc.rect(x, y, width, size).lineWidth(0.5).strokeColor(colors.rule).stroke();
  doc
    .font(fonts.bold)
    .fontSize(9.5)
    .fillColor(colors.ink)
    .text(part.path, x, y + size + 6, { width });
  doc.font(fonts.regular).fontSize(8).fillColor(colors.ink);
  for (const line of textLines(w, part))
    doc.fillColor(line.warn ? colors.warn : colors.ink).text(line.text, x, doc.y + 1, { width });
}

export function drawPartsSection(w: PacketWriter, data: PacketData): void {
  w.section(w.t('parts.title'));
  if (data.parts.length === 0) {
    w.text(w.t('parts.none'), { font: fonts.italic, color: colors.muted });
    return;
  }
  w.text(w.t('parts.intro'), { size: 8.5, color: colors.muted, gap: 10 });
  const colWidth = (w.width - GAP) / 2;
  for (let i = 0; i < data.parts.length; i += 2) {
    const row = data.parts.slice(i, i + 2);
    const h = Math.max(...row.map((p) => cellHeight(w, p, colWidth)));
    w.ensureSpace(h);
    const y = w.doc.y;
    row.forEach((p, j) => drawPart(w, p, w.left + j * (colWidth + GAP), y, colWidth));
    w.doc.x = w.left;
    w.doc.y = y + h;
  }
}
