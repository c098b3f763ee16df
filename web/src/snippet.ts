// Search snippets: the server escapes the text and wraps matches in <mark>; sanitised again here, allowing only <mark>.
import DOMPurify from 'dompurify';

export function sanitiseSnippet(html: string): string {
  return DOMPurify.sanitize(html, { ALLOWED_TAGS: ['mark'], ALLOWED_ATTR: [], KEEP_CONTENT: true });
}
