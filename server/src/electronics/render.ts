// Draws a board in a worker thread: tracespace's pcb-stackup (v4, what Kitspace uses) turns the Gerber and drill
// files into SVGs of the finished board's top and bottom and of each layer; sharp rasterises them for the previews.
import pcbStackup from 'pcb-stackup';
import gerberToSvg from 'gerber-to-svg';
import gerberParser from 'gerber-parser';
import sharp from 'sharp';
import { encodePreview, type PreviewSize } from '../render/preview.js';
import { detectBoardFile, type BoardFileFormat } from './detect.js';
import { identifyLayers, type BoardLayer } from './layers.js';
import { BoardReadError, defaultBoardLimits, guardBoard, guardBoardFile, type BoardLimits } from './guard.js';
import { boardFacts, drillFacts, type BoardFacts } from './facts.js';

export type BoardView = 'top' | 'bottom';
export type PictureFormat = 'png' | 'webp';

export interface BoardPicture {
  size: number;
  format: PictureFormat;
  bytes: Uint8Array;
}

export interface BoardDrawing {
  layers: BoardLayer[];
  facts: BoardFacts;
  views: { view: BoardView; svg: string; pictures: BoardPicture[] }[];
  /** each identified layer alone as an SVG and its extent in mm: its pictures are drawn from it when asked for */
  layerSvgs: BoardLayerSvg[];
}

export interface BoardLayerSvg {
  path: string;
  svg: string;
  mm: { width: number; height: number };
}

export interface DrawBoardOptions {
  sizes: PreviewSize[];
  formats: PictureFormat[];
  limits?: Partial<BoardLimits>;
}

/** Layers drawn alone in the colour they have on a finished board, on a transparent ground. */
const layerColours: Record<string, string> = {
  copper: '#b87333',
  soldermask: '#1d5c1d',
  silkscreen: '#202020',
  solderpaste: '#808080',
  drill: '#000000',
  outline: '#000000',
  drawing: '#404040',
};

const MM_PER = { mm: 1, in: 25.4 } as Record<string, number>;
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * The board's facts and pictures. Whatever tracespace throws while drawing these files is the files' fault (fuzzing
 * found malformed layers that reach a null deep in the plotter): it fails the board with its reason, never retried.
 */
export async function drawBoard(
  files: { path: string; bytes: Uint8Array }[],
  options: DrawBoardOptions,
): Promise<BoardDrawing> {
  try {
    return await drawGuardedBoard(files, options);
  } catch (err) {
    if (err instanceof BoardReadError) throw err;
    throw new BoardReadError(`the board's files could not be drawn: ${(err as Error)?.message ?? String(err)}`);
  }
}

async function drawGuardedBoard(
  files: { path: string; bytes: Uint8Array }[],
  options: DrawBoardOptions,
): Promise<BoardDrawing> {
  const limits = { ...defaultBoardLimits, ...options.limits };
  guardBoard(files, limits);
  const texts = files.map((f) => {
    const format = detectBoardFile(f.bytes);
    if (!format) throw new BoardReadError(`${f.path} is neither a Gerber nor an Excellon drill file`);
    const text = decoder.decode(f.bytes);
    guardBoardFile(f.path, text, format, limits);
    return { path: f.path, format: format as BoardFileFormat, text };
  });
  const layers = identifyLayers(texts);
  const drawn: pcbStackup.InputLayer[] = texts.flatMap((t, i) => {
    const layer = layers[i];
    return layer.type && layer.type !== 'drawing'
      ? [{ filename: t.path, gerber: t.text, type: layer.type, side: layer.side }]
      : [];
  });
  for (const t of texts) parseFirst(t.path, t.text);
  if (!drawn.some((l) => l.type === 'copper' || l.type === 'outline'))
    throw new BoardReadError('the board has no copper or outline layer to draw (its files are drill files only)');

  const stackup = await pcbStackup(drawn, { id: 'board' });
  const unit = MM_PER[stackup.top.units] ?? 1;
  const size = { width: stackup.top.width * unit, height: stackup.top.height * unit };
  if (!(size.width > 0 && size.height > 0)) throw new BoardReadError('the board has no extent: nothing is drawn');
  // the view box is in thousandths of the files' unit, Y up (the SVG flips it): its corner is the pictures' origin
  const [boxX, boxY, boxWidth] = stackup.top.viewBox;
  const perBoxUnit = size.width / boxWidth;
  const facts = boardFacts(
    size,
    layers,
    texts.filter((t) => t.format === 'excellon').map((t) => drillFacts(t.text)),
    { x: boxX * perBoxUnit, y: boxY * perBoxUnit },
  );

  const views: BoardDrawing['views'] = [];
  for (const view of ['top', 'bottom'] as const) {
    const svg = stackup[view].svg;
    views.push({ view, svg, pictures: await rasterise(svg, size, options.sizes, options.formats) });
  }
  // each layer's SVG only: its pictures cost a raster each and are drawn on demand (drawLayerPicture)
  const layerSvgs: BoardLayerSvg[] = [];
  for (const l of stackup.layers) {
    const lu = MM_PER[l.converter.units] ?? 1;
    const mm = { width: l.converter.width * lu, height: l.converter.height * lu };
    if (!(mm.width > 0 && mm.height > 0)) continue;
    const svg = gerberToSvg
      .render(l.converter, `layer-${layerSvgs.length}`)
      .replace('<svg ', `<svg color="${layerColours[l.type ?? 'drawing']}" `);
    layerSvgs.push({ path: l.filename!, svg, mm });
  }
  return { layers, facts, views, layerSvgs };
}

/** One layer's picture at one size and format, from the SVG the board's job kept. */
export async function drawLayerPicture(
  layer: Pick<BoardLayerSvg, 'svg' | 'mm'>,
  size: PreviewSize,
  format: PictureFormat,
): Promise<BoardPicture> {
  const [picture] = await rasterise(layer.svg, layer.mm, [size], [format]);
  return picture;
}

/**
 * Each file parsed once, synchronously, before pcb-stackup streams it: the tracespace parser throws on some malformed
 * commands from inside its stream, where no promise catches it and the thread would die (found by fuzzing). Here the
 * throw is caught and becomes the file's own error.
 */
function parseFirst(path: string, text: string): void {
  try {
    // parseSync is gerber-parser's own (v4) but missing from its type definitions
    (gerberParser({}) as unknown as { parseSync(file: string): unknown[] }).parseSync(text);
  } catch (err) {
    throw new BoardReadError(`${path} could not be read: ${(err as Error).message}`);
  }
}

/**
 * An SVG drawn square at each size, the board centred in it on a transparent ground (holes see through). librsvg
 * draws it once, at the largest size (drawing the SVG is nearly all the cost: ~0.4 s a side for 7,000 features at
 * 1024 px); the smaller sizes are that picture scaled down. The root's width and height (in mm) are replaced by
 * pixels, so the longer side is drawn at the size itself and a hostile extent never becomes a huge raster.
 */
async function rasterise(
  svg: string,
  mm: { width: number; height: number },
  sizes: PreviewSize[],
  formats: PictureFormat[],
): Promise<BoardPicture[]> {
  const largest = Math.max(...sizes);
  const rootEnd = svg.indexOf('>');
  const root = svg.slice(0, rootEnd).replace(/\s(width|height)="[^"]*"/g, '');
  const scale = largest / Math.max(mm.width, mm.height);
  const w = Math.max(1, Math.round(mm.width * scale));
  const h = Math.max(1, Math.round(mm.height * scale));
  const sized = `${root} width="${w}" height="${h}" preserveAspectRatio="none"${svg.slice(rootEnd)}`;
  const full = await sharp(Buffer.from(sized), { limitInputPixels: largest * largest })
    .resize(largest, largest, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .ensureAlpha()
    .raw()
    .toBuffer();
  const out: BoardPicture[] = [];
  for (const size of [...sizes].sort((a, b) => b - a)) {
    const rgba =
      size === largest
        ? full
        : await sharp(full, { raw: { width: largest, height: largest, channels: 4 } })
            .resize(size, size, { kernel: 'lanczos3' })
            .raw()
            .toBuffer();
    for (const format of formats) out.push({ size, format, bytes: await encodePreview(rgba, size, format) });
  }
  return out;
}
