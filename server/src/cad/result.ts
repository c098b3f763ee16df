// The common end of every reader: unit conversion, the "something came out" check, facts.
import { computeFacts } from './facts.js';
import { CadReadError, type Mesh, type ReadResult } from './types.js';
import { scaleInPlace, unitScale } from './units.js';
import { rememberBounds, scanBounds, type Bounds } from './mesh.js';

export interface ReadOptions {
  /** units of a unitless format (STL, OBJ, PLY); mm when absent */
  units?: string;
  /** other files of the same version, by path relative to this file (a .gltf's buffers) */
  siblings?: (relPath: string) => Uint8Array | undefined;
  /**
   * Where a reader that knows its triangle count up front (binary STL) puts the positions: a worker thread's kept
   * array (every float is written, so it need not be zeroed); a new array when absent
   */
  allocatePositions?: (floats: number) => Float32Array;
}

/**
 * Convert to mm (when `units` is not already mm), refuse an empty or non-numeric result; facts when first read.
 * `what` names the format in messages ("binary STL"); `warnings` (what the reader read past) go into the facts.
 */
export function finishRead(
  mesh: Mesh,
  format: string,
  units: string,
  what: string,
  warnings: string[] = [],
): ReadResult {
  const triangles = mesh.positions.length / 9;
  const points = mesh.points ? mesh.points.length / 3 : 0;
  if (triangles === 0 && points === 0) {
    throw new CadReadError(`no triangles: the ${what} file parsed but contains no triangles or points to show`);
  }
  // one pass checks every coordinate and finds the bounds, which the previews and the facts then share
  const scanned = scanBounds(mesh);
  if ('nonFinite' in scanned)
    throw new CadReadError(
      `the ${what} file has a coordinate that is not a finite number (vertex ${scanned.nonFinite})`,
    );
  const scale = unitScale(units);
  scaleInPlace(mesh.positions, scale);
  scaleInPlace(mesh.points, scale);
  // scaling by a positive factor keeps the extremes where they were: each bound is its coordinate scaled as stored
  const toMm = (v: number) => (scale === 1 ? v : Math.fround(v * scale));
  return checkedResult(
    mesh,
    format,
    units,
    { min: scanned.min.map(toMm) as Bounds['min'], max: scanned.max.map(toMm) as Bounds['max'] },
    warnings,
  );
}

/** The result of a mesh already checked and in mm, with its bounds (mm) known: facts are worked out on first use. */
export function checkedResult(
  mesh: Mesh,
  format: string,
  units: string,
  boundsMm: Bounds,
  warnings: string[] = [],
): ReadResult {
  rememberBounds(mesh, boundsMm);
  // facts on first use: the pipeline draws the previews first, so a large mesh's picture is ready before its facts
  // (welding a million triangles for the watertight test is the slowest step)
  let facts: ReturnType<typeof computeFacts> | undefined;
  return {
    mesh,
    units,
    get facts() {
      return (facts ??= warnings.length ? { ...computeFacts(mesh, format), warnings } : computeFacts(mesh, format));
    },
  };
}

export function checkBytes(bytes: Uint8Array, maxBytes: number, what: string): void {
  if (bytes.length > maxBytes) {
    throw new CadReadError(
      `the ${what} file is ${formatBytes(bytes.length)}, over the limit of ${formatBytes(maxBytes)}`,
    );
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}

export function tooManyTriangles(count: number, max: number, what: string): CadReadError {
  return new CadReadError(
    `the ${what} file has ${count > max ? count.toLocaleString('en') : 'more than ' + max.toLocaleString('en')} triangles, over the limit of ${max.toLocaleString('en')}; simplify the mesh or split it into parts`,
  );
}

/** A growable Float32Array for readers that do not know the count up front. */
export class FloatList {
  data: Float32Array;
  length = 0;
  constructor(initial = 1024) {
    this.data = new Float32Array(Math.max(16, initial));
  }
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) this.grow(this.length + 3);
    const d = this.data;
    d[this.length] = a;
    d[this.length + 1] = b;
    d[this.length + 2] = c;
    this.length += 3;
  }
  grow(min: number): void {
    const next = new Float32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }
}
