// A small streaming XML tokenizer (start/end tags, attributes, entities) for large 3MF model files.
import { CadReadError } from './types.js';

export interface XmlHandlers {
  /** `name` is the local name: any namespace prefix ("m:colorgroup" → "colorgroup") is in `prefix`. */
  open(name: string, attrs: Record<string, string>, prefix: string, selfClosing: boolean): void;
  close(name: string, prefix: string): void;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[e] ?? all;
  });
}

const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/**
 * Walk an XML document, calling handlers for every element. Comments, processing instructions,
 * CDATA and DOCTYPE are skipped; text content is ignored (3MF keeps its data in attributes).
 * Mismatched tags are an error.
 */
export function walkXml(text: string, h: XmlHandlers, what: string): void {
  const stack: string[] = [];
  let i = text.indexOf('<');
  while (i >= 0 && i < text.length) {
    const c = text.charCodeAt(i + 1);
    if (c === 63 /* ? */) {
      const e = text.indexOf('?>', i + 2);
      if (e < 0) throw new CadReadError(`${what}: an unterminated <? … ?> instruction`);
      i = text.indexOf('<', e + 2);
      continue;
    }
    if (c === 33 /* ! */) {
      let e: number;
      if (text.startsWith('<!--', i)) e = text.indexOf('-->', i + 4) + 3;
      else if (text.startsWith('<![CDATA[', i)) e = text.indexOf(']]>', i + 9) + 3;
      else e = text.indexOf('>', i + 2) + 1;
      if (e <= 2) throw new CadReadError(`${what}: an unterminated comment or declaration`);
      i = text.indexOf('<', e);
      continue;
    }
    const end = findTagEnd(text, i + 1);
    if (end < 0) throw new CadReadError(`${what}: the XML ends inside a tag: the file is truncated`);
    if (c === 47 /* / */) {
      const qname = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (open !== qname)
        throw new CadReadError(
          `${what}: </${qname.slice(0, 40)}> does not close <${(open ?? '').slice(0, 40)}>: the XML is malformed`,
        );
      const colon = qname.indexOf(':');
      h.close(colon < 0 ? qname : qname.slice(colon + 1), colon < 0 ? '' : qname.slice(0, colon));
    } else {
      const selfClosing = text.charCodeAt(end - 1) === 47;
      const body = text.slice(i + 1, selfClosing ? end - 1 : end);
      const m = /^[^\s/>]+/.exec(body);
      if (!m) throw new CadReadError(`${what}: a tag without a name`);
      const qname = m[0];
      const attrs: Record<string, string> = {};
      const rest = body.slice(qname.length);
      if (rest.length) {
        ATTR.lastIndex = 0;
        let a: RegExpExecArray | null;
        while ((a = ATTR.exec(rest))) attrs[a[1]] = decodeEntities(a[3] ?? a[4] ?? '');
      }
      const colon = qname.indexOf(':');
      const local = colon < 0 ? qname : qname.slice(colon + 1);
      const prefix = colon < 0 ? '' : qname.slice(0, colon);
      if (!selfClosing) stack.push(qname);
      h.open(local, attrs, prefix, selfClosing);
      if (selfClosing) h.close(local, prefix);
    }
    i = text.indexOf('<', end + 1);
  }
  if (stack.length)
    throw new CadReadError(`${what}: <${stack.at(-1)!.slice(0, 40)}> is never closed: the file is truncated`);
}

/** Index of the closing '>' of a tag starting at `from`, skipping quoted attribute values. */
function findTagEnd(text: string, from: number): number {
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i;
  }
  return -1;
}
