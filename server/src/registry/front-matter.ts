// A translation's front matter: the `translation-of: <sha256>` line the web's translate form and `andecha translate`
// write at the top of a translated README, naming the source text it was made from. Other front-matter lines are
// kept out of the text shown, as static-site tools do.

const block = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export interface FrontMatter {
  /** the sha256 of the source text the translation was made from, when the file says */
  translationOf?: string;
  /** the Markdown after the front matter */
  body: string;
}

export function readFrontMatter(text: string): FrontMatter {
  const m = block.exec(text.replace(/^\uFEFF/, ''));
  if (!m) return { body: text };
  const line = /^translation-of:\s*"?([0-9a-f]{64})"?\s*$/im.exec(m[1]);
  return {
    ...(line ? { translationOf: line[1].toLowerCase() } : {}),
    body: text.replace(/^\uFEFF/, '').slice(m[0].length),
  };
}

/** The translated Markdown with its front matter naming its source; a front matter it had is replaced. */
export function withTranslationOf(markdown: string, sourceSha256: string): string {
  return `---\ntranslation-of: ${sourceSha256}\n---\n${readFrontMatter(markdown).body}`;
}
