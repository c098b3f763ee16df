// Names of languages and countries in a locale, from Intl (no catalogue needed): "inglés", "Alemania" in Spanish.
// A code Intl does not know, or one that is not well formed, is given back as it came.

export function displayNames(lang: string, type: 'language' | 'region'): (code: string) => string {
  const names = new Intl.DisplayNames([lang], { type, fallback: 'code' });
  return (code) => {
    try {
      return names.of(type === 'region' ? code.toUpperCase() : code) ?? code;
    } catch {
      return code;
    }
  };
}
