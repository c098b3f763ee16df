// OpenCascade BREP text reader (FreeCAD's *.brp, `BRepTools::Write` output): unitless, millimetres by convention.
import { readWithOcct } from './occt.js';
import { checkBytes, finishRead } from './result.js';
import type { ReadLimits, ReadResult } from './types.js';

export async function readBrep(
  bytes: Uint8Array,
  limits: ReadLimits,
  opts: { units?: string; name?: string } = {},
): Promise<ReadResult> {
  checkBytes(bytes, limits.maxBytes, 'BREP');
  const { mesh } = await readWithOcct('brep', bytes, limits, { fallbackName: opts.name ?? 'model', what: 'BREP' });
  // BREP carries no units: mm unless the manifest says otherwise (finishRead converts)
  return finishRead(mesh, 'brep', opts.units ?? 'mm', 'BREP');
}
