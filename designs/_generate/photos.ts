// Build photos of the sample machines: a painter's-algorithm SVG render of the assembly on a workshop floor → 800×600 JPEG.
import sharp from 'sharp';
import * as THREE from 'three';
import type { Machine } from './machine.js';

export interface PhotoSpec {
  /** file name under designs/_photos/ */
  name: string;
  /** machine folder and version whose first CAD output (the assembly) is shown */
  folder: string;
  version: string;
  caption: string;
  /** camera azimuth around the machine in degrees, elevation above the floor */
  azimuth: number;
  elevation: number;
  /** workshop wall colour, to tell the workshops apart */
  wall: [number, number, number];
  /** a fake camera GPS fix written as EXIF, so that photo processing can be tested for stripping it */
  gps?: { lat: number; lon: number };
}

export const photoSpecs: PhotoSpec[] = [
  { name: 'gijon-brick-press-1.jpg', folder: '_forks/brick-press-metric', version: '1.1.0', caption: 'Taller Xixón — brick-press-metric 1.1.0, first pressing', azimuth: 35, elevation: 22, wall: [214, 200, 178], gps: { lat: 43.5357, lon: -5.6615 } },
  { name: 'gijon-brick-press-2.jpg', folder: '_forks/brick-press-metric', version: '1.1.0', caption: 'Taller Xixón — chamber and drawer cylinder', azimuth: 120, elevation: 30, wall: [214, 200, 178] },
  { name: 'nairobi-brick-press.jpg', folder: 'brick-press', version: '1.0.0', caption: 'Gearbox Kariobangi, Nairobi — CEB press 1.0.0', azimuth: -40, elevation: 20, wall: [190, 205, 214] },
  { name: 'pune-microtrac.jpg', folder: 'microtrac', version: '1.0.0', caption: 'Pune Makers Farm Lab — MicroTrac on test run', azimuth: 30, elevation: 18, wall: [225, 210, 160] },
  { name: 'missouri-power-unit.jpg', folder: 'power-unit', version: '1.0.0', caption: 'Factor e Farm, Missouri — Power Cube on the bench', azimuth: 40, elevation: 25, wall: [200, 200, 200] },
  { name: 'campinas-wind-turbine.jpg', folder: 'wind-turbine', version: '1.0.0', caption: 'Oficina Solar Campinas — 3.6 m turbine before raising', azimuth: 55, elevation: 12, wall: [188, 214, 196] },
  { name: 'berlin-d3d.jpg', folder: 'd3d-printer', version: '1.0.0', caption: 'Offene Werkstatt Berlin — D3D printer, first layer', azimuth: 30, elevation: 25, wall: [220, 220, 226] },
  { name: 'nairobi-torch-table.jpg', folder: 'torch-table', version: '1.0.0', caption: 'Gearbox Kariobangi, Nairobi — torch table gantry squared', azimuth: 25, elevation: 35, wall: [190, 205, 214] },
];

interface Tri {
  pts: number[];
  depth: number;
  fill: string;
}

const f1 = (n: number): string => (Math.round(n * 10) / 10).toFixed(1);

/** Project every triangle of the parts, flat-shade it and sort far to near. */
function renderMachineSvg(parts: { geometry: THREE.BufferGeometry; color?: [number, number, number] }[], spec: PhotoSpec, box: { x: number; y: number; w: number; h: number }): string {
  const az = THREE.MathUtils.degToRad(spec.azimuth);
  const el = THREE.MathUtils.degToRad(spec.elevation);
  const forward = new THREE.Vector3(-Math.cos(el) * Math.sin(az), -Math.sin(el), -Math.cos(el) * Math.cos(az));
  const right = new THREE.Vector3().crossVectors(forward, new THREE.Vector3(0, 1, 0)).normalize();
  const up = new THREE.Vector3().crossVectors(right, forward).normalize();
  const light = new THREE.Vector3(0.4, 0.8, 0.45).normalize();
  const tris: { p: number[]; depth: number; shade: number; color: [number, number, number] }[] = [];
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  const a = new THREE.Vector3(), b = new THREE.Vector3(), c = new THREE.Vector3(), n = new THREE.Vector3();
  for (const part of parts) {
    const g = part.geometry.index ? part.geometry.toNonIndexed() : part.geometry;
    const pos = g.getAttribute('position');
    for (let i = 0; i + 2 < pos.count; i += 3) {
      a.fromBufferAttribute(pos, i);
      b.fromBufferAttribute(pos, i + 1);
      c.fromBufferAttribute(pos, i + 2);
      n.subVectors(b, a).cross(new THREE.Vector3().subVectors(c, a));
      if (n.lengthSq() === 0) continue;
      n.normalize();
      const shade = 0.35 + 0.65 * Math.abs(n.dot(light));
      const p: number[] = [];
      for (const v of [a, b, c]) {
        const sx = v.dot(right);
        const sy = -v.dot(up);
        p.push(sx, sy);
        minX = Math.min(minX, sx); maxX = Math.max(maxX, sx);
        minY = Math.min(minY, sy); maxY = Math.max(maxY, sy);
      }
      tris.push({ p, depth: (a.dot(forward) + b.dot(forward) + c.dot(forward)) / 3, shade, color: part.color ?? [0.6, 0.62, 0.66] });
    }
  }
  const scale = Math.min(box.w / (maxX - minX), box.h / (maxY - minY));
  const ox = box.x + (box.w - (maxX - minX) * scale) / 2 - minX * scale;
  const oy = box.y + (box.h - (maxY - minY) * scale) - minY * scale;
  const out: Tri[] = tris.map((t) => ({
    pts: t.p.map((v, k) => (k % 2 === 0 ? ox + v * scale : oy + v * scale)),
    depth: t.depth,
    fill: `rgb(${t.color.map((ch) => Math.round(Math.min(1, ch * t.shade) * 255)).join(',')})`,
  }));
  out.sort((p, q) => q.depth - p.depth);
  return out
    .map((t) => `<polygon points="${f1(t.pts[0])},${f1(t.pts[1])} ${f1(t.pts[2])},${f1(t.pts[3])} ${f1(t.pts[4])},${f1(t.pts[5])}" fill="${t.fill}" stroke="${t.fill}" stroke-width="0.6"/>`)
    .join('');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Degrees → EXIF rational triple "d/1 m/1 s/100". */
function dms(deg: number): string {
  const v = Math.abs(deg);
  const d = Math.floor(v);
  const m = Math.floor((v - d) * 60);
  const s = Math.round(((v - d) * 60 - m) * 60 * 100);
  return `${d}/1 ${m}/1 ${s}/100`;
}

export async function renderPhoto(machine: Machine, spec: PhotoSpec): Promise<Buffer> {
  const build = machine.versions[spec.version];
  if (!build) throw new Error(`photo ${spec.name}: ${machine.folder} has no version ${spec.version}`);
  const assembly = build().cad[0];
  const [wr, wg, wb] = spec.wall;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 800 600">
<defs>
<linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="rgb(${wr - 40},${wg - 40},${wb - 40})"/><stop offset="1" stop-color="rgb(${wr},${wg},${wb})"/></linearGradient>
<linearGradient id="floor" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8a8580"/><stop offset="1" stop-color="#b7b1a8"/></linearGradient>
<radialGradient id="shadow"><stop offset="0" stop-color="#000" stop-opacity="0.35"/><stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient>
</defs>
<rect width="800" height="330" fill="url(#wall)"/>
<rect y="330" width="800" height="270" fill="url(#floor)"/>
<path d="M0 330 L800 330" stroke="#6d6860" stroke-width="3"/>
<path d="M120 600 L330 330 M680 600 L470 330 M0 450 L800 450" stroke="#9c968d" stroke-width="1.5"/>
<rect x="40" y="60" width="150" height="90" fill="#f2efe6" stroke="#7a746a"/><path d="M55 80 h120 M55 100 h90 M55 120 h110" stroke="#9a948a" stroke-width="4"/>
<ellipse cx="400" cy="505" rx="300" ry="48" fill="url(#shadow)"/>
${renderMachineSvg(assembly.parts, spec, { x: 90, y: 70, w: 620, h: 440 })}
<rect y="556" width="800" height="44" fill="#000" fill-opacity="0.55"/>
<text x="16" y="585" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="19" fill="#fff">${escapeXml(spec.caption)}</text>
</svg>`;
  let img = sharp(Buffer.from(svg), { density: 72 }).resize(800, 600).flatten({ background: '#ffffff' }).jpeg({ quality: 78, mozjpeg: true });
  if (spec.gps) {
    img = img.withExif({
      IFD0: { Make: 'Andecha', Model: 'Sample generator', Software: 'designs/_generate/photos.ts' },
      IFD3: {
        GPSLatitudeRef: spec.gps.lat >= 0 ? 'N' : 'S',
        GPSLatitude: dms(spec.gps.lat),
        GPSLongitudeRef: spec.gps.lon >= 0 ? 'E' : 'W',
        GPSLongitude: dms(spec.gps.lon),
      },
    });
  }
  return img.toBuffer();
}

export async function generatePhotos(machines: Machine[]): Promise<{ name: string; jpeg: Buffer }[]> {
  const out: { name: string; jpeg: Buffer }[] = [];
  for (const spec of photoSpecs) {
    const machine = machines.find((m) => m.folder === spec.folder);
    if (!machine) throw new Error(`photo ${spec.name}: no machine in ${spec.folder}`);
    out.push({ name: spec.name, jpeg: await renderPhoto(machine, spec) });
  }
  return out;
}
