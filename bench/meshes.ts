// Meshes the benchmarks publish, made by code: new bytes for every run, so nothing is found already processed.
import * as THREE from 'three';
import { meshFromGeometry } from '../server/src/cad/mesh.js';
import { writeStlBinary } from '../server/src/cad/write/stl.js';

/** A torus knot with ~n triangles as binary STL; `tag` goes in the header so every run has new bytes. */
export function knotStl(n: number, tag: string, radius = 20): Buffer {
  const radial = Math.round(Math.sqrt(n / 4));
  const tubular = Math.round(n / (2 * radial));
  return writeStlBinary(
    meshFromGeometry([{ name: 'knot', geometry: new THREE.TorusKnotGeometry(radius, radius * 0.3, tubular, radial) }]),
    `bench ${tag}`,
  );
}
