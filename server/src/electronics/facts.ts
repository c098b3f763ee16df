// Facts of a board: its outline's size, its layers, its holes. Shown beside a mesh's facts and searched as facets.
import type { BoardLayer } from './layers.js';
import { copperLayerCount } from './layers.js';

export interface BoardFacts {
  /** the outline's bounding box (mm) */
  width: number;
  height: number;
  /** width × height (mm²) */
  area: number;
  /** fabrication files identified as a layer of the board */
  layers: number;
  copperLayers: number;
  /** holes drilled (every drill file of the board) */
  holes: number;
  /** the smallest drill used (mm), null with no holes */
  smallestHole: number | null;
  /**
   * the bottom left corner of the board's pictures in the files' own coordinates (mm, Y up): with width and height,
   * what maps a pick-and-place position onto the top and bottom pictures
   */
  origin: { x: number; y: number };
}

export interface DrillFacts {
  holes: number;
  smallestHole: number | null;
}

/** Holes and the smallest tool used of one Excellon file: tools are declared in the header (T1C0.8), then selected. */
export function drillFacts(text: string): DrillFacts {
  let unitMm = /^(INCH|M72)\b/m.test(text) ? 25.4 : 1;
  const diameters = new Map<string, number>();
  const used = new Set<string>();
  let tool: string | null = null;
  let holes = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^(METRIC|M71)\b/.test(line)) unitMm = 1;
    else if (/^(INCH|M72)\b/.test(line)) unitMm = 25.4;
    const def = /^T(\d+)(?:[FSBHZ][\d.]*)*C([\d.]+)/.exec(line);
    if (def) {
      diameters.set(String(Number(def[1])), Number(def[2]) * unitMm);
      continue;
    }
    const select = /^T(\d+)$/.exec(line);
    if (select) {
      tool = Number(select[1]) === 0 ? null : String(Number(select[1]));
      continue;
    }
    if (tool && /^(G85|[XY][-+\d.])/.test(line)) {
      // a slot (X…Y…G85X…Y…) is one line, so one hole
      holes++;
      used.add(tool);
    }
  }
  const sizes = [...used].map((t) => diameters.get(t)).filter((d): d is number => d !== undefined && d > 0);
  return { holes, smallestHole: sizes.length ? round(Math.min(...sizes), 3) : null };
}

export function boardFacts(
  size: { width: number; height: number },
  layers: BoardLayer[],
  drills: DrillFacts[],
  origin: { x: number; y: number },
): BoardFacts {
  const withHoles = drills.filter((d) => d.smallestHole !== null);
  return {
    width: round(size.width, 3),
    height: round(size.height, 3),
    area: round(size.width * size.height, 2),
    layers: layers.filter((l) => l.type !== null).length,
    copperLayers: copperLayerCount(layers),
    holes: drills.reduce((n, d) => n + d.holes, 0),
    smallestHole: withHoles.length ? Math.min(...withHoles.map((d) => d.smallestHole!)) : null,
    origin: { x: round(origin.x, 4), y: round(origin.y, 4) },
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
