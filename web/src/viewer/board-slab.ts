// A circuit board as the 3D viewer draws it: a box of the board's outline and thickness (mm, Z up), its top face
// showing the top picture and its bottom face the bottom picture, its edges board-coloured.
import {
  BoxGeometry,
  Color,
  Group,
  type Material,
  Mesh,
  MeshStandardMaterial,
  SRGBColorSpace,
  Texture,
  MathUtils,
} from 'three';
import type { SlabSpec } from './board-placement.js';

/** Solder-mask green, for the faces until their pictures arrive; the edges a darker FR4 green. */
const maskColour = '#1d5c1d';
const edgeColour = '#2b4a22';

export type BoardFace = 'top' | 'bottom';

/**
 * Where a point of the board (mm, board frame) is in a face's picture, as texture coordinates (u right, v up). The
 * server draws each picture square, the board centred and its longer side filling it; the top seen from above, the
 * bottom seen from below — mirrored left to right, as pcb-stackup draws it — with the board's +y up in both.
 */
export function pictureUv(face: BoardFace, x: number, y: number, width: number, height: number): [number, number] {
  const side = Math.max(width, height);
  const across = face === 'top' ? x : width - x;
  return [((side - width) / 2 + across) / side, ((side - height) / 2 + y) / side];
}

// BoxGeometry's face groups: +x, −x, +y, −y, +z (top), −z (bottom)
const TOP = 4;
const BOTTOM = 5;

function faceMaterial(colour: string): MeshStandardMaterial {
  return new MeshStandardMaterial({ color: new Color(colour), roughness: 0.55, metalness: 0.05 });
}

export type BoardSlab = {
  /** the slab in its board frame, with the placement applied when it has one */
  object: Group;
  mesh: Mesh;
  /** shows a face's picture (holes and the ground outside the outline see-through) */
  setPicture(face: BoardFace, image: TexImageSource): void;
};

export function buildBoardSlab(spec: SlabSpec): BoardSlab {
  const { width, height, thickness } = spec;
  // the board frame's origin at a corner of the bottom face, so a placement names that corner
  const geometry = new BoxGeometry(width, height, thickness).translate(width / 2, height / 2, thickness / 2);
  const positions = geometry.getAttribute('position');
  const uvs = geometry.getAttribute('uv');
  for (const group of geometry.groups) {
    const face: BoardFace | null =
      group.materialIndex === TOP ? 'top' : group.materialIndex === BOTTOM ? 'bottom' : null;
    if (!face || !geometry.index) continue;
    for (let i = group.start; i < group.start + group.count; i++) {
      const vertex = geometry.index.getX(i);
      uvs.setXY(vertex, ...pictureUv(face, positions.getX(vertex), positions.getY(vertex), width, height));
    }
  }
  uvs.needsUpdate = true;
  const edge = faceMaterial(edgeColour);
  const materials: Material[] = [edge, edge, edge, edge, faceMaterial(maskColour), faceMaterial(maskColour)];
  const mesh = new Mesh(geometry, materials);
  mesh.name = spec.name;
  const object = new Group();
  object.name = spec.name;
  object.add(mesh);
  if (spec.placement) {
    const [rx, ry, rz] = spec.placement.rotation.map((degrees) => MathUtils.degToRad(degrees));
    object.rotation.set(rx, ry, rz, 'XYZ');
    object.position.set(...spec.placement.position);
  }
  return {
    object,
    mesh,
    setPicture(face, image) {
      const material = materials[face === 'top' ? TOP : BOTTOM] as MeshStandardMaterial;
      const texture = new Texture(image);
      texture.colorSpace = SRGBColorSpace;
      texture.anisotropy = 4;
      texture.needsUpdate = true;
      material.map = texture;
      material.color.set('#ffffff');
      material.alphaTest = 0.5;
      material.needsUpdate = true;
    },
  };
}
