// Putting a version's CAD files in one scene (version thumbnail, whole-version GLB): the whole-machine file alone,
// never with its parts drawn a second time on top of it.
import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { meshFromGeometry } from '../../server/src/cad/mesh.js';
import { arrangeMeshes } from '../../server/src/render/arrange.js';

const box = (name: string, w: number, d: number, h: number, at: [number, number, number]) => {
  const geometry = new THREE.BoxGeometry(w, d, h);
  geometry.translate(at[0] + w / 2, at[1] + d / 2, at[2] + h / 2);
  return { name, geometry };
};

describe('arrangeMeshes', () => {
  it('draws an assembly file alone when its parts are also published as files', () => {
    const assembly = meshFromGeometry([box('frame', 100, 60, 10, [0, 0, 0]), box('hopper', 40, 40, 30, [30, 10, 10])]);
    const hopperAlone = meshFromGeometry([box('hopper', 40, 40, 30, [30, 10, 10])]);
    const { mesh, shared } = arrangeMeshes([hopperAlone, assembly]);
    expect(shared).toBe(true);
    expect(mesh.parts.map((p) => p.name)).toEqual(['frame', 'hopper']);
    expect(mesh.positions.length).toBe(assembly.positions.length);
  });

  it('keeps parts exported one by one in their own coordinates (no file is the whole)', () => {
    const frame = meshFromGeometry([box('frame', 100, 60, 10, [0, 0, 0])]);
    const hopper = meshFromGeometry([box('hopper', 40, 40, 30, [30, 10, 10])]);
    const { mesh, shared } = arrangeMeshes([frame, hopper]);
    expect(shared).toBe(true);
    expect(mesh.parts).toHaveLength(2);
    expect(mesh.positions.length).toBe(frame.positions.length + hopper.positions.length);
  });

  it('does not take a multi-part file for the whole when another file lies outside it', () => {
    const pair = meshFromGeometry([box('a', 10, 10, 10, [0, 0, 0]), box('b', 10, 10, 10, [12, 0, 0])]);
    const far = meshFromGeometry([box('far', 10, 10, 10, [5, 0, 0]), box('far2', 10, 10, 10, [30, 0, 0])]);
    const { mesh } = arrangeMeshes([pair, far]);
    expect(mesh.parts).toHaveLength(4);
  });
});
