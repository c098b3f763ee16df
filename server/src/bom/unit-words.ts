// Which BOM unit codes are words a reader says in their own language ("pcs" → "peces"), and their catalogue keys;
// metric and time symbols (m, mm, kg, l, h) read the same in every language and stay as the kernel spells them.

/** Catalogue key (under the web's `bomUnits` and the packet's `units`) of each worded canonical unit. */
const wordKeys: Readonly<Record<string, string>> = {
  pcs: 'pcs',
  dz: 'dz',
  in: 'inch',
  ft: 'ft',
  yd: 'yd',
  oz: 'oz',
  lb: 'lb',
  'fl-oz': 'flOz',
  qt: 'qt',
  gal: 'gal',
  in2: 'in2',
  ft2: 'ft2',
};

/** The key of a unit said as a word, or undefined for a symbol or a maker's own unit ("roll"), shown as written. */
export function unitWordKey(unit: string): string | undefined {
  return Object.hasOwn(wordKeys, unit) ? wordKeys[unit] : undefined;
}
