// A version's Markdown (README, instructions) as plain print: headings, paragraphs, lists, code, quotes, tables.
import { marked, type Token, type Tokens } from 'marked';
import { fonts, type FontName } from './fonts.js';
import { colors, type PacketWriter } from './layout.js';

interface Run {
  text: string;
  font: FontName;
  link?: string;
  strike?: boolean;
}

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&nbsp;': '\u00a0',
};
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m) => entities[m] ?? m);

/** How an image is named in print ("[image: alt]"), in the packet's language; set by drawMarkdown. */
let imageLabel = (alt: string) => `[image: ${alt}]`;

/** Inline tokens → runs of one font each. */
function runs(tokens: readonly Token[] | undefined, font: FontName = fonts.regular, out: Run[] = []): Run[] {
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        runs((t as Tokens.Strong).tokens, fonts.bold, out);
        break;
      case 'em':
        runs((t as Tokens.Em).tokens, font === fonts.bold ? fonts.bold : fonts.italic, out);
        break;
      case 'codespan':
        out.push({ text: unescape((t as Tokens.Codespan).text), font: fonts.mono });
        break;
      case 'del':
        for (const r of runs((t as Tokens.Del).tokens, font)) out.push({ ...r, strike: true });
        break;
      case 'link':
        for (const r of runs((t as Tokens.Link).tokens, font)) out.push({ ...r, link: (t as Tokens.Link).href });
        break;
      case 'image':
        out.push({ text: imageLabel((t as Tokens.Image).text || (t as Tokens.Image).href), font: fonts.italic });
        break;
      case 'br':
        out.push({ text: '\n', font });
        break;
      case 'html':
        out.push({ text: unescape((t as Tokens.HTML).text.replace(/<[^>]*>/g, '')), font });
        break;
      case 'text': {
        const tt = t as Tokens.Text;
        if (tt.tokens?.length) runs(tt.tokens, font, out);
        else out.push({ text: unescape(tt.text), font });
        break;
      }
      default: {
        const any = t as { tokens?: Token[]; text?: string; raw: string };
        if (any.tokens) runs(any.tokens, font, out);
        else out.push({ text: unescape(any.text ?? any.raw), font });
      }
    }
  }
  return out;
}

function writeRuns(
  w: PacketWriter,
  list: Run[],
  x: number,
  width: number,
  size: number,
  color: string = colors.ink,
): void {
  const doc = w.doc;
  const merged = list.filter((r) => r.text.length > 0);
  if (!merged.length) return;
  doc.fontSize(size);
  merged.forEach((r, i) => {
    doc.font(r.font).fillColor(r.link ? '#1f5a8a' : color);
    const opts: PDFKit.Mixins.TextOptions = {
      continued: i < merged.length - 1,
      width,
      lineGap: 1.5,
      ...(r.link && /^https?:/.test(r.link) ? { link: r.link, underline: true } : { link: null, underline: false }),
      strike: !!r.strike,
    };
    if (i === 0) doc.text(r.text, x, doc.y, opts);
    else doc.text(r.text, opts);
  });
}

export interface MarkdownOptions {
  /** Level-2 headings become contents entries. */
  tocHeadings?: boolean;
  /** Leave out a first level-1 heading (the title is on the cover). */
  skipTitle?: boolean;
}

export function drawMarkdown(w: PacketWriter, markdown: string, opts: MarkdownOptions = {}): void {
  imageLabel = (alt) => w.t('markdown.image', { alt });
  const tokens = marked.lexer(markdown);
  let first = true;
  for (const t of tokens) {
    if (first && opts.skipTitle && t.type === 'heading' && (t as Tokens.Heading).depth === 1) {
      first = false;
      continue;
    }
    if (t.type !== 'space') first = false;
    block(w, t, 0, opts);
  }
}

function block(w: PacketWriter, t: Token, indent: number, opts: MarkdownOptions): void {
  const doc = w.doc;
  const x = w.left + indent;
  const width = w.width - indent;
  switch (t.type) {
    case 'heading': {
      const h = t as Tokens.Heading;
      const text = runs(h.tokens)
        .map((r) => r.text)
        .join('');
      if (h.depth <= 2) {
        w.subsection(text, { toc: !!opts.tocHeadings && h.depth === 2, keep: 70 });
      } else {
        w.ensureSpace(50);
        doc.y += 4;
        doc.font(fonts.bold).fontSize(10.5).fillColor(colors.ink).text(text, x, doc.y, { width });
        doc.y += 2;
      }
      break;
    }
    case 'paragraph': {
      w.ensureSpace(24);
      writeRuns(w, runs((t as Tokens.Paragraph).tokens), x, width, 9.5);
      doc.y += 5;
      break;
    }
    case 'list': {
      const list = t as Tokens.List;
      const start = typeof list.start === 'number' ? list.start : 1;
      list.items.forEach((item, i) => {
        w.ensureSpace(20);
        const marker = item.task ? (item.checked ? '☑' : '☐') : list.ordered ? `${start + i}.` : '•';
        const y = doc.y;
        doc.font(fonts.regular).fontSize(9.5).fillColor(colors.ink).text(marker, x, y, { width: 18, lineBreak: false });
        doc.y = y;
        for (const child of item.tokens) {
          if (child.type === 'text') {
            writeRuns(w, runs((child as Tokens.Text).tokens ?? [child]), x + 18, width - 18, 9.5);
          } else if (child.type === 'checkbox') continue;
          else block(w, child, indent + 18, opts);
        }
        doc.y += 2.5;
      });
      doc.y += 3;
      break;
    }
    case 'code': {
      const text = (t as Tokens.Code).text;
      doc.font(fonts.mono).fontSize(8);
      const h = doc.heightOfString(text, { width: width - 12 }) + 10;
      w.ensureSpace(Math.min(h, 200));
      const y = doc.y;
      doc.rect(x, y, width, h).fillColor(colors.shade).fill();
      doc.fillColor(colors.ink).text(text, x + 6, y + 5, { width: width - 12 });
      doc.y += 8;
      break;
    }
    case 'blockquote': {
      const y = doc.y;
      const page = w.pageIndex;
      for (const child of (t as Tokens.Blockquote).tokens) block(w, child, indent + 12, opts);
      if (w.pageIndex === page)
        doc
          .moveTo(x + 3, y)
          .lineTo(x + 3, doc.y - 4)
          .lineWidth(2)
          .strokeColor(colors.rule)
          .stroke();
      break;
    }
    case 'table': {
      const table = t as Tokens.Table;
      const cols = table.header.length;
      const cellText = (c: Tokens.TableCell) =>
        runs(c.tokens)
          .map((r) => r.text)
          .join('');
      w.table(
        table.header.map((h, i) => ({
          header: cellText(h),
          width: width / cols,
          align: table.align[i] === 'right' ? 'right' : table.align[i] === 'center' ? 'center' : 'left',
        })),
        table.rows.map((r) => ({ cells: r.map(cellText) })),
        { size: 8 },
      );
      break;
    }
    case 'hr': {
      w.ensureSpace(12);
      doc
        .moveTo(x, doc.y + 4)
        .lineTo(x + width, doc.y + 4)
        .lineWidth(0.5)
        .strokeColor(colors.rule)
        .stroke();
      doc.y += 10;
      break;
    }
    case 'html': {
      const text = unescape((t as Tokens.HTML).text.replace(/<[^>]*>/g, '')).trim();
      if (text) w.text(text, { size: 9.5, indent });
      break;
    }
    case 'space':
      break;
    default: {
      const any = t as { text?: string; raw: string };
      const text = (any.text ?? any.raw).trim();
      if (text) w.text(text, { size: 9.5, indent });
    }
  }
}
