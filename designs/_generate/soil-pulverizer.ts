// Soil pulverizer: a hydraulic-motor-driven tined rotor under a hopper, breaking clods for the brick press.
import * as THREE from 'three';
import { plateDrawing } from './dxf.js';
import type { Machine } from './machine.js';
import { box, colours, funnel, hose, part, pipe, plate, rectTube, rod, type Part, type PlateSpec } from './shapes.js';

const ROTOR_Y = 520;
const ROTOR_LEN = 1000;

export const tinePlate: PlateSpec = {
  name: 'tine',
  width: 150,
  height: 50,
  cornerRadius: 8,
  thickness: 12.7,
  holes: [
    { x: 25, y: 25, d: 13.5 },
    { x: 60, y: 25, d: 13.5 },
  ],
};

function rotorParts(): Part[] {
  const shaft = [rod([0, ROTOR_Y, -ROTOR_LEN / 2 - 120], [0, ROTOR_Y, ROTOR_LEN / 2 + 120], 50.8, 20)];
  const drum = [pipe([0, ROTOR_Y, -ROTOR_LEN / 2], [0, ROTOR_Y, ROTOR_LEN / 2], 168.3, 7.1, 28)];
  const tines: THREE.BufferGeometry[] = [];
  const rows = 6;
  const perRow = 10;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < perRow; k++) {
      // a helical pattern so that only one tine strikes at a time
      const a = (r / rows) * Math.PI * 2 + (k / perRow) * (Math.PI * 2 / rows);
      const g = plate(tinePlate);
      g.translate(-25, -25, -tinePlate.thickness / 2);
      g.rotateZ(Math.PI / 2);
      g.translate(0, 84 + 10, 0);
      g.rotateZ(a);
      g.translate(0, ROTOR_Y, -ROTOR_LEN / 2 + 50 + k * ((ROTOR_LEN - 100) / (perRow - 1)));
      tines.push(g);
    }
  }
  const bearings = [-1, 1].map((s) => box(90, 120, 60, [0, ROTOR_Y, s * (ROTOR_LEN / 2 + 80)]));
  return [part('rotor shaft', shaft, colours.steel), part('rotor drum', drum, colours.steel), part('tines', tines, colours.chrome), part('pillow block bearings', bearings, colours.black)];
}

function bodyParts(): Part[] {
  const frame: THREE.BufferGeometry[] = [];
  const xs = [-400, 400];
  const zs = [-ROTOR_LEN / 2 - 150, ROTOR_LEN / 2 + 150];
  for (const x of xs) for (const z of zs) frame.push(rectTube([x, 0, z], [x, 1000, z], 50.8, 50.8, 4.8));
  for (const y of [60, ROTOR_Y - 60, 1000]) {
    for (const x of xs) frame.push(rectTube([x, y, zs[0] - 25], [x, y, zs[1] + 25], 50.8, 50.8, 4.8));
    for (const z of zs) frame.push(rectTube([xs[0] + 25, y, z], [xs[1] - 25, y, z], 50.8, 50.8, 4.8));
  }
  // bearing shelves
  for (const z of zs) frame.push(rectTube([-400, ROTOR_Y - 90, z], [400, ROTOR_Y - 90, z], 50.8, 50.8, 4.8));
  // housing: a half shell over the rotor plus end plates
  const shell = new THREE.CylinderGeometry(300, 300, ROTOR_LEN + 40, 32, 1, true, -Math.PI / 2, Math.PI);
  shell.rotateX(Math.PI / 2);
  shell.rotateZ(Math.PI / 2);
  shell.translate(0, ROTOR_Y, 0);
  const ends = [-1, 1].map((s) => box(620, 360, 6, [0, ROTOR_Y + 120, s * (ROTOR_LEN / 2 + 23)]));
  const hopper = funnel(900, 560, 380, [0, ROTOR_Y + 260, 0], 1.3);
  // screen under the rotor: round bars, 25 mm gaps
  const screen: THREE.BufferGeometry[] = [];
  for (let i = -6; i <= 6; i++) {
    const a = (i / 14) * Math.PI * 0.9;
    screen.push(rod([310 * Math.sin(a), ROTOR_Y - 310 * Math.cos(a), -ROTOR_LEN / 2], [310 * Math.sin(a), ROTOR_Y - 310 * Math.cos(a), ROTOR_LEN / 2], 16, 8));
  }
  // quick-attach plate on the tractor side
  const qa = plate({ name: 'quick attach', width: 900, height: 560, cornerRadius: 20, thickness: 12.7, holes: [{ x: 120, y: 100, d: 26 }, { x: 780, y: 100, d: 26 }], cutouts: [{ x: 60, y: 400, w: 180, h: 90 }, { x: 660, y: 400, w: 180, h: 90 }] });
  qa.rotateY(Math.PI / 2);
  qa.translate(-430, 200, 450);
  const motor = [rod([0, ROTOR_Y, ROTOR_LEN / 2 + 130], [0, ROTOR_Y, ROTOR_LEN / 2 + 260], 130, 24), box(160, 160, 14, [0, ROTOR_Y, ROTOR_LEN / 2 + 130])];
  const hoses = [
    hose([[40, ROTOR_Y + 50, ROTOR_LEN / 2 + 220], [-200, ROTOR_Y + 250, ROTOR_LEN / 2 + 300], [-430, 650, 300]], 19),
    hose([[-40, ROTOR_Y + 50, ROTOR_LEN / 2 + 220], [-250, ROTOR_Y + 150, ROTOR_LEN / 2 + 250], [-430, 600, 260]], 19),
  ];
  return [
    part('frame', frame, colours.paintYellow),
    part('rotor housing', [shell, ...ends], colours.paintGreen),
    part('hopper', hopper, colours.paintGreen),
    part('screen', screen, colours.steel),
    part('quick-attach plate', qa, colours.paintYellow),
    part('hydraulic motor', motor, colours.black),
    part('hoses', hoses, colours.rubber),
  ];
}

export const soilPulverizer: Machine = {
  folder: 'soil-pulverizer',
  versions: {
    '1.0.0': () => {
      const rotor = rotorParts();
      return {
        cad: [
          { path: 'cad/soil-pulverizer.glb', format: 'glb', parts: [...bodyParts(), ...rotor] },
          { path: 'cad/rotor.stl', format: 'stl', parts: rotor },
        ],
        drawings: [{ path: 'drawings/tine.dxf', dxf: plateDrawing(tinePlate, 'AR400 wear plate 1/2in') }],
      };
    },
  },
};
