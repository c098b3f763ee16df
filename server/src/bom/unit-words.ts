// Which BOM unit codes are words a reader says in their own language ("pcs" → "peces"); metric and time symbols
// (m, mm, kg, l, h) read the same in every language and stay as the kernel spells them (server/src/bom/kernel/units.ts).

/** The canonical units said as words; the web and the packet each name their catalogue key for every one. */
export const wordedUnits = ['pcs', 'dz', 'in', 'ft', 'yd', 'oz', 'lb', 'fl-oz', 'qt', 'gal', 'in2', 'ft2'] as const;

export type WordedUnit = (typeof wordedUnits)[number];

/** True for a unit said as a word; false for a symbol or a maker's own unit ("roll"), shown as written. */
export function isWordedUnit(unit: string): unit is WordedUnit {
  return (wordedUnits as readonly string[]).includes(unit);
}
