// D3D-style open 3D printer: steel tube cube, printed axis parts on 8 mm rods, heated bed, lead-screw Z, spool.
import * as THREE from 'three';
import { plateDrawing } from './dxf.js';
import type { Machine } from './machine.js';
import { box, boxFrame, colours, helix, lathe, part, plate, rod, type Part, type PlateSpec, type Vec3 } from './shapes.js';

const S = 200; // half the frame size (400 mm cube)
const X_Y = 300; // height of the X axis rods (at the shown layer)
const BED_Y = 150;

export const bedPlate: PlateSpec = {
  name: 'bed plate',
  width: 300,
  height: 300,
  cornerRadius: 5,
  thickness: 3,
  holes: [
    { x: 8, y: 8, d: 3.4 },
    { x: 292, y: 8, d: 3.4 },
    { x: 8, y: 292, d: 3.4 },
    { x: 292, y: 292, d: 3.4 },
    { x: 150, y: 150, d: 4.2 },
  ],
  cutouts: [{ x: 135, y: 275, w: 30, h: 12 }],
};

function nema17(at: Vec3, axis: 'x' | 'y' | 'z'): THREE.BufferGeometry[] {
  const body = new THREE.BoxGeometry(42.3, 42.3, 40);
  const shaft = new THREE.CylinderGeometry(2.5, 2.5, 24, 10);
  shaft.rotateX(Math.PI / 2);
  shaft.translate(0, 0, 32);
  const rot: Vec3 = axis === 'x' ? [0, 90, 0] : axis === 'y' ? [-90, 0, 0] : [0, 0, 0];
  const m = new THREE.Matrix4().makeRotationFromEuler(new THREE.Euler(...rot.map((d) => THREE.MathUtils.degToRad(d)) as Vec3));
  return [body, shaft].map((g) => g.applyMatrix4(m).translate(...at));
}

function carriageParts(): Part[] {
  const body = [box(70, 60, 30, [0, X_Y, 0]), box(70, 20, 40, [0, X_Y + 40, -5])];
  for (const dy of [-20, 20]) body.push(new THREE.CylinderGeometry(8, 8, 70, 16).rotateZ(Math.PI / 2).translate(0, X_Y + dy, 0)); // bushing bosses
  const extruder = [box(45, 50, 45, [0, X_Y + 75, 25]), ...nema17([0, X_Y + 120, 25], 'y')];
  const hotend = [
    rod([0, X_Y - 10, 25], [0, X_Y - 60, 25], 22, 16),
    box(20, 11, 16, [0, X_Y - 67, 25]),
    lathe([[0, 0], [4, 0], [1, -6], [0, -6]], 12).translate(0, X_Y - 72.5, 25),
  ];
  const fan = [box(40, 40, 11, [0, X_Y - 40, 50])];
  return [
    part('x carriage (printed PETG)', body, colours.printedOrange),
    part('extruder (printed) and motor', extruder, colours.black),
    part('hotend', hotend, colours.aluminium),
    part('part fan', fan, colours.black),
  ];
}

export const d3dPrinter: Machine = {
  folder: 'd3d-printer',
  versions: {
    '1.0.0': () => {
      const frame = [part('frame weldment', boxFrame([-S, 12.7, -S], [S, 2 * S - 12.7, S], 25.4, 1.65), colours.paintBlue)];
      const rods: THREE.BufferGeometry[] = [];
      for (const dy of [-20, 20]) rods.push(rod([-S + 10, X_Y + dy, 0], [S - 10, X_Y + dy, 0], 8, 12));
      for (const x of [-100, 100]) rods.push(rod([x, BED_Y - 30, -S + 10], [x, BED_Y - 30, S - 10], 8, 12));
      for (const x of [-S + 40, S - 40]) for (const z of [-20, 20]) rods.push(rod([x, 25, z], [x, 2 * S - 25, z], 8, 12));
      const screws = [-S + 40, S - 40].map((x) => helix(4, 8, 44, 8, 40).translate(x, 0, 45));
      const printed: THREE.BufferGeometry[] = [];
      for (const x of [-S + 40, S - 40]) {
        printed.push(box(60, 50, 90, [x, X_Y, 0]), box(60, 40, 80, [x, 2 * S - 30, 0]), box(60, 40, 80, [x, 30, 0]));
      }
      for (const z of [-S + 25, S - 25]) printed.push(box(240, 30, 40, [0, BED_Y - 30, z]));
      const motors = [...nema17([-S + 40, 40, 80], 'y'), ...nema17([S - 40, 40, 80], 'y'), ...nema17([S - 30, X_Y, 60], 'z'), ...nema17([0, BED_Y - 50, S - 20], 'x')];
      const bedGeo = plate(bedPlate);
      bedGeo.rotateX(-Math.PI / 2);
      bedGeo.translate(-150, BED_Y, 150);
      const belts = [box(380, 6, 1.5, [0, X_Y - 35, -8]), box(2, 6, 360, [0, BED_Y - 40, 0])];
      const spool = lathe([[0, 0], [100, 0], [100, 6], [45, 6], [45, 64], [100, 64], [100, 70], [0, 70]], 32);
      spool.rotateZ(Math.PI / 2);
      spool.translate(-35, 2 * S + 130, 0);
      const filament = new THREE.CylinderGeometry(85, 85, 58, 32).rotateZ(Math.PI / 2).translate(0, 2 * S + 130, 0);
      const holder = [rod([-50, 2 * S, 0], [-50, 2 * S + 135, 0], 12), rod([-60, 2 * S + 130, 0], [60, 2 * S + 130, 0], 20)];
      const controller = [box(120, 30, 160, [S + 30, 150, 0])];
      const carriage = carriageParts();
      return {
        cad: [
          {
            path: 'cad/d3d-printer.glb',
            format: 'glb',
            parts: [
              ...frame,
              part('smooth rods', rods, colours.chrome),
              part('lead screws', screws, colours.steel),
              part('printed axis ends', printed, colours.printedOrange),
              part('stepper motors', motors, colours.black),
              part('heated bed', bedGeo, colours.aluminium),
              part('belts', belts, colours.rubber),
              part('spool', [spool, ...holder], colours.black),
              part('filament', filament, colours.paintGreen),
              part('controller', controller, colours.paintBlue),
              ...carriage,
            ],
          },
          { path: 'cad/frame.stl', format: 'stl', parts: frame },
          { path: 'cad/extruder-carriage.3mf', format: '3mf', parts: carriage },
        ],
        drawings: [{ path: 'drawings/bed-plate.dxf', dxf: plateDrawing(bedPlate, 'EN AW-5083 aluminium 3 mm') }],
      };
    },
  },
};
