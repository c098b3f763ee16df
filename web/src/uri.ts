// Percent-decoding text that came from users (links in a README, fragments, pointers): a malformed escape such as
// `%E0%A4%A` makes decodeURIComponent throw, which must never blank a page, so such text is kept as written.
export function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
