// Shared shapes of the CAD readers: what every `read<Format>(bytes, limits)` returns.

/** One named part of a model: a run of triangles (or points) in the flat position arrays. */
export interface MeshPart {
  name: string;
  /** first triangle index (triangles) or first point index (point clouds) */
  start: number;
  count: number;
  /** optional RGB 0..1 colour of the part */
  color?: [number, number, number];
}

/**
 * A model ready for facts and rendering: non-indexed triangles in millimetres.
 * `positions` holds 9 floats per triangle; `points` (3 floats each) for point clouds.
 */
export interface Mesh {
  positions: Float32Array;
  parts: MeshPart[];
  points?: Float32Array;
  /**
   * Optional per-triangle RGBA bytes (4 per triangle) for files that colour single faces (FreeCAD, STEP);
   * alpha 0 means "the part's colour".
   */
  colors?: Uint8Array;
}

export interface MeshFacts {
  format: string;
  triangles?: number;
  points?: number;
  parts: number;
  bbox: { min: [number, number, number]; max: [number, number, number] };
  area?: number;
  volume?: number;
  watertight?: boolean;
  /** the length unit a B-rep file declared (STEP, IGES); every length above is already in mm */
  units?: string;
  /** what the reader read past in a file it still accepted, in words for the uploader (PLY: values no property declares) */
  warnings?: string[];
}

export interface ReadLimits {
  maxBytes: number;
  maxTriangles: number;
  maxZipEntries: number;
  maxUncompressedBytes: number;
  maxCompressionRatio: number;
}

export const defaultReadLimits: ReadLimits = {
  maxBytes: 512 * 1024 * 1024,
  maxTriangles: 5_000_000,
  maxZipEntries: 10_000,
  maxUncompressedBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
};

export interface ReadResult {
  mesh: Mesh;
  /** units the file declared, before conversion to mm */
  units: string;
  facts: MeshFacts;
}

/** The reader's own error: the bytes are unreadable or over a limit. Never retried. */
export class CadReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CadReadError';
  }
}
