// Makes circuit boards as Gerber (RS-274X) and Excellon text, so tests and the bench draw boards whose every pad,
// trace and hole is known: through-hole pads on a grid, traces between neighbours, a silkscreen frame, an outline.

export interface BoardFixtureOptions {
  /** copper layers: 2 (top, bottom) or more (inner layers In1, In2, …) */
  layers?: number;
  /** through-hole pads, laid out on a grid (each with a drilled hole) */
  pads?: number;
  /** straight traces between neighbouring pads, spread over the copper layers */
  traces?: number;
  /** the folder the files go in ('' for the version's root) */
  folder?: string;
  /** the boards' base file name (KiCad style: `<name>-F_Cu.gbr`) */
  name?: string;
  /**
   * where the outline's bottom left corner lies in the files' coordinates (mm): KiCad boards sit where they were drawn
   * on the sheet, e.g. [100, -120], not at [0, 0]
   */
  origin?: [number, number];
}

export interface BoardFixture {
  /** path → file text */
  files: Record<string, string>;
  width: number;
  height: number;
  /** the outline's bottom left corner in the files' coordinates (mm) */
  origin: [number, number];
  /** pad centres (mm, board coordinates: origin at the bottom left of the outline; add `origin` for the files') */
  padCentres: [number, number][];
  padDiameter: number;
  holeDiameter: number;
  /** a point of the board that no pad, trace or silkscreen touches */
  emptyPoint: [number, number];
}

const PITCH = 2.54;
const MARGIN = 3;
const PAD = 1.7;
const HOLE = 0.8;
const TRACE = 0.25;

function gerberHeader(comment: string, apertures: string[]): string[] {
  return [`G04 ${comment}*`, '%FSLAX46Y46*%', '%MOMM*%', '%LPD*%', ...apertures];
}

export function makeBoard(options: BoardFixtureOptions = {}): BoardFixture {
  const copperLayers = Math.max(2, options.layers ?? 2);
  const padCount = Math.max(1, options.pads ?? 6);
  const traceCount = Math.max(0, options.traces ?? 4);
  const name = options.name ?? 'board';
  const prefix = options.folder ? `${options.folder.replace(/\/$/, '')}/${name}` : name;
  const origin = options.origin ?? [0, 0];
  // board coordinates → the files': x in Gerber format 4.6 (millionths of a millimetre), Excellon with a decimal point
  const gx = (mm: number) => String(Math.round((mm + origin[0]) * 1e6));
  const gy = (mm: number) => String(Math.round((mm + origin[1]) * 1e6));
  const ex = (mm: number) => (mm + origin[0]).toFixed(3);
  const ey = (mm: number) => (mm + origin[1]).toFixed(3);
  const rectangle = (x0: number, y0: number, x1: number, y1: number): string[] => [
    `X${gx(x0)}Y${gy(y0)}D02*`,
    `X${gx(x1)}Y${gy(y0)}D01*`,
    `X${gx(x1)}Y${gy(y1)}D01*`,
    `X${gx(x0)}Y${gy(y1)}D01*`,
    `X${gx(x0)}Y${gy(y0)}D01*`,
  ];

  const columns = Math.ceil(Math.sqrt(padCount * 1.5));
  const rows = Math.ceil(padCount / columns);
  // a free column at the right: the empty point of the board
  const width = round(2 * MARGIN + (columns - 1) * PITCH + 3 * PITCH);
  const height = round(2 * MARGIN + (rows - 1) * PITCH);
  const padCentres: [number, number][] = [];
  for (let i = 0; i < padCount; i++) {
    padCentres.push([round(MARGIN + (i % columns) * PITCH), round(MARGIN + Math.floor(i / columns) * PITCH)]);
  }

  // traces join pad i to its right-hand (or, at a row's end, upper) neighbour, cycling through the copper layers
  const traces: { layer: number; from: [number, number]; to: [number, number] }[] = [];
  for (let t = 0; t < traceCount && padCount > 1; t++) {
    const i = t % padCount;
    const right = (i % columns) + 1 < columns && i + 1 < padCount ? i + 1 : i + columns < padCount ? i + columns : -1;
    const j = right >= 0 ? right : (i + 1) % padCount;
    traces.push({ layer: Math.floor(t / padCount + t) % copperLayers, from: padCentres[i], to: padCentres[j] });
  }

  const copperNames = ['F_Cu', 'B_Cu', ...Array.from({ length: copperLayers - 2 }, (_, k) => `In${k + 1}_Cu`)];
  const files: Record<string, string> = {};
  copperNames.forEach((layerName, layer) => {
    const lines = gerberHeader(`copper ${layerName}`, [`%ADD10C,${PAD.toFixed(3)}*%`, `%ADD11C,${TRACE.toFixed(3)}*%`]);
    lines.push('D10*');
    for (const [x, y] of padCentres) lines.push(`X${gx(x)}Y${gy(y)}D03*`);
    lines.push('D11*');
    for (const tr of traces) {
      if (tr.layer !== layer) continue;
      lines.push(`X${gx(tr.from[0])}Y${gy(tr.from[1])}D02*`, `X${gx(tr.to[0])}Y${gy(tr.to[1])}D01*`);
    }
    lines.push('M02*');
    files[`${prefix}-${layerName}.gbr`] = lines.join('\n') + '\n';
  });
  for (const side of ['F', 'B']) {
    const mask = gerberHeader(`soldermask ${side}`, [`%ADD10C,${(PAD + 0.1).toFixed(3)}*%`, 'D10*']);
    for (const [x, y] of padCentres) mask.push(`X${gx(x)}Y${gy(y)}D03*`);
    mask.push('M02*');
    files[`${prefix}-${side}_Mask.gbr`] = mask.join('\n') + '\n';
  }
  // silkscreen: a frame 1 mm inside the outline, on the top only
  const silk = gerberHeader('silkscreen F', ['%ADD10C,0.150*%', 'D10*']);
  silk.push(...rectangle(1, 1, width - 1, height - 1), 'M02*');
  files[`${prefix}-F_SilkS.gbr`] = silk.join('\n') + '\n';
  const outline = gerberHeader('outline', ['%ADD10C,0.100*%', 'D10*']);
  outline.push(...rectangle(0, 0, width, height), 'M02*');
  files[`${prefix}-Edge_Cuts.gbr`] = outline.join('\n') + '\n';

  const drill = ['M48', 'METRIC,TZ', `T1C${HOLE.toFixed(3)}`, '%', 'G90', 'G05', 'T1'];
  for (const [x, y] of padCentres) drill.push(`X${ex(x)}Y${ey(y)}`);
  drill.push('T0', 'M30');
  files[`${prefix}.drl`] = drill.join('\n') + '\n';

  return {
    files,
    width,
    height,
    origin,
    padCentres,
    padDiameter: PAD,
    holeDiameter: HOLE,
    emptyPoint: [round(width - 1.5 * PITCH), round(height / 2)],
  };
}

const round = (mm: number) => Math.round(mm * 1000) / 1000;

export interface FixturePart {
  designator: string;
  /** the pad (index into padCentres) the part is centred on */
  pad: number;
  side?: 'top' | 'bottom';
  rotation?: number;
}

/**
 * A KiCad ASCII .pos of parts centred on the board's pads, in the files' coordinates (Y up, like the Gerbers). `shift`
 * moves every position (mm): a file written with another origin than the Gerbers.
 */
export function makeCentroid(board: BoardFixture, parts: FixturePart[], shift: [number, number] = [0, 0]): string {
  const lines = [
    '### Footprint positions - created by the board fixture ###',
    '## Unit = mm, Angle = deg.',
    '## Side : All',
    '# Ref     Val       Package              PosX       PosY       Rot  Side',
  ];
  for (const part of parts) {
    const [x, y] = board.padCentres[part.pad];
    const posX = (x + board.origin[0] + shift[0]).toFixed(4);
    const posY = (y + board.origin[1] + shift[1]).toFixed(4);
    const rot = (part.rotation ?? 0).toFixed(4);
    lines.push(
      `${part.designator.padEnd(9)} 10k       R_0603_1608Metric  ${posX}  ${posY}  ${rot}  ${part.side ?? 'top'}`,
    );
  }
  lines.push('## End');
  return lines.join('\n') + '\n';
}

/** A board's BOM naming designators as EDA tools export it: R3 and D1 (not fitted) are on no placement the tests write. */
export const boardBom =
  'Reference,Value,Footprint,Qty,DNP,MPN\n' +
  'R1-R3,10k,R_0603,3,,RC0603FR-0710KL\n' +
  'C1,100n,C_0603,1,,GRM188R71H104KA93D\n' +
  'U1,ATtiny85,SOIC-8,1,,ATTINY85-20SU\n' +
  'D1,red,LED_0603,1,DNP,LTST-C191KRKT\n';
