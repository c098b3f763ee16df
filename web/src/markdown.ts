// Markdown → sanitised HTML (marked + DOMPurify), with relative links and images pointing at the version's files.
// Loaded with a dynamic import so pages without a README do not pay for it.
import { marked } from 'marked';
import DOMPurify from 'dompurify';
import { decodeOrKeep } from './uri';

function isRelative(url: string): boolean {
  return !/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(url);
}

function resolveAgainst(baseDir: string, relative: string): string {
  const parts = baseDir ? baseDir.split('/') : [];
  for (const segment of relative.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.map(encodeURIComponent).join('/');
}

/** `filesBase` is `/api/designs/o/s/versions/v/files`; `readmePath` the README's path inside the version. */
export function renderMarkdown(source: string, filesBase: string, readmePath: string): string {
  const html = marked.parse(source, { async: false, gfm: true }) as string;
  const readmeDir = readmePath.includes('/') ? readmePath.slice(0, readmePath.lastIndexOf('/')) : '';
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    for (const attribute of ['src', 'href']) {
      const value = element.getAttribute?.(attribute);
      if (value && isRelative(value)) {
        const [path, fragment] = value.split('#');
        element.setAttribute(
          attribute,
          `${filesBase}/${resolveAgainst(readmeDir, decodeOrKeep(path))}${fragment ? `#${fragment}` : ''}`,
        );
      }
    }
    if (element.tagName === 'A' && /^https?:/i.test(element.getAttribute('href') ?? '')) {
      element.setAttribute('rel', 'noopener noreferrer nofollow');
      element.setAttribute('target', '_blank');
    }
    if (element.tagName === 'IMG') element.setAttribute('loading', 'lazy');
  });
  try {
    return DOMPurify.sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] });
  } finally {
    DOMPurify.removeHook('afterSanitizeAttributes');
  }
}
