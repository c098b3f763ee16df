// Minimal ASCII DXF (AC1015 / R2000) writer for 2D cut drawings of plate parts, in millimetres.
import type { PlateSpec } from './shapes.js';

type Pt = [number, number];

interface Entity {
  layer: string;
  body: (string | number)[];
}

/** A numbered vertex of a light-weight polyline; `bulge` = tan(arc angle / 4) of the segment that starts here. */
export interface PolyVertex {
  x: number;
  y: number;
  bulge?: number;
}

const num = (n: number): string => {
  const r = Math.round(n * 1e6) / 1e6;
  return Object.is(r, -0) ? '0' : String(r);
};

export class DxfDrawing {
  private readonly entities: Entity[] = [];
  private readonly layers = new Map<string, number>();
  private min: Pt = [Infinity, Infinity];
  private max: Pt = [-Infinity, -Infinity];

  constructor(layers: Record<string, number> = { CUT: 7, HOLES: 1, BEND: 3, TEXT: 2, DIM: 4 }) {
    for (const [name, colour] of Object.entries(layers)) this.layers.set(name, colour);
  }

  private grow(x: number, y: number): void {
    this.min = [Math.min(this.min[0], x), Math.min(this.min[1], y)];
    this.max = [Math.max(this.max[0], x), Math.max(this.max[1], y)];
  }

  private add(layer: string, body: (string | number)[]): this {
    if (!this.layers.has(layer)) this.layers.set(layer, 7);
    this.entities.push({ layer, body });
    return this;
  }

  line(a: Pt, b: Pt, layer = 'CUT'): this {
    this.grow(...a);
    this.grow(...b);
    return this.add(layer, [0, 'LINE', '@', 100, 'AcDbLine', 10, a[0], 20, a[1], 30, 0, 11, b[0], 21, b[1], 31, 0]);
  }

  circle(c: Pt, r: number, layer = 'HOLES'): this {
    this.grow(c[0] - r, c[1] - r);
    this.grow(c[0] + r, c[1] + r);
    return this.add(layer, [0, 'CIRCLE', '@', 100, 'AcDbCircle', 10, c[0], 20, c[1], 30, 0, 40, r]);
  }

  /** Arc counter-clockwise from startDeg to endDeg. */
  arc(c: Pt, r: number, startDeg: number, endDeg: number, layer = 'CUT'): this {
    this.grow(c[0] - r, c[1] - r);
    this.grow(c[0] + r, c[1] + r);
    return this.add(layer, [0, 'ARC', '@', 100, 'AcDbCircle', 10, c[0], 20, c[1], 30, 0, 40, r, 100, 'AcDbArc', 50, startDeg, 51, endDeg]);
  }

  polyline(vertices: PolyVertex[], closed: boolean, layer = 'CUT'): this {
    const body: (string | number)[] = [0, 'LWPOLYLINE', '@', 100, 'AcDbPolyline', 90, vertices.length, 70, closed ? 1 : 0];
    for (const v of vertices) {
      this.grow(v.x, v.y);
      body.push(10, v.x, 20, v.y);
      if (v.bulge) body.push(42, v.bulge);
    }
    return this.add(layer, body);
  }

  text(at: Pt, height: number, value: string, layer = 'TEXT'): this {
    this.grow(...at);
    return this.add(layer, [0, 'TEXT', '@', 100, 'AcDbText', 10, at[0], 20, at[1], 30, 0, 40, height, 1, value, 100, 'AcDbText']);
  }

  /** Aligned linear dimension between a and b, its line offset to `at`; the measured value is written as text. */
  dimension(a: Pt, b: Pt, at: Pt, layer = 'DIM'): this {
    const measured = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const mid: Pt = [(a[0] + b[0]) / 2, at[1]];
    this.grow(...at);
    return this.add(layer, [
      0, 'DIMENSION', '@', 100, 'AcDbEntity', 100, 'AcDbDimension',
      10, at[0], 20, at[1], 30, 0, 11, mid[0], 21, mid[1], 31, 0, 70, 1, 1, num(measured),
      100, 'AcDbAlignedDimension', 13, a[0], 23, a[1], 33, 0, 14, b[0], 24, b[1], 34, 0,
    ]);
  }

  toString(): string {
    const out: (string | number)[] = [];
    let handle = 0x100;
    const next = () => (handle++).toString(16).toUpperCase();
    const min = Number.isFinite(this.min[0]) ? this.min : [0, 0];
    const max = Number.isFinite(this.max[0]) ? this.max : [0, 0];
    out.push(0, 'SECTION', 2, 'HEADER', 9, '$ACADVER', 1, 'AC1015', 9, '$INSUNITS', 70, 4, 9, '$MEASUREMENT', 70, 1);
    out.push(9, '$EXTMIN', 10, min[0], 20, min[1], 30, 0, 9, '$EXTMAX', 10, max[0], 20, max[1], 30, 0, 0, 'ENDSEC');
    out.push(0, 'SECTION', 2, 'TABLES');
    out.push(0, 'TABLE', 2, 'LTYPE', 5, next(), 100, 'AcDbSymbolTable', 70, 1);
    out.push(0, 'LTYPE', 5, next(), 100, 'AcDbSymbolTableRecord', 100, 'AcDbLinetypeTableRecord', 2, 'CONTINUOUS', 70, 0, 3, 'Solid line', 72, 65, 73, 0, 40, 0);
    out.push(0, 'ENDTAB');
    out.push(0, 'TABLE', 2, 'LAYER', 5, next(), 100, 'AcDbSymbolTable', 70, this.layers.size);
    for (const [name, colour] of this.layers) {
      out.push(0, 'LAYER', 5, next(), 100, 'AcDbSymbolTableRecord', 100, 'AcDbLayerTableRecord', 2, name, 70, 0, 62, colour, 6, 'CONTINUOUS');
    }
    out.push(0, 'ENDTAB', 0, 'ENDSEC');
    out.push(0, 'SECTION', 2, 'ENTITIES');
    for (const e of this.entities) {
      const [code0, type, , ...rest] = e.body;
      out.push(code0, type, 5, next(), 100, 'AcDbEntity', 8, e.layer);
      // DIMENSION carries its own AcDbEntity marker first; drop the duplicate
      const body = type === 'DIMENSION' ? rest.slice(2) : rest;
      out.push(...body);
    }
    out.push(0, 'ENDSEC', 0, 'EOF');
    const lines: string[] = [];
    for (let i = 0; i < out.length; i += 2) {
      const v = out[i + 1];
      lines.push(String(out[i]).padStart(3, ' '), typeof v === 'number' ? num(v) : v);
    }
    return lines.join('\r\n') + '\r\n';
  }
}

/** Outline of a rounded rectangle as closed LWPOLYLINE vertices (quarter arcs have bulge tan(22.5°)). */
export function roundedRect(x: number, y: number, w: number, h: number, r: number): PolyVertex[] {
  const b = Math.tan(Math.PI / 8);
  if (r <= 0) return [{ x, y }, { x: x + w, y }, { x: x + w, y: y + h }, { x, y: y + h }];
  return [
    { x: x + r, y },
    { x: x + w - r, y, bulge: b },
    { x: x + w, y: y + r },
    { x: x + w, y: y + h - r, bulge: b },
    { x: x + w - r, y: y + h },
    { x: x + r, y: y + h, bulge: b },
    { x, y: y + h - r },
    { x, y: y + r, bulge: b },
  ];
}

/**
 * Cut drawing of a plate part: outline, holes, cut-outs, an overall width dimension, a corner-radius
 * arc mark, and a title block with part name, material and thickness.
 */
export function plateDrawing(spec: PlateSpec, material: string, extra?: (d: DxfDrawing) => void): string {
  const d = new DxfDrawing();
  d.polyline(roundedRect(0, 0, spec.width, spec.height, spec.cornerRadius), true, 'CUT');
  for (const h of spec.holes) d.circle([h.x, h.y], h.d / 2, 'HOLES');
  for (const c of spec.cutouts ?? []) d.polyline(roundedRect(c.x, c.y, c.w, c.h, 0), true, 'CUT');
  // centre marks on the holes
  for (const h of spec.holes.slice(0, 4)) {
    d.line([h.x - h.d * 0.7, h.y], [h.x + h.d * 0.7, h.y], 'DIM');
    d.line([h.x, h.y - h.d * 0.7], [h.x, h.y + h.d * 0.7], 'DIM');
  }
  // corner radius callout: the arc of the first corner drawn again on the dimension layer
  if (spec.cornerRadius > 0) d.arc([spec.cornerRadius, spec.cornerRadius], spec.cornerRadius + 6, 180, 270, 'DIM');
  d.dimension([0, 0], [spec.width, 0], [0, -25]);
  d.dimension([spec.width, 0], [spec.width, spec.height], [spec.width + 25, 0]);
  extra?.(d);
  const th = Math.max(5, Math.min(spec.width, spec.height) / 25);
  d.text([0, spec.height + th * 1.5], th, `${spec.name.toUpperCase()}  ${spec.width} x ${spec.height} mm`);
  d.text([0, spec.height + th * 3.2], th * 0.8, `${material}  t = ${spec.thickness} mm  ${spec.holes.length} holes  R${spec.cornerRadius}`);
  return d.toString();
}
