// Regenerates every sample machine's CAD files, cut drawings and build photos, byte for byte the same on every run.
// Usage: npx tsx designs/_generate/index.ts [--out DIR]   (DIR defaults to designs/)
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { write3mf, writeGlb, writeObj, writeStlBinary } from '../../server/src/cad/write/index.js';
import type { Mesh } from '../../server/src/cad/types.js';
import { brickPress, brickPressMetric } from './brick-press.js';
import { ciderPress } from './cider-press.js';
import { d3dPrinter } from './d3d-printer.js';
import type { CadOutput, Machine, MeshFormat } from './machine.js';
import { microtrac } from './microtrac.js';
import { generatePhotos } from './photos.js';
import { powerUnit } from './power-unit.js';
import { soilPulverizer } from './soil-pulverizer.js';
import { solarWaterHeater } from './solar-water-heater.js';
import { torchTable } from './torch-table.js';
import { windTurbine } from './wind-turbine.js';

export const machines: Machine[] = [
  brickPress,
  brickPressMetric,
  microtrac,
  powerUnit,
  windTurbine,
  soilPulverizer,
  d3dPrinter,
  torchTable,
  solarWaterHeater,
  ciderPress,
];

export const designsRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Machines are modelled Y up (three.js habit); Andecha meshes are millimetres Z up. */
function toMesh(cad: CadOutput): Mesh {
  return meshFromGeometry(cad.parts.map((p) => ({ name: p.name, color: p.color, geometry: p.geometry.clone().rotateX(Math.PI / 2) })));
}

async function encode(format: MeshFormat, mesh: Mesh): Promise<Uint8Array> {
  switch (format) {
    case 'stl':
      return writeStlBinary(mesh, 'Andecha sample design, binary STL, mm');
    case 'obj':
      return Buffer.from(writeObj(mesh), 'utf8');
    case '3mf':
      // write3mf stamps a fixed entry time, so regenerated 3MFs keep their bytes
      return write3mf(mesh);
    case 'glb':
      return writeGlb(mesh);
  }
}

export interface GeneratedFile {
  /** path relative to the designs root, e.g. `brick-press/1.0.0/cad/frame.stl` */
  path: string;
  sha256: string;
  bytes: number;
}

/** Write every machine version's CAD files and drawings, then the build photos, under `outRoot`. */
export async function generateAll(outRoot: string = designsRoot): Promise<GeneratedFile[]> {
  const written: GeneratedFile[] = [];
  const put = async (rel: string, data: Uint8Array | string) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const full = join(outRoot, rel);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, bytes);
    written.push({ path: rel, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
  };
  for (const machine of machines) {
    for (const [version, build] of Object.entries(machine.versions)) {
      const out = build();
      for (const cad of out.cad) await put(join(machine.folder, version, cad.path), await encode(cad.format, toMesh(cad)));
      for (const drawing of out.drawings) await put(join(machine.folder, version, drawing.path), drawing.dxf);
    }
  }
  for (const photo of await generatePhotos(machines)) await put(join('_photos', photo.name), photo.jpeg);
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const outRoot = i > 0 ? resolve(process.argv[i + 1]) : designsRoot;
  const files = await generateAll(outRoot);
  for (const f of files) console.log(`${String(f.bytes).padStart(9)}  ${f.sha256.slice(0, 12)}  ${f.path}`);
  console.log(`${files.length} files, ${(files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(2)} MB`);
}
