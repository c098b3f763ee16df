// Which BOM unit codes are words a reader says in their own language ("pcs" → "peces"); metric and time symbols
// (m, mm, kg, l, h) read the same in every language and stay as the kernel spells them (server/src/bom/kernel/units.ts).

/** The canonical units said as words. */
export const wordedUnits = ['pcs', 'dz', 'in', 'ft', 'yd', 'oz', 'lb', 'fl-oz', 'qt', 'gal', 'in2', 'ft2'] as const;

export type WordedUnit = (typeof wordedUnits)[number];

/** True for a unit said as a word; false for a symbol or a maker's own unit ("roll"), shown as written. */
export function isWordedUnit(unit: string): unit is WordedUnit {
  return (wordedUnits as readonly string[]).includes(unit);
}

/**
 * The catalogue key of each worded unit, one map for every reader: the web (web.units.*) and the packet
 * (packet.units.*) name them alike. Typed: a unit worded above must be named here.
 */
const unitKeys: Record<WordedUnit, string> = {
  pcs: 'units.pcs',
  dz: 'units.dz',
  in: 'units.inch',
  ft: 'units.ft',
  yd: 'units.yd',
  oz: 'units.oz',
  lb: 'units.lb',
  'fl-oz': 'units.flOz',
  qt: 'units.qt',
  gal: 'units.gal',
  in2: 'units.in2',
  ft2: 'units.ft2',
};

/** `units.pcs` for `pcs`; undefined for a symbol or a maker's own unit, shown as written. */
export function unitKey(unit: string): string | undefined {
  return isWordedUnit(unit) ? unitKeys[unit] : undefined;
}
