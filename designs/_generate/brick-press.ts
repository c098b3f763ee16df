// Compressed earth brick press (after OSE's "Liberator"): frame, compression chamber, main and drawer cylinders, hopper.
import * as THREE from 'three';
import { plateDrawing } from './dxf.js';
import type { Machine, VersionOutput } from './machine.js';
import { box, colours, hose, hydraulicCylinder, part, plate, rectTube, rod, type Part, type PlateSpec, type Vec3 } from './shapes.js';

export interface BrickPressParams {
  /** square tube outer size and wall, mm */
  tube: number;
  wall: number;
  /** main cylinder stroke, mm */
  mainStroke: number;
  /** compression chamber side and end plate thickness, mm */
  chamberPlate: number;
  plateMaterial: string;
}

const BRICK_X = 152; // 6 in brick width along the press
const BRICK_Z = 305; // 12 in brick length across
const CHAMBER_X = 250; // chamber centre along the frame
const TABLE_Y = 960; // top of the table plate
const CHAMBER_BOTTOM = 690;
/** room left for the chamber plates in the frame, so plates up to 20 mm fit the same weldment */
const PLATE_ALLOWANCE = 20;

export function chamberSidePlate(p: BrickPressParams): PlateSpec {
  const width = BRICK_Z + 2 * p.chamberPlate + 2 * 45;
  const height = TABLE_Y - CHAMBER_BOTTOM;
  const holes = [] as PlateSpec['holes'];
  for (const x of [20, width - 20]) for (const y of [40, height / 2, height - 40]) holes.push({ x, y, d: 17 });
  return { name: 'chamber side plate', width, height, cornerRadius: 10, thickness: p.chamberPlate, holes };
}

function frameParts(p: BrickPressParams): Part[] {
  const s = p.tube;
  const h = s / 2;
  const x0 = -600 + h;
  const x1 = 600 - h;
  const z0 = -300 + h;
  const z1 = 300 - h;
  const top = TABLE_Y - 12 - h;
  const g: THREE.BufferGeometry[] = [];
  // legs
  for (const x of [x0, x1]) for (const z of [z0, z1]) g.push(rectTube([x, 0, z], [x, top + h, z], s, s, p.wall));
  // top and bottom rings
  for (const y of [top, 80]) {
    for (const z of [z0, z1]) g.push(rectTube([x0 - h, y, z], [x1 + h, y, z], s, s, p.wall));
    for (const x of [x0, x1]) g.push(rectTube([x, y, z0 + h], [x, y, z1 - h], s, s, p.wall));
  }
  // chamber bearers either side of the chamber and the main cylinder cross-member
  for (const dx of [-BRICK_X / 2 - PLATE_ALLOWANCE - h - 4, BRICK_X / 2 + PLATE_ALLOWANCE + h + 4]) {
    g.push(rectTube([CHAMBER_X + dx, top, z0 + h], [CHAMBER_X + dx, top, z1 - h], s, s, p.wall));
  }
  g.push(rectTube([CHAMBER_X, 80, z0 + h], [CHAMBER_X, 80, z1 - h], s, s, p.wall));
  // drawer cylinder arm reaching back from the frame
  for (const z of [-120, 120]) g.push(rectTube([x0 - h, top, z], [-1050, top, z], s, s, p.wall));
  g.push(rectTube([-1050 + h, top, -120 + h], [-1050 + h, top, 120 - h], s, s, p.wall));
  // diagonal braces on the long sides
  for (const z of [z0, z1]) g.push(rectTube([x0 + h, 80 + h, z], [-100, top - h, z], s * 0.75, s * 0.75, p.wall));
  // table plate with the chamber opening
  const table = plate({
    name: 'table',
    width: 1200,
    height: 600,
    cornerRadius: 15,
    thickness: 12,
    holes: [],
    cutouts: [{ x: 600 + CHAMBER_X - BRICK_X / 2 - PLATE_ALLOWANCE, y: 300 - BRICK_Z / 2 - PLATE_ALLOWANCE, w: BRICK_X + 2 * PLATE_ALLOWANCE, h: BRICK_Z + 2 * PLATE_ALLOWANCE }],
  });
  table.rotateX(Math.PI / 2); // plate XY → XZ, thickness downwards
  table.translate(-600, TABLE_Y, -300);
  // exit table on two arms
  const exit = [box(320, 10, 400, [760, TABLE_Y - 5, 0]), rectTube([600, top, -150], [900, top, -150], 40, 40, 3), rectTube([600, top, 150], [900, top, 150], 40, 40, 3)];
  return [part('frame weldment', g, colours.paintRed), part('table plate', table, colours.steel), part('exit table', exit, colours.paintRed)];
}

function chamberParts(p: BrickPressParams): Part[] {
  const t = p.chamberPlate;
  const height = TABLE_Y - CHAMBER_BOTTOM;
  const y = CHAMBER_BOTTOM + height / 2;
  const sides = [-1, 1].map((side) => {
    const spec = chamberSidePlate(p);
    const g = plate(spec);
    g.rotateY(Math.PI / 2); // plate in the ZY plane, thickness along X
    g.translate(CHAMBER_X + side * (BRICK_X / 2 + (side > 0 ? t : 0)), CHAMBER_BOTTOM, spec.width / 2);
    return g;
  });
  const ends = [-1, 1].map((side) => box(BRICK_X, height, t, [CHAMBER_X, y, side * (BRICK_Z / 2 + t / 2)]));
  const wear = [-1, 1].map((side) => box(6, height - 20, BRICK_Z - 4, [CHAMBER_X + side * (BRICK_X / 2 - 3), y, 0]));
  const foot = [box(BRICK_X - 4, 25, BRICK_Z - 4, [CHAMBER_X, CHAMBER_BOTTOM + 12.5, 0]), rod([CHAMBER_X, CHAMBER_BOTTOM - 30, 0], [CHAMBER_X, CHAMBER_BOTTOM, 0], 90, 24)];
  return [part('chamber side plates', sides, colours.steel), part('chamber end plates', ends, colours.steel), part('wear liners', wear, colours.chrome), part('press foot', foot, colours.steel)];
}

function hopperParts(): Part[] {
  const bottomY = TABLE_Y + 100;
  const h = 440;
  // a four-sided frustum is a cylinder with four radial segments, turned 45°
  const shell = new THREE.CylinderGeometry(700 / Math.SQRT2, 340 / Math.SQRT2, h, 4, 3, true);
  shell.rotateY(Math.PI / 4);
  shell.translate(-255, bottomY + h / 2, 0);
  const inner = new THREE.CylinderGeometry(690 / Math.SQRT2, 330 / Math.SQRT2, h, 4, 3, true);
  inner.rotateY(Math.PI / 4);
  inner.scale(-1, 1, 1); // flip the winding so the inside faces inwards
  inner.translate(-255, bottomY + h / 2, 0);
  const lip: THREE.BufferGeometry[] = [];
  const ty = bottomY + h;
  for (const z of [-350, 350]) lip.push(rectTube([-255 - 370, ty, z], [-255 + 370, ty, z], 40, 40, 3));
  for (const x of [-255 - 350, -255 + 350]) lip.push(rectTube([x, ty, -330], [x, ty, 330], 40, 40, 3));
  const grate: THREE.BufferGeometry[] = [];
  for (let i = -5; i <= 5; i++) grate.push(rod([-255 - 330, ty + 25, i * 60], [-255 + 330, ty + 25, i * 60], 12, 8));
  const posts: THREE.BufferGeometry[] = [];
  for (const x of [-255 - 330, -255 + 330]) for (const z of [-280, 280]) posts.push(rectTube([x, TABLE_Y, z], [x, ty - 20, z], 40, 40, 3));
  return [part('hopper shell', [shell, inner], colours.paintYellow), part('hopper lip and grate', [...lip, ...grate], colours.steel), part('hopper posts', posts, colours.paintRed)];
}

function hydraulicParts(p: BrickPressParams): Part[] {
  const main = hydraulicCylinder([CHAMBER_X, 80 + p.tube / 2, 0], [CHAMBER_X, CHAMBER_BOTTOM - 30, 0], 127, 63.5, p.mainStroke);
  const drawerY = TABLE_Y + 40;
  const drawer = hydraulicCylinder([-1030, drawerY, 0], [-420, drawerY, 0], 76.2, 38.1, 356);
  const drawerBox = [box(330, 70, 330, [-255, TABLE_Y + 35, 0])];
  const valve = [box(160, 90, 70, [-520, 700, 330]), rod([-560, 745, 330], [-560, 900, 330], 14), rod([-480, 745, 330], [-480, 900, 330], 14)];
  const knobs = [rod([-560, 900, 330], [-560, 930, 330], 30), rod([-480, 900, 330], [-480, 930, 330], 30)];
  const couplers = [rod([-600, 680, 330], [-600, 680, 400], 32), rod([-600, 720, 330], [-600, 720, 400], 32)];
  const hoses: THREE.BufferGeometry[] = [];
  const route = (a: Vec3, b: Vec3, sag: number) => hose([a, [(a[0] + b[0]) / 2, Math.min(a[1], b[1]) - sag, (a[2] + b[2]) / 2 + 60], b], 19);
  hoses.push(route([-520, 700, 295], [CHAMBER_X, 250, 70], 80));
  hoses.push(route([-500, 700, 295], [CHAMBER_X, 250 + p.mainStroke, 70], 60));
  hoses.push(route([-540, 700, 295], [-980, drawerY + 40, 0], 120));
  hoses.push(route([-560, 700, 295], [-560, drawerY + 40, 0], 40));
  return [
    { name: 'main cylinder barrel', geometry: main.barrel, color: colours.black },
    { name: 'main cylinder rod', geometry: main.rod, color: colours.chrome },
    { name: 'drawer cylinder barrel', geometry: drawer.barrel, color: colours.black },
    { name: 'drawer cylinder rod', geometry: drawer.rod, color: colours.chrome },
    part('drawer', drawerBox, colours.steel),
    part('control valve', [...valve, ...couplers], colours.paintBlue),
    part('valve knobs', knobs, colours.black),
    part('hoses', hoses, colours.rubber),
  ];
}

export function buildBrickPress(p: BrickPressParams): VersionOutput {
  const frame = frameParts(p);
  const chamber = chamberParts(p);
  const hopper = hopperParts();
  const hydraulics = hydraulicParts(p);
  return {
    cad: [
      { path: 'cad/brick-press.glb', format: 'glb', parts: [...frame, ...chamber, ...hopper, ...hydraulics] },
      { path: 'cad/frame.stl', format: 'stl', parts: frame },
      { path: 'cad/compression-chamber.3mf', format: '3mf', parts: chamber },
      { path: 'cad/hopper.obj', format: 'obj', parts: hopper },
    ],
    drawings: [{ path: 'drawings/chamber-side-plate.dxf', dxf: plateDrawing(chamberSidePlate(p), p.plateMaterial) }],
  };
}

const v100: BrickPressParams = { tube: 50.8, wall: 4.76, mainStroke: 203.2, chamberPlate: 12.7, plateMaterial: 'ASTM A36 plate 1/2in' };
const v110: BrickPressParams = { ...v100, mainStroke: 254, chamberPlate: 19.05, plateMaterial: 'ASTM A36 plate 3/4in' };

export const brickPress: Machine = {
  folder: 'brick-press',
  versions: {
    '1.0.0': () => buildBrickPress(v100),
    '1.1.0': () => buildBrickPress(v110),
  },
};

export const brickPressMetric: Machine = {
  folder: '_forks/brick-press-metric',
  versions: {
    '1.1.0': () => buildBrickPress({ tube: 50, wall: 3, mainStroke: 250, chamberPlate: 20, plateMaterial: 'S355JR plate 20 mm' }),
  },
};
