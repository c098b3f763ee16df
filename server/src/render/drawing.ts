// 2D drawing previews (DXF): dark lines on a light background, to scale, with a scale bar; texts through an SVG overlay.
import sharp from 'sharp';
import type { Drawing } from '../cad/dxf.js';
import type { Preview, PreviewSize } from './preview.js';

const SUPERSAMPLE = 2;
const BACKGROUND: [number, number, number] = [248, 249, 251];
const INK: [number, number, number] = [31, 39, 51];
const ANNOTATION: [number, number, number] = [74, 118, 168];

/** A "round" length (1, 2 or 5 × 10ⁿ mm) near `target`, for the scale bar. */
export function niceLength(target: number): number {
  const p = 10 ** Math.floor(Math.log10(target));
  const m = target / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

function formatLength(mm: number): string {
  if (mm >= 1000) return `${+(mm / 1000).toPrecision(3)} m`;
  if (mm < 1) return `${+(mm * 1000).toPrecision(3)} µm`;
  return `${+mm.toPrecision(3)} mm`;
}

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Stamp a thick line into a coverage buffer (supersampled pixels; thickness `t`). */
function strokeSegment(cov: Uint8Array, W: number, x0: number, y0: number, x1: number, y1: number, t: number): void {
  const steps = Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))) + 1;
  const r = t / 2;
  for (let i = 0; i <= steps; i++) {
    const x = x0 + ((x1 - x0) * i) / steps,
      y = y0 + ((y1 - y0) * i) / steps;
    const xa = Math.max(0, Math.round(x - r)),
      xb = Math.min(W - 1, Math.round(x + r) - 1);
    const ya = Math.max(0, Math.round(y - r)),
      yb = Math.min(W - 1, Math.round(y + r) - 1);
    for (let yy = ya; yy <= yb; yy++) cov.fill(1, yy * W + xa, yy * W + xb + 1);
  }
}

export interface DrawingFrame {
  /** mm → output pixels */
  scale: number;
  toPixel(x: number, y: number): [number, number];
}

/** Fit the drawing's bounds into the square, leaving a strip at the bottom for the scale bar. */
export function frameDrawing(d: Drawing, size: number): DrawingFrame {
  const margin = size * 0.06;
  const barStrip = size * 0.1;
  const w = Math.max(d.bounds.max[0] - d.bounds.min[0], 1e-9),
    h = Math.max(d.bounds.max[1] - d.bounds.min[1], 1e-9);
  const areaW = size - 2 * margin,
    areaH = size - 2 * margin - barStrip;
  const scale = Math.min(areaW / w, areaH / h);
  const cx = (d.bounds.min[0] + d.bounds.max[0]) / 2,
    cy = (d.bounds.min[1] + d.bounds.max[1]) / 2;
  const ox = size / 2,
    oy = margin + areaH / 2;
  return { scale, toPixel: (x, y) => [ox + (x - cx) * scale, oy - (y - cy) * scale] };
}

export async function renderDrawing(d: Drawing, opts: { size: PreviewSize }): Promise<Preview> {
  const size = opts.size;
  const W = size * SUPERSAMPLE;
  const frame = frameDrawing(d, size);
  const ink = new Uint8Array(W * W);
  const notes = new Uint8Array(W * W);
  const thick = Math.max(2, Math.round((size / 256) * 1.5));
  for (const path of d.paths) {
    const cov = path.annotation ? notes : ink;
    const p = path.points;
    let [px, py] = frame.toPixel(p[0], p[1]);
    for (let i = 2; i < p.length; i += 2) {
      const [qx, qy] = frame.toPixel(p[i], p[i + 1]);
      strokeSegment(
        cov,
        W,
        px * SUPERSAMPLE,
        py * SUPERSAMPLE,
        qx * SUPERSAMPLE,
        qy * SUPERSAMPLE,
        path.annotation ? Math.max(1, thick - 1) : thick,
      );
      px = qx;
      py = qy;
    }
  }
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let a = 0,
        n = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        const row = (y * SUPERSAMPLE + sy) * W + x * SUPERSAMPLE;
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          a += ink[row + sx];
          n += notes[row + sx] & (ink[row + sx] ^ 1);
        }
      }
      const fa = a / (SUPERSAMPLE * SUPERSAMPLE),
        fn = n / (SUPERSAMPLE * SUPERSAMPLE),
        fb = 1 - fa - fn;
      const o = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(BACKGROUND[c] * fb + INK[c] * fa + ANNOTATION[c] * fn);
      rgba[o + 3] = 255;
    }
  }
  return { rgba: await overlay(rgba, size, d, frame), width: size, height: size, opaque: true };
}

/** Texts of the drawing and the scale bar, drawn by librsvg (sharp) over the lines. */
async function overlay(rgba: Uint8Array, size: number, d: Drawing, frame: DrawingFrame): Promise<Uint8Array> {
  const parts: string[] = [];
  const ink = `rgb(${INK.join(',')})`;
  for (const t of d.texts) {
    const px = t.height * frame.scale;
    if (px < 4) continue; // below legibility at this size
    const [x, y] = frame.toPixel(t.x, t.y);
    parts.push(
      `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${(px / 0.72).toFixed(1)}" transform="rotate(${(-t.rotation).toFixed(2)} ${x.toFixed(1)} ${y.toFixed(1)})">${esc(t.text)}</text>`,
    );
  }
  // scale bar: a round length about a quarter of the image wide, bottom left
  const len = niceLength((size * 0.25) / frame.scale);
  const barPx = len * frame.scale;
  const x0 = size * 0.06,
    y0 = size - size * 0.05,
    h = Math.max(3, size / 128);
  parts.push(
    `<rect x="${x0.toFixed(1)}" y="${(y0 - h).toFixed(1)}" width="${(barPx / 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${ink}"/>`,
    `<rect x="${(x0 + barPx / 2).toFixed(1)}" y="${(y0 - h).toFixed(1)}" width="${(barPx / 2).toFixed(1)}" height="${h.toFixed(1)}" fill="none" stroke="${ink}" stroke-width="1"/>`,
    `<text x="${(x0 + barPx + size * 0.02).toFixed(1)}" y="${y0.toFixed(1)}" font-size="${Math.max(9, size / 32).toFixed(1)}">${esc(formatLength(len))}</text>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><g font-family="DejaVu Sans, Liberation Sans, sans-serif" fill="${ink}">${parts.join('')}</g></svg>`;
  const out = await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
    raw: { width: size, height: size, channels: 4 },
  })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
