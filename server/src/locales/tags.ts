// BCP 47 tags as both the server and the web app read them: which supported locale a wanted tag finds, a language's
// own name, its writing direction. Pure, so the web imports it too (web/src/i18n.ts).

/** The supported locale matching a tag (case-insensitive; `pt` → `pt-BR`, `de-CH` → `de`), or undefined. */
export function matchLocale(wanted: string, supported: readonly string[]): string | undefined {
  const tag = wanted.trim().toLowerCase();
  if (!tag || tag === '*') return undefined;
  const exact = supported.find((s) => s.toLowerCase() === tag);
  if (exact) return exact;
  const language = tag.split('-')[0];
  return (
    supported.find((s) => s.toLowerCase() === language) ??
    supported.find((s) => s.toLowerCase().split('-')[0] === language)
  );
}

/** A language's own name for itself ("Català", "العربية"). */
export function localeName(tag: string): string {
  try {
    const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
    return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1);
  } catch {
    return tag;
  }
}

const rightToLeft = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi', 'dv', 'ckb']);

/** 'rtl' for a language written right to left. */
export function localeDirection(tag: string): 'ltr' | 'rtl' {
  return rightToLeft.has(tag.split('-')[0].toLowerCase()) ? 'rtl' : 'ltr';
}
