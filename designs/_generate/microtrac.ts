// MicroTrac: a small four-wheel-drive hydraulic tractor with a removable power cube, skid steering and a quick-attach plate.
import * as THREE from 'three';
import { plateDrawing } from './dxf.js';
import type { Machine } from './machine.js';
import { powerCubeParts } from './power-unit.js';
import { box, colours, hose, part, plate, rectTube, rod, wheel, type Part, type PlateSpec } from './shapes.js';

const TUBE = 101.6; // 4 in square tube
const WHEEL_R = 330;
const AXLE_Y = WHEEL_R;
const RAIL_Y = 420;

export const cubeMountPlate: PlateSpec = {
  name: 'power cube mount plate',
  width: 300,
  height: 200,
  cornerRadius: 20,
  thickness: 12.7,
  holes: [
    { x: 40, y: 40, d: 21 },
    { x: 260, y: 40, d: 21 },
    { x: 40, y: 160, d: 21 },
    { x: 260, y: 160, d: 21 },
    { x: 150, y: 100, d: 33 },
  ],
  cutouts: [{ x: 110, y: 160, w: 80, h: 20 }],
};

function chassisParts(): Part[] {
  const h = TUBE / 2;
  const g: THREE.BufferGeometry[] = [];
  for (const z of [-420, 420]) g.push(rectTube([-800, RAIL_Y, z], [800, RAIL_Y, z], TUBE, TUBE, 6.35));
  for (const x of [-750, -50, 750]) g.push(rectTube([x, RAIL_Y, -420 + h], [x, RAIL_Y, 420 - h], TUBE, TUBE, 6.35));
  // wheel motor mounts: plates hanging below the rails
  for (const x of [-560, 560]) for (const z of [-420, 420]) g.push(box(220, 180, 16, [x, AXLE_Y + 20, z + Math.sign(z) * 60]));
  // quick-attach plate and its uprights at the front
  g.push(box(20, 600, 900, [840, RAIL_Y + 250, 0]));
  for (const z of [-350, 350]) g.push(rectTube([800, RAIL_Y, z], [800, RAIL_Y + 600, z], 76.2, 76.2, 4.8));
  // operator platform and control tower at the rear
  g.push(box(400, 12, 840, [-1000, RAIL_Y - 100, 0]));
  for (const z of [-420, 420]) g.push(rectTube([-800, RAIL_Y, z], [-1180, RAIL_Y - 100, z], 50.8, 50.8, 3.2));
  g.push(rectTube([-820, RAIL_Y, 0], [-820, RAIL_Y + 900, 0], 76.2, 76.2, 4.8));
  const mounts = [-1, 1].map((side) => {
    const m = plate(cubeMountPlate);
    m.rotateX(-Math.PI / 2);
    m.translate(-500 - 150, RAIL_Y + h, side * 420 + 100);
    return m;
  });
  return [part('chassis weldment', g, colours.paintRed), part('cube mount plates', mounts, colours.steel)];
}

function wheelParts(at: [number, number, number]): Part[] {
  const w = wheel(WHEEL_R, 260, at, 16);
  return [
    { name: 'tyre 26x12-12', geometry: w.tyre, color: colours.rubber },
    { name: 'rim', geometry: w.rim, color: colours.paintYellow },
  ];
}

export const microtrac: Machine = {
  folder: 'microtrac',
  versions: {
    '1.0.0': () => {
      const chassis = chassisParts();
      const wheels: Part[] = [];
      const motors: THREE.BufferGeometry[] = [];
      for (const x of [-560, 560]) {
        for (const side of [-1, 1]) {
          wheels.push(...wheelParts([x, AXLE_Y, side * 640]));
          motors.push(rod([x, AXLE_Y, side * 480], [x, AXLE_Y, side * 560], 150, 24));
        }
      }
      const cube = powerCubeParts([-300, RAIL_Y + TUBE / 2, 0]);
      const valves = [box(180, 110, 140, [-820, RAIL_Y + 950, 0]), rod([-790, RAIL_Y + 1000, -40], [-700, RAIL_Y + 1250, -40], 16), rod([-790, RAIL_Y + 1000, 40], [-700, RAIL_Y + 1250, 40], 16)];
      const hoses = [-1, 1].flatMap((side) => [
        hose([[-820, RAIL_Y + 900, side * 50], [-700, RAIL_Y + 200, side * 300], [-560, AXLE_Y + 60, side * 470]], 19),
        hose([[-820, RAIL_Y + 900, side * 60], [200, RAIL_Y + 150, side * 300], [560, AXLE_Y + 60, side * 470]], 19),
      ]);
      const wheel0 = wheelParts([0, WHEEL_R, 0]);
      return {
        cad: [
          {
            path: 'cad/microtrac.glb',
            format: 'glb',
            parts: [...chassis, ...wheels, part('wheel motors', motors, colours.black), ...cube.frame, ...cube.reservoir, ...cube.rest, part('drive valves', valves, colours.paintBlue), part('drive hoses', hoses, colours.rubber)],
          },
          { path: 'cad/chassis.stl', format: 'stl', parts: chassis },
          { path: 'cad/wheel.obj', format: 'obj', parts: wheel0 },
        ],
        drawings: [{ path: 'drawings/power-cube-mount-plate.dxf', dxf: plateDrawing(cubeMountPlate, 'ASTM A36 plate 1/2in') }],
      };
    },
  },
};
