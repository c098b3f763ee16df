// A BOM quantity with its unit in the packet's language: unit words from the catalogue (packet section, plural by
// the quantity: "8 peces"), metric symbols and a maker's own units as written ("1,5 m", "2 roll").
import { unitKey } from '../bom/unit-words.js';
import type { Translate } from '../locales/translate.js';
import type { PacketFormat } from './format.js';

export function quantityText(t: Translate, f: PacketFormat, quantity: string, unit: string): string {
  const key = unitKey(unit);
  if (!key) return f.quantity(quantity, unit);
  return t(key, { quantity: f.decimal(quantity, 3), count: Number(quantity) });
}
