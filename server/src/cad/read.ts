// One entry point for all mesh readers: detect the format by content, then dispatch.
import { detectFormat, type CadFormat } from './detect.js';
import { readGltf } from './gltf.js';
import { readObj } from './obj.js';
import { readPly } from './ply.js';
import type { ReadOptions } from './result.js';
import { readStl } from './stl.js';
import { readThreeMf } from './threemf.js';
import { readStep } from './step.js';
import { readIges } from './iges.js';
import { readBrep } from './brep.js';
import { readFcstd } from './fcstd.js';
import { CadReadError, type ReadLimits, type ReadResult } from './types.js';

export type { ReadOptions } from './result.js';

/** Formats this module reads into meshes; the others (DXF drawings, images) are handled elsewhere. */
export const MESH_FORMATS: ReadonlySet<CadFormat> = new Set([
  'stl',
  'obj',
  'ply',
  '3mf',
  'glb',
  'gltf',
  'step',
  'iges',
  'brep',
  'fcstd',
]);

/** The B-rep formats among them, tessellated by OpenCascade (slower: a warm WASM instance per thread). */
export const BREP_FORMATS: ReadonlySet<CadFormat> = new Set(['step', 'iges', 'brep', 'fcstd']);

/** A part name from the file name, for shapes the file leaves unnamed. */
const baseName = (filename: string) => filename.replace(/^.*[/\\]/, '').replace(/\.[^.]+$/, '') || 'model';

export async function readCad(
  bytes: Uint8Array,
  filename: string,
  limits: ReadLimits,
  opts: ReadOptions = {},
): Promise<ReadResult> {
  const format = detectFormat(bytes, filename);
  switch (format) {
    case 'stl':
      return readStl(bytes, limits, opts);
    case 'obj':
      return readObj(bytes, limits, opts);
    case 'ply':
      return readPly(bytes, limits, opts);
    case '3mf':
      return readThreeMf(bytes, limits, opts);
    case 'glb':
    case 'gltf':
      return readGltf(bytes, limits, opts);
    case 'step':
      return readStep(bytes, limits, baseName(filename));
    case 'iges':
      return readIges(bytes, limits, baseName(filename));
    case 'brep':
      return readBrep(bytes, limits, { units: opts.units, name: baseName(filename) });
    case 'fcstd':
      return readFcstd(bytes, limits);
    case null:
      throw new CadReadError(
        `"${filename}" is not a mesh format Andecha recognises (STL, OBJ, PLY, 3MF, glTF/GLB, STEP, IGES, BREP, FreeCAD)`,
      );
    default:
      throw new CadReadError(
        `"${filename}" is a ${format.toUpperCase()} file, which this reader does not turn into a mesh`,
      );
  }
}
