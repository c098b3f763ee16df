// What each machine module hands to the generator: the CAD files and cut drawings of one design version.
import type { Part } from './shapes.js';

export type MeshFormat = 'stl' | 'obj' | '3mf' | 'glb';

export interface CadOutput {
  /** path inside the version folder, e.g. `cad/frame.stl` */
  path: string;
  format: MeshFormat;
  parts: Part[];
}

export interface DrawingOutput {
  /** path inside the version folder, e.g. `drawings/side-plate.dxf` */
  path: string;
  dxf: string;
}

export interface VersionOutput {
  cad: CadOutput[];
  drawings: DrawingOutput[];
}

export interface Machine {
  /** folder under designs/, e.g. `brick-press` or `_forks/brick-press-metric` */
  folder: string;
  /** version → builder of that version's CAD and drawings */
  versions: Record<string, () => VersionOutput>;
}
