// Cider press: a steel H-frame basket press with a square-thread screw, and a hand-cranked apple grinder beside it.
import * as THREE from 'three';
import { DxfDrawing } from './dxf.js';
import type { Machine } from './machine.js';
import { box, colours, funnel, helix, lathe, part, rectTube, rod, type Part } from './shapes.js';

const BASKET_R = 210;
const BASKET_H = 420;
const TRAY_Y = 300;
const BEAM_Y = 1250;
const PLATE_D = 400;

function frameParts(): Part[] {
  const g: THREE.BufferGeometry[] = [];
  for (const x of [-380, 380]) {
    g.push(rectTube([x, 0, 0], [x, BEAM_Y + 40, 0], 80, 80, 4));
    g.push(rectTube([x, 25, -300], [x, 25, 300], 50, 50, 3)); // feet
    for (const z of [-1, 1]) g.push(rectTube([x, 25, z * 280], [x, 400, z * 20], 40, 40, 3)); // braces
  }
  g.push(rectTube([-420, BEAM_Y, 0], [420, BEAM_Y, 0], 120, 80, 5)); // top beam
  g.push(rectTube([-420, TRAY_Y - 60, 0], [420, TRAY_Y - 60, 0], 120, 80, 5)); // base beam
  g.push(rod([0, BEAM_Y - 40, 0], [0, BEAM_Y + 40, 0], 90, 24)); // screw nut boss
  return [part('press frame', g, colours.paintRed)];
}

function basketParts(): Part[] {
  const tray = lathe([[0, 0], [330, 0], [330, 50], [320, 50], [320, 10], [0, 10]], 40).translate(0, TRAY_Y, 0);
  const spout = rod([300, TRAY_Y + 15, 0], [420, TRAY_Y + 5, 0], 40, 12);
  const staves: THREE.BufferGeometry[] = [];
  const n = 24;
  for (let i = 0; i < n; i++) {
    const a = (i / n) * Math.PI * 2;
    const s = new THREE.BoxGeometry(40, BASKET_H, 22);
    s.translate(0, TRAY_Y + 12 + BASKET_H / 2, BASKET_R);
    s.rotateY(a);
    staves.push(s);
  }
  const hoops = [0.2, 0.8].map((f) => new THREE.TorusGeometry(BASKET_R + 14, 5, 6, 40).rotateX(Math.PI / 2).translate(0, TRAY_Y + 12 + BASKET_H * f, 0));
  const pomace = [new THREE.CylinderGeometry(BASKET_R - 12, BASKET_R - 12, 260, 32).translate(0, TRAY_Y + 12 + 130, 0)];
  return [part('juice tray', [tray, spout], colours.chrome), part('basket staves (oak)', staves, colours.wood), part('basket hoops', hoops, colours.black), part('pomace in cloths', pomace, colours.paintYellow)];
}

function screwParts(): Part[] {
  const top = TRAY_Y + 12 + 260;
  const plateG = lathe([[0, 0], [PLATE_D / 2, 0], [PLATE_D / 2, 45], [0, 45]], 40).translate(0, top, 0);
  const blocks: THREE.BufferGeometry[] = [box(260, 90, 90, [0, top + 90, 0]), box(90, 90, 260, [0, top + 180, 0])];
  const shaft = rod([0, top + 225, 0], [0, BEAM_Y + 260, 0], 40, 16);
  const thread = helix(22, 12, (BEAM_Y + 200 - (top + 260)) / 12, 7, top + 260);
  const bar = [rod([-450, BEAM_Y + 240, 0], [450, BEAM_Y + 240, 0], 28, 12), rod([0, BEAM_Y + 200, 0], [0, BEAM_Y + 280, 0], 70, 16)];
  return [part('pressing plate and blocks', [plateG, ...blocks], colours.wood), part('screw', [shaft, thread], colours.steel), part('tommy bar', bar, colours.steel)];
}

function grinderParts(): Part[] {
  const ox = 1000;
  const legs: THREE.BufferGeometry[] = [];
  for (const x of [-200, 200]) for (const z of [-180, 180]) legs.push(rectTube([ox + x, 0, z], [ox + x * 0.9, 720, z * 0.9], 40, 40, 3));
  legs.push(rectTube([ox - 200, 150, -180], [ox + 200, 150, -180], 40, 40, 3), rectTube([ox - 200, 150, 180], [ox + 200, 150, 180], 40, 40, 3));
  const housing = [box(380, 220, 340, [ox, 800, 0])];
  const hopper = funnel(520, 300, 300, [ox, 910, 0], 1);
  const drum = rod([ox, 800, -150], [ox, 800, 150], 160, 28);
  drum.rotateX(0);
  const teeth: THREE.BufferGeometry[] = [];
  for (let i = 0; i < 12; i++) {
    const a = (i / 12) * Math.PI * 2;
    for (let k = 0; k < 5; k++) teeth.push(rod([ox + 80 * Math.cos(a), 800 + 80 * Math.sin(a), -120 + k * 60], [ox + 92 * Math.cos(a), 800 + 92 * Math.sin(a), -120 + k * 60], 8, 6));
  }
  const crank = [rod([ox, 800, -170], [ox, 800, -260], 30), box(30, 300, 20, [ox, 920, -260]), rod([ox, 1060, -260], [ox, 1060, -380], 32)];
  const flywheel = lathe([[150, -20], [200, -20], [200, 20], [150, 20], [150, -20]], 32).rotateX(Math.PI / 2).translate(ox, 800, 230);
  return [
    part('grinder stand', legs, colours.paintRed),
    part('grinder housing', [...housing, hopper], colours.chrome),
    part('grater drum', [drum, ...teeth], colours.steel),
    part('crank and flywheel', [...crank, flywheel], colours.black),
  ];
}

/** Pressing plate of 18 mm plywood: disc outline, a drain-groove ring as an ARC pair, handle holes. */
function pressingPlateDrawing(): string {
  const d = new DxfDrawing();
  const r = PLATE_D / 2;
  d.polyline([{ x: -r, y: 0, bulge: 1 }, { x: r, y: 0, bulge: 1 }], true, 'CUT');
  d.circle([0, 0], 22, 'HOLES');
  for (const x of [-120, 120]) d.circle([x, 0], 15, 'HOLES');
  d.arc([0, 0], r - 30, 10, 170, 'ROUTE');
  d.arc([0, 0], r - 30, 190, 350, 'ROUTE');
  for (const a of [0, 90, 180, 270]) {
    const c = Math.cos((a * Math.PI) / 180);
    const s = Math.sin((a * Math.PI) / 180);
    d.line([c * 40, s * 40], [c * (r - 45), s * (r - 45)], 'ROUTE');
  }
  d.dimension([-r, 0], [r, 0], [0, -r - 30]);
  d.text([-r, r + 20], 12, `PRESSING PLATE  D${PLATE_D}  food-safe birch plywood 18 mm  grooves 6 deep`);
  return d.toString();
}

export const ciderPress: Machine = {
  folder: 'cider-press',
  versions: {
    '1.0.0': () => {
      const frame = frameParts();
      const grinder = grinderParts();
      return {
        cad: [
          { path: 'cad/cider-press.glb', format: 'glb', parts: [...frame, ...basketParts(), ...screwParts(), ...grinder] },
          { path: 'cad/frame.stl', format: 'stl', parts: frame },
          { path: 'cad/grinder.obj', format: 'obj', parts: grinder },
        ],
        drawings: [{ path: 'drawings/pressing-plate.dxf', dxf: pressingPlateDrawing() }],
      };
    },
  },
};
