// Horizontal-axis wind generator (axial-flux alternator after Hugh Piggott): blades, hub, alternator, yaw, tail, tower top.
import * as THREE from 'three';
import { DxfDrawing } from './dxf.js';
import type { Machine, VersionOutput } from './machine.js';
import { blade, box, colours, disc, part, pipe, plate, rectTube, rod, type Part } from './shapes.js';

interface TurbineParams {
  bladeLength: number;
  rootChord: number;
  tipChord: number;
  twist: number;
  magnets: number;
  rotorDiameter: number;
  coils: number;
  tailVane: [number, number];
}

const TOWER_TOP = 3000; // top section only; the full guyed tower is 12 m
const HUB_X = 420; // rotor plane, upwind of the yaw axis

function rotorDiscHoles(p: TurbineParams): { x: number; y: number; d: number }[] {
  const holes = [{ x: 0, y: 0, d: 52 }];
  for (let i = 0; i < 4; i++) {
    const a = (i / 4) * Math.PI * 2 + Math.PI / 4;
    holes.push({ x: Math.round(60 * Math.cos(a) * 100) / 100, y: Math.round(60 * Math.sin(a) * 100) / 100, d: 12.5 });
  }
  for (let i = 0; i < 3; i++) {
    const a = (i / 3) * Math.PI * 2;
    holes.push({ x: Math.round((p.rotorDiameter / 2 - 20) * Math.cos(a) * 100) / 100, y: Math.round((p.rotorDiameter / 2 - 20) * Math.sin(a) * 100) / 100, d: 12.5 });
  }
  return holes;
}

/** Alternator along X: two magnet rotors either side of a resin stator with coils, on a spindle. */
function alternatorParts(p: TurbineParams): Part[] {
  const y = TOWER_TOP + 380;
  const r = p.rotorDiameter / 2;
  const discs: THREE.BufferGeometry[] = [];
  const magnets: THREE.BufferGeometry[] = [];
  for (const x of [HUB_X - 160, HUB_X - 60]) {
    const d = disc(p.rotorDiameter, 10, rotorDiscHoles(p), 64);
    d.rotateY(Math.PI / 2);
    d.translate(x, y, 0);
    discs.push(d);
    for (let i = 0; i < p.magnets; i++) {
      const a = (i / p.magnets) * Math.PI * 2;
      const m = new THREE.BoxGeometry(10, 46, 30);
      m.translate(0, r - 45, 0);
      m.rotateX(a);
      m.translate(x + (x < HUB_X - 100 ? 10 : -10), y, 0);
      magnets.push(m);
    }
  }
  const stator = new THREE.CylinderGeometry(r + 40, r + 40, 13, 48);
  stator.rotateZ(Math.PI / 2);
  stator.translate(HUB_X - 110, y, 0);
  const coils: THREE.BufferGeometry[] = [];
  for (let i = 0; i < p.coils; i++) {
    const a = (i / p.coils) * Math.PI * 2;
    const c = new THREE.TorusGeometry(28, 10, 6, 16);
    c.scale(1, 1.4, 0.6);
    c.rotateY(Math.PI / 2);
    c.translate(0, r - 45, 0);
    c.rotateX(a);
    c.translate(HUB_X - 110, y, 0);
    coils.push(c);
  }
  const spindle = [rod([HUB_X - 300, y, 0], [HUB_X + 40, y, 0], 40), box(60, 380, 60, [HUB_X - 300, y - 180, 0])];
  const studs: THREE.BufferGeometry[] = [];
  for (let i = 0; i < 3; i++) {
    const a = (i / 3) * Math.PI * 2;
    studs.push(rod([HUB_X - 240, y + (r + 20) * Math.sin(a), (r + 20) * Math.cos(a)], [HUB_X - 100, y + (r + 20) * Math.sin(a), (r + 20) * Math.cos(a)], 12, 8));
  }
  return [
    part('magnet rotors', discs, colours.steel),
    part('magnets N42', magnets, colours.black),
    part('stator', stator, colours.glass),
    part('coils', coils, colours.copper),
    part('spindle and bracket', [...spindle, ...studs], colours.paintBlue),
  ];
}

function bladeParts(p: TurbineParams): { blades: Part[]; hub: Part[] } {
  const y = TOWER_TOP + 380;
  const blades: THREE.BufferGeometry[] = [];
  for (let i = 0; i < 3; i++) {
    const b = blade(p.bladeLength, p.rootChord, p.tipChord, p.twist);
    b.rotateY(Math.PI / 2); // chord across the rotor plane
    b.translate(0, 140, 0);
    b.rotateX((i / 3) * Math.PI * 2);
    b.translate(HUB_X + 30, y, 0);
    blades.push(b);
  }
  const hubPlates = [0, 1].map((k) => {
    const d = disc(360, 12, [{ x: 0, y: 0, d: 52 }], 48);
    d.rotateY(Math.PI / 2);
    d.translate(HUB_X + k * 60, y, 0);
    return d;
  });
  const nose = new THREE.LatheGeometry([[0, 160], [60, 150], [110, 100], [140, 30], [150, 0]].map(([a, b]) => new THREE.Vector2(a, b)), 24);
  nose.rotateZ(-Math.PI / 2);
  nose.translate(HUB_X + 75, y, 0);
  return { blades: [part('blades', blades, colours.wood)], hub: [part('hub plates', hubPlates, colours.wood), part('nose cone', nose, colours.white)] };
}

function towerAndTailParts(p: TurbineParams): Part[] {
  const tower = [pipe([0, 0, 0], [0, TOWER_TOP, 0], 114.3, 6), box(300, 12, 300, [0, 6, 0])];
  for (const a of [0, 120, 240]) {
    const t = new THREE.BoxGeometry(80, 60, 8);
    t.translate(90, TOWER_TOP - 200, 0);
    t.rotateY(THREE.MathUtils.degToRad(a));
    tower.push(t);
  }
  const yaw = [pipe([0, TOWER_TOP - 50, 0], [0, TOWER_TOP + 300, 0], 88.9, 5.5), box(200, 10, 200, [0, TOWER_TOP + 300, 0])];
  const tailStart: [number, number, number] = [-40, TOWER_TOP + 260, 0];
  const tailEnd: [number, number, number] = [-1900, TOWER_TOP + 560, 0];
  const boom = [rectTube(tailStart, tailEnd, 50.8, 50.8, 3.2), rod([-60, TOWER_TOP + 120, 0], [-60, TOWER_TOP + 320, 0], 48)];
  const [vw, vh] = p.tailVane;
  const vane = plate({ name: 'tail vane', width: vw, height: vh, cornerRadius: 60, thickness: 12, holes: [] });
  vane.translate(-1600 - vw / 2 + 200, TOWER_TOP + 300, -6);
  return [part('tower top section', tower, colours.steel), part('yaw bearing', yaw, colours.paintBlue), part('tail boom', boom, colours.paintBlue), part('tail vane', vane, colours.wood)];
}

function rotorDrawing(p: TurbineParams): string {
  const d = new DxfDrawing();
  const r = p.rotorDiameter / 2;
  // a full circle as a closed LWPOLYLINE of two half-circle bulges, so it cuts as one path
  d.polyline([{ x: -r, y: 0, bulge: 1 }, { x: r, y: 0, bulge: 1 }], true, 'CUT');
  for (const h of rotorDiscHoles(p)) d.circle([h.x, h.y], h.d / 2, 'HOLES');
  // magnet positions, scribed not cut
  for (let i = 0; i < p.magnets; i++) {
    const a = (i / p.magnets) * Math.PI * 2;
    const c = [Math.cos(a), Math.sin(a)];
    const t = [-Math.sin(a), Math.cos(a)];
    const rr = [r - 68, r - 22];
    const pts = [
      [rr[0] * c[0] - 15 * t[0], rr[0] * c[1] - 15 * t[1]],
      [rr[1] * c[0] - 15 * t[0], rr[1] * c[1] - 15 * t[1]],
      [rr[1] * c[0] + 15 * t[0], rr[1] * c[1] + 15 * t[1]],
      [rr[0] * c[0] + 15 * t[0], rr[0] * c[1] + 15 * t[1]],
    ].map(([x, y]) => ({ x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100 }));
    d.polyline(pts, true, 'SCRIBE');
  }
  d.arc([0, 0], r - 80, 0, 360 / p.magnets, 'SCRIBE');
  d.line([-r - 10, 0], [r + 10, 0], 'DIM');
  d.line([0, -r - 10], [0, r + 10], 'DIM');
  d.dimension([-r, 0], [r, 0], [0, -r - 30]);
  d.text([-r, r + 20], 12, `MAGNET ROTOR DISC  D${p.rotorDiameter}  S235 / ASTM A36 10 mm  ${p.magnets} x N42 46x30x10`);
  return d.toString();
}

function buildTurbine(p: TurbineParams): VersionOutput {
  const alt = alternatorParts(p);
  const rotor = bladeParts(p);
  const rest = towerAndTailParts(p);
  const singleBlade = blade(p.bladeLength, p.rootChord, p.tipChord, p.twist);
  return {
    cad: [
      { path: 'cad/wind-turbine.glb', format: 'glb', parts: [...rotor.blades, ...rotor.hub, ...alt, ...rest] },
      { path: 'cad/blade.stl', format: 'stl', parts: [part('blade', singleBlade, colours.wood)] },
      { path: 'cad/alternator.3mf', format: '3mf', parts: [...alt, ...rotor.hub] },
      { path: 'cad/tail-vane.obj', format: 'obj', parts: rest.filter((x) => x.name.startsWith('tail')) },
    ],
    drawings: [{ path: 'drawings/magnet-rotor.dxf', dxf: rotorDrawing(p) }],
  };
}

export const windTurbine: Machine = {
  folder: 'wind-turbine',
  versions: {
    '0.9.0': () => buildTurbine({ bladeLength: 1200, rootChord: 200, tipChord: 70, twist: 22, magnets: 12, rotorDiameter: 350, coils: 9, tailVane: [800, 500] }),
    '1.0.0': () => buildTurbine({ bladeLength: 1650, rootChord: 230, tipChord: 75, twist: 24, magnets: 16, rotorDiameter: 400, coils: 12, tailVane: [1000, 600] }),
  },
};
