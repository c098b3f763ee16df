// What a discussion or reply says, as HTML: Markdown sanitised like build notes, with mentions (`@handle`,
// `@handle@host`) linked to profiles, part references (`#CEB-105`) linked to that BOM line of the version and
// designators (`#C1`) linked to the line naming them, or to the board page when the version has one board.
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import sanitizeHtml from 'sanitize-html';

const handle = '[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?';
const host = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\\d{1,5})?';
/** `@ana` or `@ana@b.example`: not inside a word, so an email address is no mention */
const mentionAt = new RegExp(`^@(${handle}(?:@${host})?)(?![a-z0-9@-])`, 'i');
const mentionStart = /(^|[^\w@/.-])@[a-z0-9]/i;
/** `#CEB-105`: a part number ends before trailing punctuation (`#CEB-105.` at the end of a sentence) */
const partAt = /^#([A-Za-z0-9][A-Za-z0-9._/-]*[A-Za-z0-9]|[A-Za-z0-9])/;
const partStart = /(^|[^\w&#])#[A-Za-z0-9]/;

export interface MarkdownLinks {
  /** the part numbers of the version's BOM: a reference to anything else stays text */
  partNumbers: ReadonlySet<string>;
  /** where the version's page is (`/owner/slug/1.0.0`): a part reference opens its BOM line there */
  versionPath: string | null;
  /** the version's designators (`C1`) and where each links: a part number of the same name wins */
  designators: ReadonlyMap<string, string>;
}

export const noMarkdownLinks: MarkdownLinks = { partNumbers: new Set(), versionPath: null, designators: new Map() };

/**
 * Where a designator links: the board page with its line chosen when the version has exactly one board (with several
 * the BOM does not say which board holds it), else the BOM line on the version's page — by part number, else by the
 * line's first designator (the anchors BomTable gives its rows).
 */
export function designatorLinks(
  versionPath: string,
  lines: readonly { partNumber: string | null; designators: readonly string[] }[],
  boardIds: readonly string[],
): Map<string, string> {
  const links = new Map<string, string>();
  for (const line of lines) {
    const anchor = line.partNumber ? `part-${line.partNumber}` : `designator-${line.designators[0]}`;
    for (const d of line.designators) {
      if (links.has(d)) continue;
      links.set(
        d,
        boardIds.length === 1
          ? `${versionPath}/boards/${encodeURIComponent(boardIds[0])}?part=${encodeURIComponent(d)}`
          : `${versionPath}#${encodeURIComponent(anchor)}`,
      );
    }
  }
  return links;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The mentions written in a text, lowercased, once each (`ana`, `bob@b.example`). */
export function mentionsIn(markdown: string): string[] {
  const found = new Set<string>();
  const all = new RegExp(`(^|[^\\w@/.-])@(${handle}(?:@${host})?)(?![a-z0-9@-])`, 'gi');
  for (const m of markdown.matchAll(all)) found.add(m[2].toLowerCase());
  return [...found];
}

function startOf(src: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(src);
  return m ? m.index + m[1].length : undefined;
}

function markedWith(links: MarkdownLinks): Marked {
  const mention: TokenizerAndRendererExtension = {
    name: 'mention',
    level: 'inline',
    start: (src) => startOf(src, mentionStart),
    tokenizer(src) {
      const m = mentionAt.exec(src);
      if (m) return { type: 'mention', raw: m[0], handle: m[1].toLowerCase() };
    },
    renderer: (t) =>
      `<a class="mention" href="/${escapeHtml(
        encodeURIComponent(t.handle as string)
          .replace(/%40/g, '@')
          .replace(/%3A/gi, ':'),
      )}">@${escapeHtml(t.handle as string)}</a>`,
  };
  const part: TokenizerAndRendererExtension = {
    name: 'partRef',
    level: 'inline',
    start: (src) => startOf(src, partStart),
    tokenizer(src) {
      const m = partAt.exec(src);
      if (!m || !links.versionPath) return;
      if (links.partNumbers.has(m[1]))
        return {
          type: 'partRef',
          raw: m[0],
          part: m[1],
          href: `${links.versionPath}#part-${encodeURIComponent(m[1])}`,
        };
      const designator = links.designators.get(m[1]);
      if (designator) return { type: 'partRef', raw: m[0], part: m[1], href: designator };
    },
    renderer: (t) => `<a class="part-ref" href="${escapeHtml(t.href as string)}">#${escapeHtml(t.part as string)}</a>`,
  };
  return new Marked({ gfm: true, async: false, extensions: [mention, part] as never });
}

export function renderDiscussionMarkdown(markdown: string, links: MarkdownLinks): string {
  const html = markedWith(links).parse(markdown, { async: false }) as string;
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'iframe'),
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedAttributes: { ...sanitizeHtml.defaults.allowedAttributes, a: ['href', 'rel', 'class'] },
    allowedClasses: { a: ['mention', 'part-ref'] },
    transformTags: {
      // links out are what people wrote: no endorsement; mentions and part references stay on this site
      a: (tagName, attribs) =>
        /^\/(?!\/)/.test(attribs.href ?? '')
          ? { tagName, attribs }
          : { tagName, attribs: { ...attribs, rel: 'nofollow noopener ugc' } },
    },
  });
}
