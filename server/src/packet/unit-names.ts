// A BOM quantity with its unit in the packet's language: unit words from the catalogue (packet section, plural by
// the quantity: "8 peces"), metric symbols and a maker's own units as written ("1,5 m", "2 roll").
import { isWordedUnit, type WordedUnit } from '../bom/unit-words.js';
import type { Translate } from '../locales/translate.js';
import type { PacketFormat } from './format.js';

/** The catalogue key of each worded unit (typed: a unit worded there must be named here). */
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

export function quantityText(t: Translate, f: PacketFormat, quantity: string, unit: string): string {
  if (!isWordedUnit(unit)) return f.quantity(quantity, unit);
  return t(unitKeys[unit], { quantity: f.decimal(quantity, 3), count: Number(quantity) });
}
