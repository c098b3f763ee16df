// Where a BOM warning's sentence lives in locales/<tag>.json: `bomWarnings.<code in camelCase>`. Pure, so the web
// finds its sentences by the very rule the server does.

/** `quantity-empty` → `bomWarnings.quantityEmpty`. */
export function bomWarningKey(code: string): string {
  return `bomWarnings.${code.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())}`;
}
