// Build notes: Markdown rendered and sanitised on the server; every link says it is user content (rel nofollow ugc).
import { describe, expect, it } from 'vitest';
import { renderNotes } from '../../server/src/builds/reports.js';

describe('build notes', () => {
  it('marks every link nofollow noopener ugc, whatever rel the note gave', () => {
    const html = renderNotes(
      'See [the forum](https://forum.example.org/t/1) and <a href="https://spam.example" rel="me">this</a>.',
    )!;
    const rels = [...html.matchAll(/<a [^>]*>/g)].map((m) => /rel="([^"]*)"/.exec(m[0])?.[1]);
    expect(rels).toEqual(['nofollow noopener ugc', 'nofollow noopener ugc']);
    expect(html).toContain('href="https://forum.example.org/t/1"');
  });

  it('still drops scripts and javascript: links', () => {
    const html = renderNotes('<script>alert(1)</script><a href="javascript:alert(1)">x</a>')!;
    expect(html).not.toContain('<script');
    expect(html).not.toContain('href="javascript');
  });
});
