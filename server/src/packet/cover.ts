// The cover: title, version, licences, BOM checksum, what the packet was made for, the preview and a QR code to the version.
import QRCode from 'qrcode';
import { fonts } from './fonts.js';
import { colors, margins, type PacketWriter } from './layout.js';
import type { PacketData } from './data.js';

/** The licence kinds a design names, as message keys (other kinds print as given). */
const licenceLabels: Record<string, string> = {
  hardware: 'cover.licence.hardware',
  documentation: 'cover.licence.documentation',
  software: 'cover.licence.software',
};

/** The QR code as filled squares: vector, so it stays sharp on any printer. */
export function drawQr(w: PacketWriter, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  const doc = w.doc;
  doc.rect(x, y, size, size).fillColor('#ffffff').fill();
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) doc.rect(x + (c + quiet) * cell, y + (r + quiet) * cell, cell + 0.05, cell + 0.05);
    }
  }
  doc.fillColor('#000000').fill();
}

/** Fits an image into a box, centred; pdfkit reads PNG and JPEG. */
function drawImage(
  w: PacketWriter,
  bytes: Buffer | undefined,
  x: number,
  y: number,
  width: number,
  height: number,
): void {
  const doc = w.doc;
  doc.rect(x, y, width, height).fillColor('#f4f6f8').fill();
  if (bytes) {
    try {
      doc.image(bytes, x + 4, y + 4, { fit: [width - 8, height - 8], align: 'center', valign: 'center' });
    } catch {
      bytes = undefined;
    }
  }
  if (!bytes)
    doc
      .font(fonts.italic)
      .fontSize(10)
      .fillColor(colors.muted)
      .text(w.t('cover.noImage'), x, y + height / 2 - 6, { width, align: 'center' });
  doc.rect(x, y, width, height).lineWidth(0.5).strokeColor(colors.rule).stroke();
}

/** Draws on the current page (the reserved first page), without margins: the safety page is known by then. */
export function drawCover(w: PacketWriter, data: PacketData, opts: { safetyPage?: number } = {}): void {
  w.withoutMargins(() => coverContent(w, data, opts.safetyPage));
}

function coverContent(w: PacketWriter, data: PacketData, safetyPage: number | undefined): void {
  const doc = w.doc;
  const { t, f } = w;
  const left = margins.left;
  const width = doc.page.width - margins.left - margins.right;
  doc.rect(0, 0, doc.page.width, 14).fillColor(colors.accent).fill();
  doc
    .font(fonts.bold)
    .fontSize(9)
    .fillColor(colors.accent)
    .text(t('cover.kicker'), left, 44, { width, characterSpacing: w.rtl ? 0 : 2 });
  doc.font(fonts.bold).fontSize(26).fillColor(colors.ink).text(data.title, left, 60, { width });
  doc
    .font(fonts.regular)
    .fontSize(11)
    .fillColor(colors.muted)
    .text(
      t('cover.byline', {
        ref: `${data.owner}/${data.slug}`,
        version: data.version,
        date: f.date(data.publishedAt),
      }),
      left,
      doc.y + 2,
      { width },
    );
  if (data.state === 'yanked')
    doc
      .font(fonts.bold)
      .fontSize(11)
      .fillColor(colors.warn)
      .text(t('cover.yanked'), left, doc.y + 4, { width });
  if (data.summary)
    doc
      .font(fonts.regular)
      .fontSize(10.5)
      .fillColor(colors.ink)
      .text(data.summary, left, doc.y + 8, { width });

  const imageTop = Math.max(doc.y + 14, 190);
  const imageSize = Math.min(width, 330);
  drawImage(w, data.cover, left + (width - imageSize) / 2, imageTop, imageSize, imageSize);

  // what this packet is: two columns of key/value under the picture, the QR code at the right
  const o = data.options;
  const facts: [string, string, boolean?][] = [];
  facts.push([t('cover.madeFor'), t('cover.units', { units: o.units, n: f.count(o.units) })]);
  const licences = Object.entries(data.licenses).filter(([, v]) => v);
  facts.push([
    t('cover.licences'),
    licences.length
      ? licences.map(([k, v]) => `${licenceLabels[k] ? t(licenceLabels[k]) : k}: ${v}`).join('\n')
      : t('cover.noLicences'),
  ]);
  facts.push([t('cover.stock'), t('cover.stockValue', { stock: f.decimal(o.stockMm), kerf: f.decimal(o.kerfMm) })]);
  if (o.currency) facts.push([t('cover.totalsIn'), o.currency]);
  if (o.region) facts.push([t('cover.region'), t('cover.regionValue', { region: f.country(o.region) })]);
  facts.push([t('cover.paper'), t('cover.paperValue', { paper: w.paper.label })]);
  facts.push([
    t('cover.checksum'),
    data.bom ? `${data.bom.checksum.slice(0, 32)}\n${data.bom.checksum.slice(32)}` : t('cover.noBom'),
    !!data.bom,
  ]);

  const qrSize = 112;
  const tableTop = imageTop + imageSize + 20;
  const keyWidth = 90;
  const valueWidth = width - qrSize - keyWidth - 20;
  let y = tableTop;
  for (const [key, value, mono] of facts) {
    doc.font(fonts.bold).fontSize(8.5).fillColor(colors.muted).text(key, left, y, { width: keyWidth });
    doc
      .font(mono ? fonts.mono : fonts.regular)
      .fontSize(mono ? 7.5 : 9)
      .fillColor(colors.ink);
    const h = doc.heightOfString(value, { width: valueWidth });
    doc.text(value, left + keyWidth, y, { width: valueWidth });
    y += Math.max(h, 11) + 4;
  }
  const qrX = left + width - qrSize;
  drawQr(w, data.url, qrX, tableTop - 6, qrSize);
  doc
    .font(fonts.bold)
    .fontSize(7.5)
    .fillColor(colors.ink)
    .text(t('cover.online'), qrX, tableTop + qrSize - 4, { width: qrSize, align: 'center' });
  doc
    .font(fonts.mono)
    .fontSize(6)
    .fillColor(colors.muted)
    .text(data.url, qrX - 20, doc.y + 1, { width: qrSize + 20, align: 'center' });

  if (data.manifest.safetyCritical === true) {
    const boxTop = Math.max(y, doc.y) + 12;
    const note = safetyPage ? t('cover.safetyCriticalPage', { page: f.count(safetyPage) }) : t('cover.safetyCritical');
    doc.font(fonts.bold).fontSize(10);
    const h = doc.heightOfString(note, { width: width - 20 }) + 14;
    doc.rect(left, boxTop, width, h).lineWidth(1.5).strokeColor(colors.warn).stroke();
    doc.fillColor(colors.warn).text(note, left + 10, boxTop + 7, { width: width - 20 });
  }
  doc
    .font(fonts.regular)
    .fontSize(7.5)
    .fillColor(colors.muted)
    .text(t('cover.madeBy', { url: data.url }), left, doc.page.height - 44, {
      width,
      align: 'center',
      lineBreak: true,
    });
}
