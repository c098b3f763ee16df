// Geometry building blocks for the sample machines (millimetres, Y up): tubes, plates, cylinders, wheels, gears, blades.
import * as THREE from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';

export type Vec3 = [number, number, number];
export type Rgb = [number, number, number];

/** One named, coloured piece of a machine, as handed to the mesh writers. */
export interface Part {
  name: string;
  geometry: THREE.BufferGeometry;
  color?: Rgb;
}

export const colours = {
  steel: [0.55, 0.57, 0.6] as Rgb,
  paintGreen: [0.18, 0.45, 0.25] as Rgb,
  paintRed: [0.72, 0.16, 0.12] as Rgb,
  paintYellow: [0.93, 0.72, 0.12] as Rgb,
  paintBlue: [0.16, 0.32, 0.62] as Rgb,
  chrome: [0.82, 0.84, 0.86] as Rgb,
  rubber: [0.09, 0.09, 0.1] as Rgb,
  copper: [0.72, 0.42, 0.2] as Rgb,
  black: [0.15, 0.15, 0.16] as Rgb,
  wood: [0.62, 0.45, 0.26] as Rgb,
  glass: [0.7, 0.82, 0.88] as Rgb,
  printedOrange: [0.95, 0.48, 0.1] as Rgb,
  aluminium: [0.75, 0.76, 0.78] as Rgb,
  white: [0.9, 0.9, 0.88] as Rgb,
};

/** Position-only, non-indexed copy, so that every primitive kind can be merged with every other. */
function positionsOnly(geometry: THREE.BufferGeometry): THREE.BufferGeometry {
  const flat = geometry.index ? geometry.toNonIndexed() : geometry;
  const out = new THREE.BufferGeometry();
  out.setAttribute('position', flat.getAttribute('position').clone());
  return out;
}

export function merge(geometries: THREE.BufferGeometry[]): THREE.BufferGeometry {
  const merged = mergeGeometries(geometries.map(positionsOnly));
  if (!merged) throw new Error('merge: geometries have incompatible attributes');
  return merged;
}

export function part(name: string, geometries: THREE.BufferGeometry | THREE.BufferGeometry[], color?: Rgb): Part {
  const list = Array.isArray(geometries) ? geometries : [geometries];
  return { name, geometry: merge(list), color };
}

/** Rotate (Euler XYZ, degrees) then move a geometry; returns the same geometry. */
export function place(g: THREE.BufferGeometry, at: Vec3, rotDeg: Vec3 = [0, 0, 0]): THREE.BufferGeometry {
  const m = new THREE.Matrix4().makeRotationFromEuler(
    new THREE.Euler(THREE.MathUtils.degToRad(rotDeg[0]), THREE.MathUtils.degToRad(rotDeg[1]), THREE.MathUtils.degToRad(rotDeg[2])),
  );
  g.applyMatrix4(m);
  g.translate(at[0], at[1], at[2]);
  return g;
}

/** Orient a geometry built centred on the origin along +Y so that it spans a → b. */
export function span(g: THREE.BufferGeometry, a: Vec3, b: Vec3): THREE.BufferGeometry {
  const va = new THREE.Vector3(...a);
  const dir = new THREE.Vector3(...b).sub(va);
  const q = new THREE.Quaternion().setFromUnitVectors(new THREE.Vector3(0, 1, 0), dir.clone().normalize());
  g.applyQuaternion(q);
  const mid = va.add(dir.multiplyScalar(0.5));
  g.translate(mid.x, mid.y, mid.z);
  return g;
}

function length(a: Vec3, b: Vec3): number {
  return Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
}

export function box(w: number, h: number, d: number, at: Vec3 = [0, 0, 0], rotDeg: Vec3 = [0, 0, 0]): THREE.BufferGeometry {
  return place(new THREE.BoxGeometry(w, h, d), at, rotDeg);
}

/** Hollow rectangular tube (RHS/SHS) of outer size w × h and wall t from a to b. */
export function rectTube(a: Vec3, b: Vec3, w: number, h: number = w, t = 3): THREE.BufferGeometry {
  const L = length(a, b);
  const outer = new THREE.Shape();
  outer.moveTo(-w / 2, -h / 2);
  outer.lineTo(w / 2, -h / 2);
  outer.lineTo(w / 2, h / 2);
  outer.lineTo(-w / 2, h / 2);
  outer.closePath();
  const hole = new THREE.Path();
  hole.moveTo(-w / 2 + t, -h / 2 + t);
  hole.lineTo(-w / 2 + t, h / 2 - t);
  hole.lineTo(w / 2 - t, h / 2 - t);
  hole.lineTo(w / 2 - t, -h / 2 + t);
  hole.closePath();
  outer.holes.push(hole);
  const g = new THREE.ExtrudeGeometry(outer, { depth: L, bevelEnabled: false });
  g.translate(0, 0, -L / 2);
  g.rotateX(-Math.PI / 2);
  return span(g, a, b);
}

/** Equal-leg angle iron of leg size s and thickness t from a to b. */
export function angle(a: Vec3, b: Vec3, s: number, t: number): THREE.BufferGeometry {
  const L = length(a, b);
  const sh = new THREE.Shape();
  sh.moveTo(0, 0);
  sh.lineTo(s, 0);
  sh.lineTo(s, t);
  sh.lineTo(t, t);
  sh.lineTo(t, s);
  sh.lineTo(0, s);
  sh.closePath();
  const g = new THREE.ExtrudeGeometry(sh, { depth: L, bevelEnabled: false });
  g.translate(-s / 2, -s / 2, -L / 2);
  g.rotateX(-Math.PI / 2);
  return span(g, a, b);
}

/** Solid round bar / shaft of diameter d from a to b. */
export function rod(a: Vec3, b: Vec3, d: number, segments = 16): THREE.BufferGeometry {
  return span(new THREE.CylinderGeometry(d / 2, d / 2, length(a, b), segments), a, b);
}

/** Pipe (hollow round tube) of outer diameter od and wall t from a to b. */
export function pipe(a: Vec3, b: Vec3, od: number, t: number, segments = 20): THREE.BufferGeometry {
  const L = length(a, b);
  const ro = od / 2;
  const ri = ro - t;
  const profile = [
    new THREE.Vector2(ri, -L / 2),
    new THREE.Vector2(ro, -L / 2),
    new THREE.Vector2(ro, L / 2),
    new THREE.Vector2(ri, L / 2),
    new THREE.Vector2(ri, -L / 2),
  ];
  return span(new THREE.LatheGeometry(profile, segments), a, b);
}

/** Revolve a [radius, y] profile around Y. */
export function lathe(profile: [number, number][], segments = 24): THREE.BufferGeometry {
  return new THREE.LatheGeometry(profile.map(([r, y]) => new THREE.Vector2(r, y)), segments);
}

/** Flexible hose or wire through the given points. */
export function hose(points: Vec3[], d: number): THREE.BufferGeometry {
  const curve = new THREE.CatmullRomCurve3(points.map((p) => new THREE.Vector3(...p)));
  return new THREE.TubeGeometry(curve, Math.max(12, points.length * 8), d / 2, 8, false);
}

/**
 * Double-acting hydraulic cylinder from the cap-end pin `a` towards the rod-end pin `b`.
 * `stroke` sets the barrel length; the rod fills whatever is left to reach b.
 */
export function hydraulicCylinder(a: Vec3, b: Vec3, bore: number, rodD: number, stroke: number): { barrel: THREE.BufferGeometry; rod: THREE.BufferGeometry } {
  const L = length(a, b);
  const barrelLen = Math.min(stroke + bore * 0.9, L - 60);
  const od = bore + 2 * Math.max(6, bore * 0.08);
  const dir = [(b[0] - a[0]) / L, (b[1] - a[1]) / L, (b[2] - a[2]) / L];
  const at = (s: number): Vec3 => [a[0] + dir[0] * s, a[1] + dir[1] * s, a[2] + dir[2] * s];
  const clevis = (s: number) => span(new THREE.CylinderGeometry(od * 0.32, od * 0.32, 40, 12), at(s - 20), at(s + 20));
  const barrelParts = [
    clevis(20),
    pipe(at(40), at(40 + barrelLen), od, (od - bore) / 2, 24),
    rod(at(34), at(52), od + 8, 24), // cap end
    rod(at(28 + barrelLen), at(46 + barrelLen), od + 8, 24), // gland
    rod(at(80), at(80 + 1), od, 8), // blank so the barrel reads closed
    span(new THREE.CylinderGeometry(9, 9, 22, 10), at(90), at(90 + 22)).translate(0, od / 2, 0), // cap port
    span(new THREE.CylinderGeometry(9, 9, 22, 10), at(barrelLen - 10), at(barrelLen + 12)).translate(0, od / 2, 0), // rod port
  ];
  const rodParts = [rod(at(40 + barrelLen), at(L - 30), rodD, 20), clevis(L - 20)];
  return { barrel: merge(barrelParts), rod: merge(rodParts) };
}

/** Rim + tyre with chevron lugs, axis along X, centred on `at`. */
export function wheel(radius: number, width: number, at: Vec3, lugs = 18): { tyre: THREE.BufferGeometry; rim: THREE.BufferGeometry } {
  const tube = width / 2;
  const torus = new THREE.TorusGeometry(radius - tube - 18, tube, 12, 40);
  torus.scale(1, 1, 1);
  const tyreParts: THREE.BufferGeometry[] = [torus];
  for (let i = 0; i < lugs; i++) {
    const a = (i / lugs) * Math.PI * 2;
    for (const side of [-1, 1]) {
      const lug = new THREE.BoxGeometry(50, 24, width * 0.46);
      lug.rotateY(THREE.MathUtils.degToRad(28 * side));
      lug.translate(0, radius - 16, side * width * 0.24);
      lug.rotateZ(a + (side > 0 ? Math.PI / lugs : 0));
      tyreParts.push(lug);
    }
  }
  const tyre = merge(tyreParts);
  const rimR = radius - width * 0.75 - 18;
  const rim = merge([
    new THREE.CylinderGeometry(rimR, rimR, width * 0.9, 32, 1, true).rotateX(Math.PI / 2),
    new THREE.CylinderGeometry(rimR * 0.95, rimR * 0.95, 8, 32).rotateX(Math.PI / 2),
    new THREE.CylinderGeometry(rimR * 0.35, rimR * 0.35, width * 0.6, 16).rotateX(Math.PI / 2),
  ]);
  for (const g of [tyre, rim]) {
    g.rotateY(Math.PI / 2);
    g.translate(at[0], at[1], at[2]);
  }
  return { tyre, rim };
}

/** Spur gear with trapezoidal teeth (module m, z teeth), a keyed bore, face width `thickness`; axis Z, face at z = 0. */
export function gear(z: number, m: number, thickness: number, bore: number): THREE.BufferGeometry {
  const ra = m * (z / 2 + 1);
  const rf = m * (z / 2 - 1.25);
  const step = (Math.PI * 2) / z;
  const shape = new THREE.Shape();
  for (let i = 0; i < z; i++) {
    const a0 = i * step;
    const pts: [number, number][] = [
      [rf, a0],
      [rf, a0 + step * 0.18],
      [ra, a0 + step * 0.32],
      [ra, a0 + step * 0.58],
      [rf, a0 + step * 0.72],
    ];
    pts.forEach(([r, a], k) => {
      const x = r * Math.cos(a);
      const y = r * Math.sin(a);
      if (i === 0 && k === 0) shape.moveTo(x, y);
      else shape.lineTo(x, y);
    });
  }
  shape.closePath();
  const hole = new THREE.Path();
  const r = bore / 2;
  const key = bore * 0.12;
  const ka = Math.asin(key / r);
  hole.moveTo(r * Math.cos(ka), r * Math.sin(ka));
  hole.absarc(0, 0, r, ka, Math.PI * 2 - ka, false);
  hole.lineTo(r + key, -key);
  hole.lineTo(r + key, key);
  hole.closePath();
  shape.holes.push(hole);
  return new THREE.ExtrudeGeometry(shape, { depth: thickness, bevelEnabled: false, curveSegments: 12 });
}

/** A flat plate part: rounded-rectangle outline with round holes, shared by the 3D model and the DXF drawing. */
export interface PlateSpec {
  name: string;
  width: number;
  height: number;
  cornerRadius: number;
  thickness: number;
  holes: { x: number; y: number; d: number }[];
  /** optional rectangular cut-outs (slots, windows) */
  cutouts?: { x: number; y: number; w: number; h: number }[];
}

export function plate(spec: PlateSpec): THREE.BufferGeometry {
  const { width: w, height: h, cornerRadius: r } = spec;
  const s = new THREE.Shape();
  s.moveTo(r, 0);
  s.lineTo(w - r, 0);
  s.absarc(w - r, r, r, -Math.PI / 2, 0, false);
  s.lineTo(w, h - r);
  s.absarc(w - r, h - r, r, 0, Math.PI / 2, false);
  s.lineTo(r, h);
  s.absarc(r, h - r, r, Math.PI / 2, Math.PI, false);
  s.lineTo(0, r);
  s.absarc(r, r, r, Math.PI, Math.PI * 1.5, false);
  for (const hole of spec.holes) {
    const p = new THREE.Path();
    p.absarc(hole.x, hole.y, hole.d / 2, 0, Math.PI * 2, true);
    s.holes.push(p);
  }
  for (const c of spec.cutouts ?? []) {
    const p = new THREE.Path();
    p.moveTo(c.x, c.y);
    p.lineTo(c.x, c.y + c.h);
    p.lineTo(c.x + c.w, c.y + c.h);
    p.lineTo(c.x + c.w, c.y);
    p.closePath();
    s.holes.push(p);
  }
  return new THREE.ExtrudeGeometry(s, { depth: spec.thickness, bevelEnabled: false, curveSegments: 8 });
}

/** Round disc with holes (flanges, rotors); axis Z, face at z = 0. */
export function disc(d: number, thickness: number, holes: { x: number; y: number; d: number }[], segments = 48): THREE.BufferGeometry {
  const s = new THREE.Shape();
  s.absarc(0, 0, d / 2, 0, Math.PI * 2, false);
  for (const hole of holes) {
    const p = new THREE.Path();
    p.absarc(hole.x, hole.y, hole.d / 2, 0, Math.PI * 2, true);
    s.holes.push(p);
  }
  return new THREE.ExtrudeGeometry(s, { depth: thickness, bevelEnabled: false, curveSegments: segments / 4 });
}

/** NACA 4-digit section (unit chord), closed outline from trailing edge over the top and back. */
function naca(mpxx: string, n = 14): [number, number][] {
  const m = Number(mpxx[0]) / 100;
  const p = Number(mpxx[1]) / 10;
  const t = Number(mpxx.slice(2)) / 100;
  const upper: [number, number][] = [];
  const lower: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const x = (1 - Math.cos((i / n) * Math.PI)) / 2;
    const yt = 5 * t * (0.2969 * Math.sqrt(x) - 0.126 * x - 0.3516 * x ** 2 + 0.2843 * x ** 3 - 0.1036 * x ** 4);
    const yc = x < p ? (m / p ** 2) * (2 * p * x - x ** 2) : (m / (1 - p) ** 2) * (1 - 2 * p + 2 * p * x - x ** 2);
    upper.push([x, yc + yt]);
    lower.push([x, yc - yt]);
  }
  return [...upper.reverse(), ...lower.slice(1, -1)];
}

/**
 * Wind-turbine blade: a NACA 4412 section extruded along +Y from root to tip, tapering
 * from rootChord to tipChord and twisting from twistDeg at the root to 0 at the tip.
 */
export function blade(lengthMm: number, rootChord: number, tipChord: number, twistDeg: number): THREE.BufferGeometry {
  const outline = naca('4412');
  const shape = new THREE.Shape(outline.map(([x, y]) => new THREE.Vector2(x - 0.25, y)));
  const g = new THREE.ExtrudeGeometry(shape, { depth: lengthMm, steps: 16, bevelEnabled: false });
  const pos = g.getAttribute('position');
  for (let i = 0; i < pos.count; i++) {
    const t = pos.getZ(i) / lengthMm;
    const chord = rootChord + (tipChord - rootChord) * t;
    const thick = 1 + 0.6 * (1 - t); // roots are thicker than the section alone, for strength
    const a = THREE.MathUtils.degToRad(twistDeg * (1 - t) ** 1.5);
    const x = pos.getX(i) * chord;
    const y = pos.getY(i) * chord * thick;
    pos.setXYZ(i, x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a), pos.getZ(i));
  }
  pos.needsUpdate = true;
  g.rotateX(-Math.PI / 2); // root at origin, blade along +Y
  return g;
}

/** Helix (screw thread or spring) of wire diameter d around Y, from y0 over `turns` turns. */
export function helix(radius: number, pitch: number, turns: number, d: number, y0 = 0): THREE.BufferGeometry {
  const pts: THREE.Vector3[] = [];
  const n = Math.ceil(turns * 16);
  for (let i = 0; i <= n; i++) {
    const a = (i / n) * turns * Math.PI * 2;
    pts.push(new THREE.Vector3(radius * Math.cos(a), y0 + (a / (Math.PI * 2)) * pitch, radius * Math.sin(a)));
  }
  return new THREE.TubeGeometry(new THREE.CatmullRomCurve3(pts), n, d / 2, 6, false);
}

/** Rectangular frame of tubes along the 12 edges of a box from corner `min` to `max` (tube centre lines). */
export function boxFrame(min: Vec3, max: Vec3, size: number, wall = 3): THREE.BufferGeometry[] {
  const [x0, y0, z0] = min;
  const [x1, y1, z1] = max;
  const out: THREE.BufferGeometry[] = [];
  const h = size / 2;
  for (const y of [y0, y1]) {
    for (const z of [z0, z1]) out.push(rectTube([x0 - h, y, z], [x1 + h, y, z], size, size, wall));
    for (const x of [x0, x1]) out.push(rectTube([x, y, z0 + h], [x, y, z1 - h], size, size, wall));
  }
  for (const x of [x0, x1]) for (const z of [z0, z1]) out.push(rectTube([x, y0 + h, z], [x, y1 - h, z], size, size, wall));
  return out;
}

/** Open square-section funnel (hopper shell) with the given top and bottom widths, centred at `at` (bottom), depth scaled by `aspect`. */
export function funnel(topW: number, bottomW: number, h: number, at: Vec3, aspect = 1): THREE.BufferGeometry {
  const g = new THREE.CylinderGeometry(topW / Math.SQRT2, bottomW / Math.SQRT2, h, 4, 2, true);
  g.rotateY(Math.PI / 4);
  g.scale(1, 1, aspect);
  g.translate(at[0], at[1] + h / 2, at[2]);
  return g;
}
