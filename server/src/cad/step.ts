// STEP (ISO 10303-21, AP203/AP214/AP242) reader via OpenCascade: one part per named shape, lengths in mm.
import { readWithOcct } from './occt.js';
import { checkBytes, finishRead } from './result.js';
import { latin1 } from './text.js';
import type { ReadLimits, ReadResult } from './types.js';

/** The length unit the file declares (OpenCascade converts it; this is for the facts). */
export function stepLengthUnit(text: string): string {
  const named =
    /CONVERSION_BASED_UNIT\s*\(\s*'([^']+)'[^)]*\)\s*LENGTH_UNIT/i.exec(text) ??
    /LENGTH_UNIT\s*\(\s*\)\s*NAMED_UNIT\s*\([^)]*\)\s*CONVERSION_BASED_UNIT\s*\(\s*'([^']+)'/i.exec(text);
  if (named) return named[1].toLowerCase().replace(/^inches$/, 'inch');
  const si =
    /LENGTH_UNIT\s*\(\s*\)\s*NAMED_UNIT\s*\(\s*\*\s*\)\s*SI_UNIT\s*\(\s*(\.\w+\.|\$)\s*,\s*\.METRE\.\s*\)/i.exec(
      text,
    ) ?? /SI_UNIT\s*\(\s*(\.\w+\.|\$)\s*,\s*\.METRE\.\s*\)/i.exec(text);
  if (!si) return 'mm';
  const prefix = si[1].replace(/\./g, '').toUpperCase();
  return (
    ({ $: 'm', MILLI: 'mm', CENTI: 'cm', MICRO: 'micron', DECI: 'dm', KILO: 'km' } as Record<string, string>)[prefix] ??
    'mm'
  );
}

export async function readStep(bytes: Uint8Array, limits: ReadLimits, name = 'model'): Promise<ReadResult> {
  checkBytes(bytes, limits.maxBytes, 'STEP');
  const units = stepLengthUnit(latin1(bytes, 0, Math.min(bytes.length, 4 * 1024 * 1024)));
  const { mesh } = await readWithOcct('step', bytes, limits, { fallbackName: name, what: 'STEP' });
  const read = finishRead(mesh, 'step', 'mm', 'STEP');
  return { ...read, units, facts: { ...read.facts, units } };
}
