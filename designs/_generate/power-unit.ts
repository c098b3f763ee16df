// Hydraulic power unit (after OSE's "Power Cube"): engine, gear pump, reservoir, cooler and couplers in a tube cube.
import * as THREE from 'three';
import { plateDrawing } from './dxf.js';
import type { Machine } from './machine.js';
import { box, boxFrame, colours, hose, lathe, part, pipe, plate, rectTube, rod, type Part, type PlateSpec, type Vec3 } from './shapes.js';

const CUBE = 700;

export const pumpMountPlate: PlateSpec = {
  name: 'pump mount plate',
  width: 220,
  height: 180,
  cornerRadius: 12,
  thickness: 9.5,
  holes: [
    { x: 110, y: 90, d: 82.6 }, // SAE A pilot
    { x: 110 - 53, y: 90, d: 13.5 },
    { x: 110 + 53, y: 90, d: 13.5 },
    { x: 20, y: 20, d: 11 },
    { x: 200, y: 20, d: 11 },
    { x: 20, y: 160, d: 11 },
    { x: 200, y: 160, d: 11 },
  ],
  cutouts: [{ x: 95, y: 150, w: 30, h: 14 }],
};

/** The cube with engine and hydraulics; `at` is the centre of the bottom face. */
export function powerCubeParts(at: Vec3 = [0, 0, 0]): { frame: Part[]; reservoir: Part[]; rest: Part[] } {
  const [cx, cy, cz] = at;
  const h = CUBE / 2 - 25;
  const p = (x: number, y: number, z: number): Vec3 => [cx + x, cy + y, cz + z];
  const frame: THREE.BufferGeometry[] = boxFrame(p(-h, 25, -h), p(h, CUBE - 25, h), 50.8, 3.2);
  frame.push(rectTube(p(-h, 25, -120), p(h, 25, -120), 50.8, 50.8, 3.2), rectTube(p(-h, 25, 120), p(h, 25, 120), 50.8, 50.8, 3.2));
  const eye = new THREE.TorusGeometry(45, 10, 8, 20);
  eye.translate(cx, cy + CUBE + 20, cz);
  frame.push(eye, box(120, 10, 60, p(0, CUBE - 5, 0)));

  // 18 hp twin: block, finned heads in a V, flywheel shroud, air filter, muffler
  const engine: THREE.BufferGeometry[] = [box(300, 240, 280, p(-90, 200, 0))];
  for (const side of [-1, 1]) {
    for (let i = 0; i < 7; i++) engine.push(box(150, 8, 170, p(-90 + side * 70, 350 + i * 16, 0), [0, 0, side * -30]));
  }
  const shroud = lathe([[0, 0], [160, 0], [170, 20], [170, 90], [0, 90]], 28);
  shroud.rotateZ(Math.PI / 2);
  shroud.translate(cx - 240, cy + 230, cz);
  engine.push(shroud);
  const muffler = [rod(p(-150, 520, -180), p(40, 520, -180), 110, 20), pipe(p(40, 520, -180), p(110, 520, -180), 35, 2)];
  const filter = [rod(p(-100, 520, 150), p(-100, 600, 150), 160, 24)];
  // pump on its mount plate, shaft coupler to the engine
  const mount = plate(pumpMountPlate);
  mount.rotateY(-Math.PI / 2);
  mount.translate(cx + 70, cy + 110, cz - 110);
  const pump = [rod(p(80, 200, 0), p(220, 200, 0), 100, 24), box(60, 80, 110, p(200, 200, 0)), rod(p(60, 200, 0), p(80, 200, 0), 60, 20)];
  // reservoir with filler, sight glass and return filter
  const reservoir = [box(240, 280, 560, p(230, 470, 0)), rod(p(230, 610, -180), p(230, 650, -180), 70, 20), box(6, 120, 30, p(352, 450, 150)), rod(p(230, 610, 180), p(230, 700, 180), 90, 20)];
  // oil cooler with fan on the back, fuel tank on the side
  const cooler = [box(30, 300, 400, p(-h + 10, 260, 60)), lathe([[0, 0], [140, 0], [140, 40], [0, 40]], 28).rotateZ(Math.PI / 2).translate(cx - h + 60, cy + 260, cz + 60)];
  const fuel = [rod(p(-h + 100, 560, 40), p(-h + 100, 560, 300), 200, 24)];
  const couplers: THREE.BufferGeometry[] = [];
  for (let i = 0; i < 4; i++) couplers.push(rod(p(h + 20, 120 + i * 60, -250), p(h + 70, 120 + i * 60, -250), 30, 12));
  const hoses = [
    hose([p(200, 250, 0), p(260, 320, -60), p(230, 330, -200)], 25),
    hose([p(200, 150, 40), p(300, 110, -100), p(h + 20, 120, -250)], 19),
    hose([p(h + 20, 180, -250), p(300, 200, -100), p(230, 610, 180)], 19),
    hose([p(-h + 30, 380, 60), p(0, 420, 250), p(230, 330, 200)], 19),
  ];
  return {
    frame: [part('cube frame', frame, colours.paintGreen)],
    reservoir: [part('reservoir', reservoir, colours.paintGreen)],
    rest: [
      part('engine', engine, colours.black),
      part('muffler', muffler, colours.steel),
      part('air filter', filter, colours.paintYellow),
      part('pump mount plate', mount, colours.steel),
      part('gear pump', pump, colours.aluminium),
      part('oil cooler', cooler, colours.black),
      part('fuel tank', fuel, colours.paintRed),
      part('quick couplers', couplers, colours.chrome),
      part('hoses', hoses, colours.rubber),
    ],
  };
}

export const powerUnit: Machine = {
  folder: 'power-unit',
  versions: {
    '1.0.0': () => {
      const cube = powerCubeParts();
      return {
        cad: [
          { path: 'cad/power-unit.glb', format: 'glb', parts: [...cube.frame, ...cube.reservoir, ...cube.rest] },
          { path: 'cad/cube-frame.stl', format: 'stl', parts: cube.frame },
          { path: 'cad/reservoir.3mf', format: '3mf', parts: cube.reservoir },
        ],
        drawings: [{ path: 'drawings/pump-mount-plate.dxf', dxf: plateDrawing(pumpMountPlate, 'ASTM A36 plate 3/8in') }],
      };
    },
  },
};
