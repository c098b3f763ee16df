// IGES (5.x) reader via OpenCascade: surfaces and solids become parts in mm; a file of curves only is refused.
import { readWithOcct } from './occt.js';
import { checkBytes, finishRead } from './result.js';
import { latin1 } from './text.js';
import type { ReadLimits, ReadResult } from './types.js';

const UNIT_FLAGS: Record<number, string> = {
  1: 'inch',
  2: 'mm',
  4: 'foot',
  5: 'mile',
  6: 'm',
  7: 'km',
  8: 'mil',
  9: 'micron',
  10: 'cm',
  11: 'microinch',
};

/**
 * The unit flag (parameter 14) of the Global section. Its parameters are delimited by the characters the
 * section itself declares first and may hold Hollerith strings ("7HAndecha"), so they are split by hand.
 */
export function igesLengthUnit(text: string): string {
  let global = '';
  for (const line of text.split(/\r?\n/)) {
    if (line.length >= 73 && line[72] === 'G') global += line.slice(0, 72);
    else if (global) break;
  }
  let delim = ',';
  let end = ';';
  let i = 0;
  const params: string[] = [];
  /** one parameter at i: a Hollerith string (nH…) or plain text up to the next delimiter */
  const next = (): string => {
    const h = /^\s*(\d+)H/.exec(global.slice(i, i + 12));
    let value: string;
    if (h) {
      const from = i + h[0].length;
      value = global.slice(from, from + Number(h[1]));
      i = from + Number(h[1]);
    } else {
      let j = i;
      while (j < global.length && global[j] !== delim && global[j] !== end) j++;
      value = global.slice(i, j).trim();
      i = j;
    }
    return value;
  };
  while (i < global.length && params.length < 15) {
    const value = next();
    if (params.length === 0 && value.length === 1) delim = value;
    if (params.length === 1 && value.length === 1) end = value;
    params.push(value);
    if (global[i] === end) break;
    i++;
  }
  const flag = Number(params[13]);
  if (flag === 3) return (params[14] || 'mm').toLowerCase();
  return UNIT_FLAGS[flag] ?? 'mm';
}

export async function readIges(bytes: Uint8Array, limits: ReadLimits, name = 'model'): Promise<ReadResult> {
  checkBytes(bytes, limits.maxBytes, 'IGES');
  const units = igesLengthUnit(latin1(bytes, 0, Math.min(bytes.length, 64 * 1024)));
  const { mesh } = await readWithOcct('iges', bytes, limits, { fallbackName: name, what: 'IGES' });
  const read = finishRead(mesh, 'iges', 'mm', 'IGES');
  return { ...read, units, facts: { ...read.facts, units } };
}
