// PacketWriter: pdfkit with buffered pages, sections that feed the table of contents and the outline, tables,
// running headers and page numbers written once every page exists.
import PDFDocument from 'pdfkit';
import { fonts, registerFonts, type FontName } from './fonts.js';
import type { Paper } from './options.js';
import { translator, type Translate } from '../locales/translate.js';
import { localeDirection } from '../locales/catalogues.js';
import { packetFormat, type PacketFormat } from './format.js';
import { keepSpacesAfterWords, rightToLeft } from './bidi.js';

/** Points per millimetre. */
export const MM = 72 / 25.4;

export const papers: Record<Paper, { size: string; width: number; height: number; label: string }> = {
  a4: { size: 'A4', width: 595.28, height: 841.89, label: 'A4' },
  letter: { size: 'LETTER', width: 612, height: 792, label: 'Letter' },
};

export const colors = {
  ink: '#1d2733',
  muted: '#5b6675',
  rule: '#c3cad3',
  shade: '#eef1f4',
  header: '#dde3ea',
  accent: '#b4471b',
  warn: '#8a1c10',
} as const;

/** Page margins in points: room for the running header and the page number. */
export const margins = { top: 50, bottom: 50, left: 46, right: 46 };

export interface TocEntry {
  title: string;
  level: 1 | 2;
  /** 0-based page index. */
  page: number;
  dest: string;
}

export interface TextStyle {
  font?: FontName;
  size?: number;
  color?: string;
  align?: 'left' | 'right' | 'center' | 'justify';
  /** Space after, points. */
  gap?: number;
  indent?: number;
  width?: number;
}

export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface CellLine {
  text: string;
  font?: FontName;
  size?: number;
  color?: string;
}

export type Cell = string | CellLine[];

export interface TableRow {
  cells: Cell[];
  /** A filled row: sub-assembly headers, totals. */
  fill?: string;
  bold?: boolean;
  /** Cells of this row span the columns after the first that are left empty ("" cells are merged into the one before). */
  span?: boolean;
}

const CELL_PAD = 3;

export interface PacketWriterOptions {
  paper: Paper;
  compress: boolean;
  title: string;
  author: string;
  subject: string;
  keywords?: string;
  creationDate: Date;
  /** Left part of every page's running header, e.g. "Brick press · ose/brick-press@1.1.0". */
  running: string;
  /** Printed small in every footer: where this packet came from. */
  source: string;
  /** The locale the packet is written in (default English). */
  lang?: string;
}

export class PacketWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly toc: TocEntry[] = [];
  readonly paper: (typeof papers)[Paper];
  /** The packet's locale, its messages (the `packet` section of locales/<lang>.json) and its formats. */
  readonly lang: string;
  readonly t: Translate;
  readonly f: PacketFormat;
  /** Written right to left (Arabic): lines are put in visual order and set against the right margin. */
  readonly rtl: boolean;
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<void>;
  private readonly pageSections: string[] = [];
  private section_ = '';
  private outlineItem: PDFKit.PDFOutline | undefined;
  private dests = 0;
  /** Pages that carry no running header or number (the cover). */
  private readonly bare = new Set<number>();

  constructor(private readonly o: PacketWriterOptions) {
    this.paper = papers[o.paper];
    this.lang = o.lang ?? 'en';
    this.t = translator('packet', this.lang);
    this.f = packetFormat(this.lang);
    this.rtl = localeDirection(this.lang) === 'rtl';
    this.doc = new PDFDocument({
      size: this.paper.size,
      margins,
      bufferPages: true,
      autoFirstPage: false,
      compress: o.compress,
      pdfVersion: '1.7',
      lang: o.lang ?? 'en',
      displayTitle: true,
      info: {
        Title: o.title,
        Author: o.author,
        Subject: o.subject,
        Keywords: o.keywords ?? '',
        Creator: 'Andecha build packet',
        Producer: 'Andecha (pdfkit)',
        CreationDate: o.creationDate,
        ModDate: o.creationDate,
      },
    });
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve());
      this.doc.on('error', reject);
    });
    registerFonts(this.doc, { rtl: this.rtl });
    this.doc.font(fonts.regular).fontSize(10);
    keepSpacesAfterWords(this.doc);
    if (this.rtl) rightToLeft(this.doc);
    this.doc.on('pageAdded', () => {
      this.pageSections.push(this.section_);
    });
  }

  get pageIndex(): number {
    return this.doc.bufferedPageRange().count - 1;
  }
  get left(): number {
    return this.doc.page.margins.left;
  }
  get right(): number {
    return this.doc.page.width - this.doc.page.margins.right;
  }
  get width(): number {
    return this.right - this.left;
  }
  get top(): number {
    return this.doc.page.margins.top;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  get room(): number {
    return this.bottom - this.doc.y;
  }

  addPage(layout: 'portrait' | 'landscape' = 'portrait', opts: { bare?: boolean } = {}): void {
    this.doc.addPage({ size: this.paper.size, layout, margins });
    if (opts.bare) this.bare.add(this.pageIndex);
  }

  /** Starts a chapter on a new page: big heading, a contents entry, an outline entry, a link target. */
  section(title: string, opts: { layout?: 'portrait' | 'landscape'; heading?: boolean } = {}): void {
    this.section_ = title;
    this.addPage(opts.layout ?? 'portrait');
    this.mark(title, 1);
    this.outlineItem = this.doc.outline.addItem(title);
    if (opts.heading !== false) {
      this.doc
        .font(fonts.bold)
        .fontSize(18)
        .fillColor(colors.ink)
        .text(title, this.left, this.top, { width: this.width });
      const y = this.doc.y + 3;
      this.doc.moveTo(this.left, y).lineTo(this.right, y).lineWidth(1.2).strokeColor(colors.accent).stroke();
      this.doc.y = y + 10;
    }
  }

  /** A heading inside a chapter, kept with at least `keep` points of what follows. */
  subsection(
    title: string,
    opts: { keep?: number; toc?: boolean; newPage?: boolean; layout?: 'portrait' | 'landscape' } = {},
  ): void {
    if (opts.newPage) this.addPage(opts.layout ?? 'portrait');
    else this.ensureSpace(opts.keep ?? 80);
    if (opts.toc !== false) {
      this.mark(title, 2);
      this.outlineItem?.addItem(title);
    }
    if (!opts.newPage || this.doc.y < this.top + 1) this.doc.y += this.doc.y > this.top + 1 ? 6 : 0;
    this.doc
      .font(fonts.bold)
      .fontSize(12.5)
      .fillColor(colors.ink)
      .text(title, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  /** A contents entry and a named destination at the current place. */
  mark(title: string, level: 1 | 2): string {
    const dest = `s${++this.dests}`;
    this.doc.addNamedDestination(dest, 'XYZ', 0, this.doc.page.height - this.doc.y + 12, null as unknown as number);
    this.toc.push({ title, level, page: this.pageIndex, dest });
    return dest;
  }

  /** Runs `draw` with the page's margins at zero, so text placed near an edge never starts a new page. */
  withoutMargins(draw: () => void): void {
    const page = this.doc.page;
    const saved = page.margins;
    page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    try {
      draw();
    } finally {
      page.margins = saved;
    }
  }

  /** A new page unless `height` points still fit below the cursor. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.addPage(this.doc.page.layout as 'portrait' | 'landscape');
  }

  text(value: string, style: TextStyle = {}): void {
    const { font = fonts.regular, size = 10, color = colors.ink, align = 'left', gap = 4, indent = 0 } = style;
    this.doc.font(font).fontSize(size).fillColor(color);
    this.doc.text(value, this.left + indent, this.doc.y, { width: style.width ?? this.width - indent, align });
    this.doc.y += gap;
  }

  /** A table with a shaded header row repeated on every page it runs onto; cells wrap. */
  table(
    columns: TableColumn[],
    rows: TableRow[],
    opts: { size?: number; font?: FontName; boldFont?: FontName } = {},
  ): void {
    const size = opts.size ?? 8;
    const font = opts.font ?? fonts.condensed;
    const boldFont = opts.boldFont ?? fonts.condensedBold;
    const doc = this.doc;
    const lineOf = (cell: Cell, bold: boolean): CellLine[] =>
      typeof cell === 'string' ? [{ text: cell, font: bold ? boldFont : font }] : cell;
    const widths = (row: TableRow): number[] => {
      if (!row.span) return columns.map((c) => c.width);
      // a cell followed by "" cells takes their width too
      const out = columns.map(() => 0);
      let owner = 0;
      columns.forEach((c, i) => {
        if (i > 0 && row.cells[i] === '') out[owner]! += c.width;
        else {
          owner = i;
          out[i] = c.width;
        }
      });
      return out;
    };
    const measure = (row: TableRow): number => {
      const w = widths(row);
      let h = 0;
      row.cells.forEach((cell, i) => {
        if (!w[i]) return;
        let ch = 0;
        for (const line of lineOf(cell, !!row.bold)) {
          if (!line.text) continue;
          doc.font(line.font ?? font).fontSize(line.size ?? size);
          ch += doc.heightOfString(line.text, { width: w[i]! - 2 * CELL_PAD, lineGap: 0 });
        }
        h = Math.max(h, ch);
      });
      return h + 2 * CELL_PAD;
    };
    const drawRow = (row: TableRow, y: number, h: number) => {
      const w = widths(row);
      if (row.fill) doc.rect(this.left, y, this.width, h).fillColor(row.fill).fill();
      let x = this.left;
      // right to left: the first column at the right margin (a spanning cell still covers the columns after it)
      const order = row.cells.map((_, i) => i);
      if (this.rtl) order.reverse();
      order.forEach((i) => {
        const cell = row.cells[i]!;
        const cw = w[i]!;
        if (!cw) return;
        let cy = y + CELL_PAD;
        for (const line of lineOf(cell, !!row.bold)) {
          if (!line.text) continue;
          doc
            .font(line.font ?? font)
            .fontSize(line.size ?? size)
            .fillColor(line.color ?? colors.ink);
          doc.text(line.text, x + CELL_PAD, cy, {
            width: cw - 2 * CELL_PAD,
            align: columns[i]!.align ?? 'left',
            lineGap: 0,
          });
          cy = doc.y;
        }
        x += cw;
      });
      doc
        .moveTo(this.left, y + h)
        .lineTo(this.right, y + h)
        .lineWidth(0.4)
        .strokeColor(colors.rule)
        .stroke();
    };
    const header: TableRow = { cells: columns.map((c) => c.header), fill: colors.header, bold: true };
    const headerHeight = measure(header);
    let y = this.doc.y;
    const startPage = () => {
      drawRow(header, y, headerHeight);
      y += headerHeight;
    };
    if (y + headerHeight + 20 > this.bottom) {
      this.addPage(this.doc.page.layout as 'portrait' | 'landscape');
      y = this.top;
    }
    startPage();
    for (const row of rows) {
      const h = measure(row);
      if (y + h > this.bottom) {
        this.addPage(this.doc.page.layout as 'portrait' | 'landscape');
        y = this.top;
        startPage();
      }
      drawRow(row, y, h);
      y += h;
    }
    doc.x = this.left;
    doc.y = y + 8;
    doc.fillColor(colors.ink);
  }

  /** Reserves the contents page; `finish` fills it once every section has its page. */
  reserveContents(): number {
    this.section_ = this.t('contents.title');
    this.addPage();
    return this.pageIndex;
  }

  private writeContents(page: number): void {
    const doc = this.doc;
    doc.switchToPage(page);
    doc
      .font(fonts.bold)
      .fontSize(18)
      .fillColor(colors.ink)
      .text(this.t('contents.title'), this.left, this.top, { width: this.width });
    let y = doc.y + 3;
    doc.moveTo(this.left, y).lineTo(this.right, y).lineWidth(1.2).strokeColor(colors.accent).stroke();
    y += 12;
    // one page of contents: sub-entries go first when there are too many lines
    const lineHeight = 15;
    const fits = Math.floor((this.bottom - y) / lineHeight);
    const entries = this.toc.length <= fits ? this.toc : this.toc.filter((e) => e.level === 1);
    for (const e of entries.slice(0, fits)) {
      const indent = e.level === 1 ? 0 : 16;
      const size = e.level === 1 ? 11 : 9.5;
      const font = e.level === 1 ? fonts.bold : fonts.regular;
      const number = String(e.page + 1);
      doc.font(font).fontSize(size).fillColor(colors.ink);
      const numberWidth = doc.widthOfString(number);
      const titleWidth = Math.min(doc.widthOfString(e.title), this.width - indent - numberWidth - 30);
      // right to left: titles from the right margin, page numbers at the left
      const titleX = this.rtl ? this.right - indent - titleWidth : this.left + indent;
      doc.text(e.title, titleX, y, { width: titleWidth, lineBreak: false, ellipsis: true, goTo: e.dest });
      doc.text(number, this.rtl ? this.left : this.right - numberWidth, y, { lineBreak: false, goTo: e.dest });
      // dotted leader between title and page number
      const from = this.rtl ? this.left + numberWidth + 4 : this.left + indent + titleWidth + 4;
      const to = this.rtl ? titleX - 4 : this.right - numberWidth - 4;
      if (to > from)
        doc
          .moveTo(from, y + size * 0.8)
          .lineTo(to, y + size * 0.8)
          .lineWidth(0.6)
          .dash(0.6, { space: 2.4 })
          .strokeColor(colors.muted)
          .stroke()
          .undash();
      y += e.level === 1 ? lineHeight + 2 : lineHeight - 1;
    }
  }

  /** Contents, running headers and "page N of M" on every page, then the PDF bytes. */
  async finish(contentsPage?: number): Promise<{ pdf: Buffer; pages: number }> {
    const doc = this.doc;
    if (contentsPage !== undefined) this.writeContents(contentsPage);
    const { count } = doc.bufferedPageRange();
    for (let i = 0; i < count; i++) {
      if (this.bare.has(i)) continue;
      doc.switchToPage(i);
      const page = doc.page;
      const saved = page.margins;
      page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
      const left = saved.left;
      const right = page.width - saved.right;
      doc.font(fonts.regular).fontSize(7.5).fillColor(colors.muted);
      doc.text(this.o.running, left, 24, { width: (right - left) * 0.62, lineBreak: false, ellipsis: true });
      const section = this.pageSections[i] ?? '';
      doc.text(section, left + (right - left) * 0.62, 24, {
        width: (right - left) * 0.38,
        align: 'right',
        lineBreak: false,
        ellipsis: true,
      });
      doc.moveTo(left, 35).lineTo(right, 35).lineWidth(0.4).strokeColor(colors.rule).stroke();
      const footY = page.height - 30;
      doc
        .moveTo(left, footY - 6)
        .lineTo(right, footY - 6)
        .lineWidth(0.4)
        .strokeColor(colors.rule)
        .stroke();
      doc
        .font(fonts.regular)
        .fontSize(7)
        .fillColor(colors.muted)
        .text(this.o.source, left, footY, { width: (right - left) * 0.7, lineBreak: false, ellipsis: true });
      doc
        .font(fonts.bold)
        .fontSize(8)
        .fillColor(colors.ink)
        .text(
          this.t('footer.page', { page: this.f.count(i + 1), pages: this.f.count(count) }),
          left + (right - left) * 0.7,
          footY,
          {
            width: (right - left) * 0.3,
            align: 'right',
            lineBreak: false,
          },
        );
      page.margins = saved;
    }
    doc.end();
    await this.ended;
    return { pdf: Buffer.concat(this.chunks), pages: count };
  }
}
