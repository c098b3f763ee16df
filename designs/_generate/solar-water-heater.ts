// Thermosiphon solar water heater: a flat-plate collector with copper risers on a tilted stand, feeding a 150 L tank above it.
import * as THREE from 'three';
import { DxfDrawing } from './dxf.js';
import type { Machine } from './machine.js';
import { angle, box, colours, hose, lathe, part, pipe, rod, type Part, type Vec3 } from './shapes.js';

const TILT = 35; // degrees, for latitudes around 35°
const C_LEN = 2000; // collector length (up the slope)
const C_WID = 1000;
const TANK_R = 250;
const TANK_L = 1100;

/** Collector built flat in XZ (length along X), then tilted about Z and lifted. */
function collectorParts(): Part[] {
  const frame: THREE.BufferGeometry[] = [];
  for (const z of [-C_WID / 2, C_WID / 2]) frame.push(box(C_LEN, 90, 3, [0, 0, z]));
  for (const x of [-C_LEN / 2, C_LEN / 2]) frame.push(box(3, 90, C_WID, [x, 0, 0]));
  frame.push(box(C_LEN, 2, C_WID, [0, -44, 0]));
  const insulation = [box(C_LEN - 10, 50, C_WID - 10, [0, -18, 0])];
  const absorber = [box(C_LEN - 40, 1, C_WID - 40, [0, 10, 0])];
  const risers: THREE.BufferGeometry[] = [];
  for (let i = 0; i < 9; i++) {
    const z = -C_WID / 2 + 100 + i * ((C_WID - 200) / 8);
    risers.push(pipe([-C_LEN / 2 + 60, 18, z], [C_LEN / 2 - 60, 18, z], 12.7, 0.8, 10));
  }
  const headers = [-1, 1].map((s) => pipe([s * (C_LEN / 2 - 60), 18, -C_WID / 2 - 40], [s * (C_LEN / 2 - 60), 18, C_WID / 2 + 40], 28.6, 1.2, 14));
  const glazing = [box(C_LEN - 10, 4, C_WID - 10, [0, 44, 0])];
  const parts = [
    part('collector box', frame, colours.aluminium),
    part('insulation', insulation, colours.paintYellow),
    part('absorber sheet', absorber, colours.black),
    part('risers and headers', [...risers, ...headers], colours.copper),
    part('glazing', glazing, colours.glass),
  ];
  for (const p of parts) {
    p.geometry.rotateZ(THREE.MathUtils.degToRad(TILT));
    p.geometry.translate(0, 800, 0);
  }
  return parts;
}

const slope = (x: number): Vec3 => {
  const a = THREE.MathUtils.degToRad(TILT);
  return [x * Math.cos(a), 800 + x * Math.sin(a), 0];
};

function tankParts(): Part[] {
  const top = slope(C_LEN / 2);
  const cx = top[0] + 250;
  const cy = top[1] + 350;
  const shell = lathe([[0, -TANK_L / 2 - 90], [120, -TANK_L / 2 - 80], [200, -TANK_L / 2 - 45], [TANK_R, -TANK_L / 2], [TANK_R, TANK_L / 2], [200, TANK_L / 2 + 45], [120, TANK_L / 2 + 80], [0, TANK_L / 2 + 90]], 32);
  shell.rotateX(Math.PI / 2);
  shell.translate(cx, cy, 0);
  const bands = [-1, 1].map((s) => new THREE.TorusGeometry(TANK_R + 4, 6, 6, 32).translate(cx, cy, s * 350));
  const fittings = [
    rod([cx, cy + TANK_R - 20, 420], [cx, cy + TANK_R + 90, 420], 26), // pressure and temperature relief valve
    rod([cx - TANK_R + 20, cy, -TANK_L / 2 + 60], [cx - TANK_R - 60, cy, -TANK_L / 2 + 60], 22),
    rod([cx + TANK_R - 20, cy - 150, TANK_L / 2 - 80], [cx + TANK_R + 80, cy - 150, TANK_L / 2 - 80], 22),
  ];
  return [part('tank 150 L', shell, colours.white), part('tank bands', bands, colours.steel), part('valves and fittings', fittings, colours.copper)];
}

function standParts(): Part[] {
  const g: THREE.BufferGeometry[] = [];
  const low = slope(-C_LEN / 2 + 100);
  const high = slope(C_LEN / 2 - 100);
  const top = slope(C_LEN / 2);
  for (const z of [-C_WID / 2 - 30, C_WID / 2 + 30]) {
    g.push(angle([low[0], 0, z], [low[0], low[1] - 60, z], 50.8, 4.8));
    g.push(angle([high[0], 0, z], [high[0], high[1] - 60, z], 50.8, 4.8));
    g.push(angle([low[0], low[1] - 60, z], [high[0], high[1] - 60, z], 50.8, 4.8));
    g.push(angle([low[0], 100, z], [high[0], 100, z], 50.8, 4.8));
    g.push(angle([low[0], 100, z], [high[0], high[1] - 100, z], 38.1, 4.8));
    g.push(angle([high[0], high[1] - 60, z], [top[0] + 250, top[1] + 100, z], 50.8, 4.8));
  }
  g.push(angle([top[0] + 250, top[1] + 100, -C_WID / 2 - 30], [top[0] + 250, top[1] + 100, C_WID / 2 + 30], 50.8, 4.8));
  return [part('stand', g, colours.steel)];
}

/** Tank saddle: a plate with a concave arc where the tank sits, drawn with a negative bulge. */
function saddleDrawing(): string {
  const d = new DxfDrawing();
  const w = 420;
  const h = 160;
  const chord = 360;
  const sagitta = TANK_R - Math.sqrt(TANK_R ** 2 - (chord / 2) ** 2);
  const bulge = -sagitta / (chord / 2);
  d.polyline(
    [
      { x: 0, y: 0 },
      { x: w, y: 0 },
      { x: w, y: h },
      { x: (w + chord) / 2, y: h, bulge },
      { x: (w - chord) / 2, y: h },
      { x: 0, y: h },
    ],
    true,
    'CUT',
  );
  for (const x of [30, w - 30]) d.circle([x, 30], 6.5, 'HOLES');
  d.arc([w / 2, h + TANK_R - sagitta], TANK_R, 270 - 46, 270 + 46, 'DIM');
  d.line([w / 2, 0], [w / 2, h - sagitta], 'DIM');
  d.dimension([0, 0], [w, 0], [0, -25]);
  d.text([0, h + 30], 10, `TANK SADDLE x2  S235 6 mm  R${TANK_R} seat  holes 13`);
  return d.toString();
}

export const solarWaterHeater: Machine = {
  folder: 'solar-water-heater',
  versions: {
    '1.0.0': () => {
      const collector = collectorParts();
      const tank = tankParts();
      const low = slope(-C_LEN / 2 + 60);
      const high = slope(C_LEN / 2 - 60);
      const top = slope(C_LEN / 2);
      const cx = top[0] + 250;
      const cy = top[1] + 350;
      const pipes = [
        hose([[low[0] - 20, low[1] + 20, C_WID / 2 + 40], [low[0] - 80, low[1], C_WID / 2 + 120], [cx - 300, cy - 300, C_WID / 2 + 120], [cx - TANK_R, cy - 100, TANK_L / 2 - 60]], 22),
        hose([[high[0], high[1] + 20, -C_WID / 2 - 40], [high[0] + 60, high[1] + 120, -C_WID / 2 - 60], [cx - 120, cy + 60, -TANK_L / 2 + 40]], 22),
      ];
      return {
        cad: [
          { path: 'cad/solar-water-heater.glb', format: 'glb', parts: [...collector, ...tank, ...standParts(), part('insulated pipes', pipes, colours.black)] },
          { path: 'cad/collector.stl', format: 'stl', parts: collector },
          { path: 'cad/tank.obj', format: 'obj', parts: tank },
        ],
        drawings: [{ path: 'drawings/tank-saddle.dxf', dxf: saddleDrawing() }],
      };
    },
  },
};
