// Which layer of a board each fabrication file is: its name first (whats-that-gerber knows the CAD tools' naming),
// its content as the tie-breaker (a drill file named like anything else is still a drill file).
import whatsThatGerber from 'whats-that-gerber';
import type { BoardFileFormat } from './detect.js';

export type LayerType = 'copper' | 'soldermask' | 'silkscreen' | 'solderpaste' | 'drill' | 'outline' | 'drawing';
export type LayerSide = 'top' | 'bottom' | 'inner' | 'all';

export interface BoardLayer {
  /** the file's path in the version */
  path: string;
  type: LayerType | null;
  side: LayerSide | null;
}

export function identifyLayers(files: { path: string; format: BoardFileFormat }[]): BoardLayer[] {
  const byName = whatsThatGerber(files.map((f) => f.path));
  return files.map((f) => {
    const named = byName[f.path];
    if (f.format === 'excellon') return { path: f.path, type: 'drill', side: 'all' };
    // a Gerber the name calls a drill file (some tools write drill maps as Gerber) is a drawing, not holes
    if (named.type === 'drill') return { path: f.path, type: 'drawing', side: null };
    return { path: f.path, type: named.type, side: named.side };
  });
}

/** Copper layers, counted from the files (top, bottom and each inner layer). */
export const copperLayerCount = (layers: BoardLayer[]) => layers.filter((l) => l.type === 'copper').length;
