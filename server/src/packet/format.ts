// How numbers read on paper: money to the cent, lengths and sizes in mm with thin grouping, facts of meshes.
import { Dec } from '../bom/kernel/decimal.js';

/** "1234.5" → "1 234.50": money to the cent, shown only (the BOM keeps the exact value). */
export function money(amount: string | undefined, currency?: string): string {
  if (amount === undefined) return '';
  const text = group(new Dec(amount).toFixed(2));
  return currency && currency !== 'XXX' ? `${text} ${currency}` : text;
}

/** Digits grouped by thin spaces: 12500 → "12 500"; decimals kept as given. */
export function group(text: string): string {
  const [whole, frac] = text.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return frac !== undefined ? `${grouped}.${frac}` : grouped;
}

/** A decimal to at most `places` decimals, trailing zeros dropped. */
export function decimal(text: string | number, places = 3): string {
  return group(new Dec(text).toDecimalPlaces(places).toString());
}

export function quantity(q: string, unit: string): string {
  return `${decimal(q)} ${unit}`;
}

const round = (n: number, places = 1) => String(Math.round(n * 10 ** places) / 10 ** places);

/** The lines of a mesh's or drawing's facts worth printing, in words. */
export function factLines(facts: Record<string, unknown> | null | undefined): string[] {
  if (!facts) return [];
  const out: string[] = [];
  const bbox = facts.bbox as { min?: number[]; max?: number[] } | undefined;
  const bounds = facts.bounds as { min?: number[]; max?: number[] } | undefined;
  const box = bbox ?? bounds;
  if (box?.min && box.max) out.push(`Size: ${box.max.map((v, i) => round(v - box.min![i]!)).join(' × ')} mm`);
  if (typeof facts.triangles === 'number')
    out.push(
      `Triangles: ${group(String(facts.triangles))}${typeof facts.parts === 'number' && facts.parts > 1 ? ` in ${facts.parts} parts` : ''}`,
    );
  if (typeof facts.volume === 'number')
    out.push(
      `Volume: ${facts.volume >= 1e6 ? `${round(facts.volume / 1e6, 2)} l` : `${round(facts.volume / 1000, 1)} cm³`}`,
    );
  if (typeof facts.area === 'number')
    out.push(
      `Surface: ${facts.area >= 1e6 ? `${round(facts.area / 1e6, 3)} m²` : `${round(facts.area / 100, 1)} cm²`}`,
    );
  if (typeof facts.watertight === 'boolean') out.push(`Watertight: ${facts.watertight ? 'yes' : 'no'}`);
  if (typeof facts.cutLength === 'number') out.push(`Cut length: ${round(facts.cutLength)} mm`);
  if (typeof facts.units === 'string') out.push(`Units: ${facts.units}`);
  if (typeof facts.bytes === 'number' && out.length === 0) out.push(`${group(String(facts.bytes))} bytes`);
  return out;
}
