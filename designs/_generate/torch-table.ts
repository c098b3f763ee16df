// CNC torch table: 4 × 8 ft slat bed over a water tray, gantry on V-rails, Z carriage with a plasma torch.
import * as THREE from 'three';
import { plateDrawing } from './dxf.js';
import type { Machine } from './machine.js';
import { angle, box, colours, hose, part, plate, rectTube, rod, type Part, type PlateSpec } from './shapes.js';

const LEN = 2700; // along X
const WID = 1500; // along Z
const TOP = 850;
const GANTRY_X = 300;

export const gantrySidePlate: PlateSpec = {
  name: 'gantry side plate',
  width: 260,
  height: 220,
  cornerRadius: 15,
  thickness: 9.5,
  holes: [
    { x: 40, y: 40, d: 12.2 },
    { x: 220, y: 40, d: 12.2 },
    { x: 130, y: 40, d: 12.2 },
    { x: 60, y: 170, d: 6.6 },
    { x: 200, y: 170, d: 6.6 },
    { x: 60, y: 130, d: 6.6 },
    { x: 200, y: 130, d: 6.6 },
  ],
  cutouts: [{ x: 105, y: 120, w: 50, h: 50 }],
};

function tableParts(): Part[] {
  const g: THREE.BufferGeometry[] = [];
  const hx = LEN / 2 - 25;
  const hz = WID / 2 - 25;
  for (const x of [-hx, 0, hx]) for (const z of [-hz, hz]) g.push(rectTube([x, 0, z], [x, TOP - 25, z], 50.8, 50.8, 3.2));
  for (const y of [TOP - 25, 150]) {
    for (const z of [-hz, hz]) g.push(rectTube([-hx - 25, y, z], [hx + 25, y, z], 50.8, 50.8, 3.2));
    for (const x of [-hx, hx]) g.push(rectTube([x, y, -hz + 25], [x, y, hz - 25], 50.8, 50.8, 3.2));
  }
  g.push(rectTube([0, 150, -hz + 25], [0, 150, hz - 25], 50.8, 50.8, 3.2));
  // rail supports: angles along both long sides
  for (const z of [-hz - 40, hz + 40]) g.push(angle([-hx - 25, TOP + 20, z], [hx + 25, TOP + 20, z], 50.8, 6.35));
  return [part('table frame', g, colours.black)];
}

function bedParts(): Part[] {
  const tray = [box(LEN - 120, 8, WID - 120, [0, TOP - 140, 0])];
  for (const z of [-1, 1]) tray.push(box(LEN - 120, 140, 4, [0, TOP - 75, z * (WID / 2 - 62)]));
  for (const x of [-1, 1]) tray.push(box(4, 140, WID - 120, [x * (LEN / 2 - 62), TOP - 75, 0]));
  const water = [box(LEN - 130, 4, WID - 130, [0, TOP - 60, 0])];
  const slats: THREE.BufferGeometry[] = [];
  for (let x = -LEN / 2 + 120; x <= LEN / 2 - 120; x += 100) slats.push(box(3, 60, WID - 140, [x, TOP - 20, 0]));
  return [part('water tray', tray, colours.steel), part('water', water, colours.glass), part('slats', slats, colours.steel)];
}

function gantryParts(): Part[] {
  const y = TOP + 150;
  const beam = [rectTube([GANTRY_X, y + 60, -WID / 2 - 40], [GANTRY_X, y + 60, WID / 2 + 40], 101.6, 50.8, 3.2)];
  const sides = [-1, 1].map((s) => {
    const g = plate(gantrySidePlate);
    g.translate(GANTRY_X - 130, TOP - 10, s * (WID / 2 + 70) - 4.75);
    return g;
  });
  const rollers: THREE.BufferGeometry[] = [];
  for (const s of [-1, 1]) for (const dx of [-90, 90]) rollers.push(rod([GANTRY_X + dx, TOP + 30, s * (WID / 2 + 60)], [GANTRY_X + dx, TOP + 30, s * (WID / 2 + 30)], 40, 16));
  const motors: THREE.BufferGeometry[] = [];
  for (const s of [-1, 1]) motors.push(box(57, 57, 76, [GANTRY_X + 60, TOP + 140, s * (WID / 2 + 110)]));
  motors.push(box(57, 76, 57, [GANTRY_X + 90, y + 150, 200]));
  const zCarriage = [box(20, 180, 150, [GANTRY_X - 65, y + 30, 200])];
  const torch = [rod([GANTRY_X - 110, y + 140, 200], [GANTRY_X - 110, TOP + 20, 200], 32, 16), rod([GANTRY_X - 110, y + 20, 200], [GANTRY_X - 110, y + 60, 200], 60, 16)];
  const nozzle = new THREE.CylinderGeometry(16, 6, 25, 16).translate(GANTRY_X - 110, TOP + 8, 200);
  const lead = hose([[GANTRY_X - 110, y + 140, 200], [GANTRY_X - 60, y + 300, 0], [GANTRY_X, y + 260, -WID / 2 - 100], [GANTRY_X - 400, TOP - 200, -WID / 2 - 150]], 20);
  return [
    part('gantry beam', beam, colours.aluminium),
    part('gantry side plates', sides, colours.paintRed),
    part('V-groove rollers', rollers, colours.black),
    part('stepper motors', motors, colours.black),
    part('z carriage', zCarriage, colours.paintRed),
    part('plasma torch', [...torch, nozzle], colours.black),
    part('torch lead', lead, colours.rubber),
  ];
}

export const torchTable: Machine = {
  folder: 'torch-table',
  versions: {
    '1.0.0': () => {
      const frame = tableParts();
      const gantry = gantryParts();
      const extras = [
        part('control box', [box(300, 400, 200, [-LEN / 2 - 170, 900, 0])], colours.paintBlue),
        part('plasma cutter', [box(480, 300, 220, [-LEN / 2 + 300, 150, -WID / 2 - 300]), rod([-LEN / 2 + 180, 330, -WID / 2 - 300], [-LEN / 2 + 420, 330, -WID / 2 - 300], 25)], colours.paintRed),
      ];
      return {
        cad: [
          { path: 'cad/torch-table.glb', format: 'glb', parts: [...frame, ...bedParts(), ...gantry, ...extras] },
          { path: 'cad/table-frame.stl', format: 'stl', parts: frame },
          { path: 'cad/gantry.obj', format: 'obj', parts: gantry.filter((p) => p.name !== 'torch lead') },
        ],
        drawings: [{ path: 'drawings/gantry-side-plate.dxf', dxf: plateDrawing(gantrySidePlate, 'ASTM A36 plate 3/8in') }],
      };
    },
  },
};
