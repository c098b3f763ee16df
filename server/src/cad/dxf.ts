// DXF reader (dxf-parser): entities → 2D polylines and texts in mm, with facts (entity counts, bounds, cut length).
import dxfParserModule from 'dxf-parser';
import { checkBytes } from './result.js';
import { unitScale } from './units.js';
import { CadReadError, type ReadLimits } from './types.js';

// the package's CommonJS build puts the class on `default` under Node's ESM loader
const dxfModule = dxfParserModule as unknown as { default?: unknown };
const DxfParser = (dxfModule.default ?? dxfParserModule) as unknown as new () => { parseSync(text: string): unknown };

/** A polyline of the drawing; `annotation` marks dimension lines (not cut, drawn lighter). */
export interface DrawingPath {
  points: Float64Array;
  annotation: boolean;
}
export interface DrawingText {
  text: string;
  x: number;
  y: number;
  /** cap height, mm */
  height: number;
  /** degrees, counter-clockwise */
  rotation: number;
}
export interface Drawing {
  paths: DrawingPath[];
  texts: DrawingText[];
  bounds: { min: [number, number]; max: [number, number] };
}
export interface DrawingFacts {
  format: 'dxf';
  entities: Record<string, number>;
  bounds: { min: [number, number]; max: [number, number] };
  units: string;
  /** total length of the geometry (not texts or dimensions), mm: what a laser or plasma cutter travels */
  cutLength: number;
}
export interface DxfReadResult {
  drawing: Drawing;
  facts: DrawingFacts;
}

/** 2D affine transform [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
type Affine = [number, number, number, number, number, number];
const multiply = (m: Affine, n: Affine): Affine => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/** $INSUNITS codes Andecha converts; 0 (unitless) and absent fall back to the manifest or mm. */
const INSUNITS: Record<number, string> = { 1: 'inch', 2: 'foot', 4: 'mm', 5: 'cm', 6: 'm', 13: 'micron' };

const MAX_INSERT_DEPTH = 8;
/** Segments per full turn of a circle: smooth at 1024 px without bloating big drawings. */
const TURN_SEGMENTS = 96;

// dxf-parser's entity types miss fields real files carry (extrusionDirectionZ, fitPoints, inPaperSpace) and every
// field may be absent or malformed in an untrusted file: the drawing code checks each value it reads
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type DxfEntity = any;

interface Ctx {
  blocks: Record<string, { entities?: DxfEntity[]; position?: { x: number; y: number } }>;
  paths: DrawingPath[];
  texts: DrawingText[];
  points: number;
  maxPoints: number;
  cutLength: number;
}

function arcPoints(cx: number, cy: number, r: number, a0: number, sweep: number, flip: boolean): number[] {
  const n = Math.max(2, Math.ceil((Math.abs(sweep) / (2 * Math.PI)) * TURN_SEGMENTS));
  const out: number[] = [];
  for (let i = 0; i <= n; i++) {
    const a = a0 + (sweep * i) / n;
    const x = cx + r * Math.cos(a);
    out.push(flip ? -x : x, cy + r * Math.sin(a));
  }
  return out;
}

/** A polyline's points with bulges (arc segments: bulge = tan(θ/4)) expanded. */
function bulgedPoints(vertices: { x: number; y: number; bulge?: number }[], closed: boolean, flip: boolean): number[] {
  const out: number[] = [];
  const n = vertices.length;
  const count = closed ? n : n - 1;
  if (n > 0) out.push(flip ? -vertices[0].x : vertices[0].x, vertices[0].y);
  for (let i = 0; i < count; i++) {
    const p = vertices[i],
      q = vertices[(i + 1) % n];
    const b = p.bulge ?? 0;
    if (Math.abs(b) > 1e-9) {
      const theta = 4 * Math.atan(b);
      const dx = q.x - p.x,
        dy = q.y - p.y;
      const d = Math.hypot(dx, dy);
      if (d > 0) {
        const k = 0.5 / Math.tan(theta / 2);
        const cx = (p.x + q.x) / 2 - dy * k,
          cy = (p.y + q.y) / 2 + dx * k;
        const pts = arcPoints(cx, cy, Math.hypot(p.x - cx, p.y - cy), Math.atan2(p.y - cy, p.x - cx), theta, flip);
        for (let j = 2; j < pts.length; j++) out.push(pts[j]);
        continue;
      }
    }
    out.push(flip ? -q.x : q.x, q.y);
  }
  return out;
}

/** de Boor evaluation of a non-rational B-spline, sampled evenly in its parameter range. */
export function splinePoints(
  degree: number,
  knots: number[],
  control: { x: number; y: number }[],
  samples: number,
): number[] {
  const n = control.length;
  const p = Math.max(1, Math.min(degree, n - 1));
  if (knots.length !== n + p + 1) {
    // knots missing or inconsistent: a clamped uniform vector of the right length
    knots = [];
    for (let i = 0; i < n + p + 1; i++) knots.push(Math.min(Math.max(i - p, 0), n - p));
  }
  const t0 = knots[p],
    t1 = knots[n];
  const out: number[] = [];
  const dx = new Float64Array(p + 1),
    dy = new Float64Array(p + 1);
  for (let s = 0; s <= samples; s++) {
    const t = s === samples ? t1 : t0 + ((t1 - t0) * s) / samples;
    let k = p;
    while (k < n - 1 && knots[k + 1] <= t) k++;
    for (let j = 0; j <= p; j++) {
      dx[j] = control[k - p + j].x;
      dy[j] = control[k - p + j].y;
    }
    for (let r = 1; r <= p; r++) {
      for (let j = p; j >= r; j--) {
        const i = k - p + j;
        const den = knots[i + p - r + 1] - knots[i];
        const a = den === 0 ? 0 : (t - knots[i]) / den;
        dx[j] = (1 - a) * dx[j - 1] + a * dx[j];
        dy[j] = (1 - a) * dy[j - 1] + a * dy[j];
      }
    }
    out.push(dx[p], dy[p]);
  }
  return out;
}

function pathLength(pts: number[]): number {
  let len = 0;
  for (let i = 2; i < pts.length; i += 2) len += Math.hypot(pts[i] - pts[i - 2], pts[i + 1] - pts[i - 1]);
  return len;
}

/** Strip MTEXT formatting codes (\P paragraphs, {\f…;} fonts, \~ spaces) down to plain words. */
function plainMtext(s: string): string {
  return s
    .replace(/\\P/g, ' ')
    .replace(/\\[A-Za-z][^;\\{}]*;/g, '')
    .replace(/\\~/g, ' ')
    .replace(/[{}]/g, '')
    .replace(/\\\\/g, '\\')
    .trim();
}

function addPath(ctx: Ctx, pts: number[], m: Affine, annotation: boolean): void {
  if (pts.length < 4) return;
  ctx.points += pts.length / 2;
  if (ctx.points > ctx.maxPoints) {
    throw new CadReadError(
      `the DXF drawing expands to more than ${ctx.maxPoints.toLocaleString('en')} points, over the limit; nested or arrayed blocks multiply quickly`,
    );
  }
  const out = new Float64Array(pts.length);
  for (let i = 0; i < pts.length; i += 2) {
    out[i] = m[0] * pts[i] + m[2] * pts[i + 1] + m[4];
    out[i + 1] = m[1] * pts[i] + m[3] * pts[i + 1] + m[5];
  }
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) return;
  ctx.paths.push({ points: out, annotation });
  if (!annotation) ctx.cutLength += pathLength(Array.from(out));
}

const flipped = (e: DxfEntity) => (e.extrusionDirectionZ ?? e.extrusionDirection?.z ?? 1) < 0;

function drawEntities(ctx: Ctx, entities: DxfEntity[], m: Affine, depth: number, annotation: boolean): void {
  for (const e of entities) {
    if (e.inPaperSpace) continue;
    drawEntity(ctx, e, m, depth, annotation);
  }
}

function drawEntity(ctx: Ctx, e: DxfEntity, m: Affine, depth: number, annotation: boolean): void {
  switch (e.type) {
    case 'LINE': {
      const [a, b] = e.vertices ?? [];
      if (a && b) addPath(ctx, [a.x, a.y, b.x, b.y], m, annotation);
      break;
    }
    case 'LWPOLYLINE':
    case 'POLYLINE': {
      if (e.isPolyfaceMesh || e.is3dPolygonMesh) break;
      const vs = (e.vertices ?? []).filter(
        (v: { x?: number; y?: number } | null) => Number.isFinite(v?.x) && Number.isFinite(v?.y),
      );
      addPath(ctx, bulgedPoints(vs, !!e.shape, flipped(e)), m, annotation);
      break;
    }
    case 'ARC': {
      let sweep = e.endAngle - e.startAngle;
      if (sweep <= 0) sweep += 2 * Math.PI;
      addPath(ctx, arcPoints(e.center.x, e.center.y, e.radius, e.startAngle, sweep, flipped(e)), m, annotation);
      break;
    }
    case 'CIRCLE':
      addPath(ctx, arcPoints(e.center.x, e.center.y, e.radius, 0, 2 * Math.PI, flipped(e)), m, annotation);
      break;
    case 'ELLIPSE': {
      const { center: c, majorAxisEndPoint: M } = e;
      const ratio = e.axisRatio ?? 1;
      const s0 = e.startAngle ?? 0;
      let sweep = (e.endAngle ?? 2 * Math.PI) - s0;
      if (sweep <= 0) sweep += 2 * Math.PI;
      const n = Math.max(8, Math.ceil((sweep / (2 * Math.PI)) * TURN_SEGMENTS));
      const pts: number[] = [];
      const flip = flipped(e);
      for (let i = 0; i <= n; i++) {
        const t = s0 + (sweep * i) / n;
        const x = c.x + M.x * Math.cos(t) - ratio * M.y * Math.sin(t);
        pts.push(flip ? -x : x, c.y + M.y * Math.cos(t) + ratio * M.x * Math.sin(t));
      }
      addPath(ctx, pts, m, annotation);
      break;
    }
    case 'SPLINE': {
      const cps = e.controlPoints ?? [];
      if (cps.length >= 2) {
        const samples = Math.min(1024, Math.max(16, cps.length * 8));
        addPath(ctx, splinePoints(e.degreeOfSplineCurve ?? 3, e.knotValues ?? [], cps, samples), m, annotation);
      } else if ((e.fitPoints ?? []).length >= 2) {
        addPath(
          ctx,
          e.fitPoints.flatMap((p: { x: number; y: number }) => [p.x, p.y]),
          m,
          annotation,
        );
      }
      break;
    }
    case 'TEXT':
    case 'MTEXT': {
      const p = e.type === 'TEXT' ? (e.halign || e.valign ? (e.endPoint ?? e.startPoint) : e.startPoint) : e.position;
      const text = e.type === 'MTEXT' ? plainMtext(String(e.text ?? '')) : String(e.text ?? '');
      if (!p || !text) break;
      const x = m[0] * p.x + m[2] * p.y + m[4],
        y = m[1] * p.x + m[3] * p.y + m[5];
      const scale = Math.hypot(m[0], m[1]);
      const rotation = (e.rotation ?? 0) + (Math.atan2(m[1], m[0]) * 180) / Math.PI;
      ctx.texts.push({ text: text.slice(0, 200), x, y, height: (e.textHeight ?? e.height ?? 2.5) * scale, rotation });
      break;
    }
    case 'INSERT': {
      if (depth >= MAX_INSERT_DEPTH)
        throw new CadReadError(
          `the DXF drawing nests blocks more than ${MAX_INSERT_DEPTH} deep (block "${String(e.name).slice(0, 40)}"), over the limit`,
        );
      const block = ctx.blocks[e.name];
      if (!block?.entities) break;
      const base = block.position ?? { x: 0, y: 0 };
      const rot = ((e.rotation ?? 0) * Math.PI) / 180;
      const sx = (e.xScale ?? 1) * (flipped(e) ? -1 : 1),
        sy = e.yScale ?? 1;
      const cos = Math.cos(rot),
        sin = Math.sin(rot);
      const cols = Math.max(1, Math.min(e.columnCount ?? 1, 1000)),
        rows = Math.max(1, Math.min(e.rowCount ?? 1, 1000));
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const ox = c * (e.columnSpacing ?? 0),
            oy = r * (e.rowSpacing ?? 0);
          const px = (e.position?.x ?? 0) + cos * ox - sin * oy,
            py = (e.position?.y ?? 0) + sin * ox + cos * oy;
          const local: Affine = multiply([cos, sin, -sin, cos, px, py], [sx, 0, 0, sy, -base.x * sx, -base.y * sy]);
          drawEntities(ctx, block.entities, multiply(m, local), depth + 1, annotation);
        }
      }
      break;
    }
    case 'DIMENSION': {
      // the CAD program stores what it drew in an anonymous block (*D…): draw that, else a plain measure line
      const block = e.block ? ctx.blocks[e.block] : undefined;
      if (block?.entities && depth < MAX_INSERT_DEPTH) drawEntities(ctx, block.entities, m, depth + 1, true);
      else if (e.linearOrAngularPoint1 && e.linearOrAngularPoint2) addPath(ctx, measureLine(e), m, true);
      break;
    }
    default:
      break;
  }
}

/**
 * A linear dimension without its block: extension lines from the measured points to the dimension line, which
 * passes through the definition point (10, wherever along it a writer put it) and runs along the measured points
 * (aligned, type 1) or at its angle (rotated, horizontal, vertical: type 0, group 50).
 */
function measureLine(e: DxfEntity): number[] {
  const a = e.linearOrAngularPoint1,
    b = e.linearOrAngularPoint2,
    d = e.anchorPoint ?? b;
  let ux: number, uy: number;
  if (((e.dimensionType ?? 0) & 0x0f) === 1) {
    const l = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    ux = (b.x - a.x) / l;
    uy = (b.y - a.y) / l;
  } else {
    const angle = ((Number(e.angle) || 0) * Math.PI) / 180;
    ux = Math.cos(angle);
    uy = Math.sin(angle);
  }
  const onLine = (p: { x: number; y: number }) => {
    const t = (p.x - d.x) * ux + (p.y - d.y) * uy;
    return [d.x + ux * t, d.y + uy * t];
  };
  return [a.x, a.y, ...onLine(a), ...onLine(b), b.x, b.y];
}

export function readDxf(bytes: Uint8Array, limits: ReadLimits, opts: { units?: string } = {}): DxfReadResult {
  checkBytes(bytes, limits.maxBytes, 'DXF');
  if (/^AutoCAD Binary DXF/.test(Buffer.from(bytes.subarray(0, 22)).toString('latin1'))) {
    throw new CadReadError('the DXF file is a binary DXF, which Andecha does not read: save it as ASCII DXF');
  }
  let dxf: { header?: Record<string, unknown>; blocks?: Ctx['blocks']; entities?: DxfEntity[] } | null;
  try {
    dxf = new DxfParser().parseSync(new TextDecoder('utf-8').decode(bytes)) as typeof dxf;
  } catch (e) {
    throw new CadReadError(`the DXF file cannot be parsed (${String((e as Error).message ?? e).slice(0, 160)})`);
  }
  if (!dxf || !Array.isArray(dxf.entities))
    throw new CadReadError('the DXF file has no ENTITIES section: there is nothing to draw');
  const code = Number(dxf.header?.$INSUNITS ?? 0);
  const units = INSUNITS[code] ?? opts.units ?? 'mm';
  const scale = unitScale(units);
  const ctx: Ctx = {
    blocks: dxf.blocks ?? {},
    paths: [],
    texts: [],
    points: 0,
    maxPoints: limits.maxTriangles,
    cutLength: 0,
  };
  const entities: Record<string, number> = {};
  const model = dxf.entities.filter((e: DxfEntity) => !e.inPaperSpace);
  for (const e of model) entities[e.type] = (entities[e.type] ?? 0) + 1;
  drawEntities(ctx, model, [scale, 0, 0, scale, 0, 0], 0, false);
  if (ctx.paths.length === 0 && ctx.texts.length === 0) {
    throw new CadReadError(
      'the DXF file has no lines, arcs, circles, curves or texts in its model space: nothing to draw',
    );
  }
  const min: [number, number] = [Infinity, Infinity];
  const max: [number, number] = [-Infinity, -Infinity];
  const grow = (x: number, y: number) => {
    if (x < min[0]) min[0] = x;
    if (y < min[1]) min[1] = y;
    if (x > max[0]) max[0] = x;
    if (y > max[1]) max[1] = y;
  };
  for (const p of ctx.paths) for (let i = 0; i < p.points.length; i += 2) grow(p.points[i], p.points[i + 1]);
  for (const t of ctx.texts) grow(t.x, t.y);
  const bounds = { min, max };
  return {
    drawing: { paths: ctx.paths, texts: ctx.texts, bounds },
    facts: { format: 'dxf', entities, bounds, units, cutLength: Math.round(ctx.cutLength * 1000) / 1000 },
  };
}
