// Length units a CAD file may declare, and their factor to millimetres.
import { CadReadError } from './types.js';

const TO_MM: Record<string, number> = {
  micron: 0.001,
  micrometer: 0.001,
  um: 0.001,
  millimeter: 1,
  millimetre: 1,
  mm: 1,
  centimeter: 10,
  centimetre: 10,
  cm: 10,
  inch: 25.4,
  in: 25.4,
  foot: 304.8,
  feet: 304.8,
  ft: 304.8,
  meter: 1000,
  metre: 1000,
  m: 1000,
};

/** Factor from `unit` to mm; a CadReadError names the units Andecha knows. */
export function unitScale(unit: string): number {
  const f = TO_MM[unit.trim().toLowerCase()];
  if (f === undefined) {
    throw new CadReadError(`unknown unit "${unit}": expected one of micron, millimeter, centimeter, inch, foot, meter`);
  }
  return f;
}

/** Scale positions in place. */
export function scaleInPlace(arr: Float32Array | undefined, factor: number): void {
  if (!arr || factor === 1) return;
  for (let i = 0; i < arr.length; i++) arr[i] *= factor;
}
