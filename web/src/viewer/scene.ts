// The three.js side of the model viewer: loads one GLB/STL/OBJ/PLY model and the circuit board slabs placed with it (or
// one board alone), frames the camera, orbit controls, part visibility. Imported dynamically by ModelViewer so
// three.js stays out of the main bundle.
import {
  Box3,
  BufferGeometry,
  Color,
  DirectionalLight,
  DoubleSide,
  GridHelper,
  Group,
  HemisphereLight,
  Mesh,
  MeshStandardMaterial,
  type Material,
  Object3D,
  PerspectiveCamera,
  Points,
  PointsMaterial,
  Scene,
  Sphere,
  Vector3,
  WebGLRenderer,
} from 'three';
import { t } from '../i18n';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/addons/libs/meshopt_decoder.module.js';
import { OBJLoader } from 'three/addons/loaders/OBJLoader.js';
import { PLYLoader } from 'three/addons/loaders/PLYLoader.js';
import { STLLoader } from 'three/addons/loaders/STLLoader.js';
import type { SlabSpec } from './board-placement';
import { fetchBoardPicture } from './board-pictures';
import { buildBoardSlab, type BoardFace, type BoardSlab } from './board-slab';

export type ViewerSourceKind = 'glb' | 'gltf' | 'stl' | 'obj' | 'ply';
/** `fallback`: what to load when `url` has nothing yet (the GLB derivative still being made → the raw mesh). */
export type ViewerSource = {
  name: string;
  url: string;
  kind: ViewerSourceKind;
  headers?: Record<string, string>;
  fallback?: ViewerSource;
};
/** `colour`: the part's drawn colour (CSS), for its swatch in the part list. */
export type ViewerPart = { id: string; name: string; colour: string };
export type ViewerFailure = { name: string; message: string };

export type Viewer = {
  parts: ViewerPart[];
  failures: ViewerFailure[];
  /** what the model was drawn from: the source's own kind, or its fallback's when the first failed; none when neither loaded */
  drawn: ViewerSourceKind | null;
  /** the name of the source the model was drawn from: the one asked for, or its fallback's */
  drawnFrom: string | null;
  /** meshes in the scene: what a test counts to tell one model from two copies of it */
  meshes: number;
  /** what is drawn, in millimetres and the CAD frame (Z up): where a placed board shows, for a test to check */
  box: { min: [number, number, number]; max: [number, number, number] } | null;
  /** settles once every board face has its picture or has given up: how many faces show one */
  pictures: Promise<number>;
  setPartVisible(id: string, visible: boolean): void;
  fit(): void;
  dispose(): void;
};

// Warm, distinct part colours that read well on the cream background.
const partColours = ['#c2703d', '#6f8a4a', '#c9a24b', '#8a5a44', '#4f7c82', '#b5524f', '#7d6a9a', '#a38b5f'];

// Both sides of every face: a mesh whose triangles wind inside out (common in STL exports) would otherwise show
// only its far walls, an open box.
// `flat`: a mesh without normals (the pipeline's GLBs carry none) is shaded per face, as GLTFLoader itself would.
function materialFor(index: number, flat = false): MeshStandardMaterial {
  return new MeshStandardMaterial({
    color: new Color(partColours[index % partColours.length]),
    roughness: 0.65,
    metalness: 0.1,
    flatShading: flat,
    side: DoubleSide,
  });
}

function materialsOf(object: Object3D): Material[] {
  const found: Material[] = [];
  object.traverse((child) => {
    if (child instanceof Mesh || child instanceof Points)
      found.push(...(Array.isArray(child.material) ? child.material : [child.material]));
  });
  return found;
}

function colourOf(object: Object3D): string {
  const material = materialsOf(object)[0] as (Material & { color?: Color }) | undefined;
  return material?.color ? `#${material.color.getHexString()}` : partColours[0];
}

async function fetchBytes(source: ViewerSource): Promise<ArrayBuffer> {
  const response = await fetch(source.url, { headers: source.headers });
  if (response.status === 202) throw new Error(t('scene.stillPrepared'));
  if ([400, 404, 415].includes(response.status)) throw new Error(t('scene.noModelForFormat'));
  if (!response.ok) throw new Error(t('scene.couldNotLoad', { status: response.status }));
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json') || type.includes('html')) throw new Error(t('scene.noModelData'));
  return response.arrayBuffer();
}

function meshFromGeometry(geometry: BufferGeometry, index: number): Object3D {
  const hasFaces = geometry.index ? geometry.index.count > 0 : (geometry.getAttribute('position')?.count ?? 0) >= 3;
  // Normals stored in mesh files are often zero or wrong (many STL writers leave them out): derive them from the faces.
  if (hasFaces) geometry.computeVertexNormals();
  return hasFaces
    ? new Mesh(geometry, materialFor(index))
    : new Points(
        geometry,
        new PointsMaterial({ size: 1.5, sizeAttenuation: false, color: partColours[index % partColours.length] }),
      );
}

/** CAD formats are Z-up; three.js is Y-up. glTF is already Y-up by definition. */
function zUpToYUp(object: Object3D): Object3D {
  const holder = new Group();
  object.rotation.x = -Math.PI / 2;
  holder.add(object);
  return holder;
}

/**
 * A frame that holds board slabs (mm, Z up) in the units and axes of what was drawn: glTF is metres with Y up, STL/OBJ/
 * PLY are the manifest's units with Z up (turned Y up like the meshes themselves); a board alone is millimetres.
 */
function slabFrame(kind: ViewerSourceKind | null, meshUnitMm: number): Group {
  const frame = new Group();
  frame.rotation.x = -Math.PI / 2;
  frame.scale.setScalar(kind === 'glb' || kind === 'gltf' ? 0.001 : kind ? 1 / meshUnitMm : 1);
  return frame;
}

/** Decodes a picture into an <img>, which three.js turns the right way up (an ImageBitmap it cannot flip). */
async function imageOf(blob: Blob): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(blob);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function loadSource(source: ViewerSource, index: number): Promise<{ object: Object3D; parts: Object3D[] }> {
  const bytes = await fetchBytes(source);
  switch (source.kind) {
    case 'stl': {
      const object = meshFromGeometry(new STLLoader().parse(bytes), index);
      return { object: zUpToYUp(object), parts: [object] };
    }
    case 'ply': {
      const object = meshFromGeometry(new PLYLoader().parse(bytes), index);
      return { object: zUpToYUp(object), parts: [object] };
    }
    case 'obj': {
      const group = new OBJLoader().parse(new TextDecoder().decode(bytes));
      let n = index;
      group.traverse((child) => {
        if (child instanceof Mesh) child.material = materialFor(n++);
      });
      return { object: zUpToYUp(group), parts: group.children.length > 1 ? group.children : [group] };
    }
    case 'glb':
    case 'gltf': {
      // the server meshopt-compresses larger models (EXT_meshopt_compression)
      const gltf = await new GLTFLoader().setMeshoptDecoder(MeshoptDecoder).parseAsync(bytes, '');
      let n = index;
      gltf.scene.traverse((child) => {
        if (child instanceof Mesh && (!child.material || (child.material as MeshStandardMaterial).map === null)) {
          child.material = materialFor(n++, !child.geometry.getAttribute('normal'));
        }
      });
      materialsOf(gltf.scene).forEach((material) => (material.side = DoubleSide));
      // A single wrapper node with several children is an assembly: its children are the parts.
      let root: Object3D = gltf.scene;
      while (root.children.length === 1 && root.children[0].children.length > 0) root = root.children[0];
      return { object: gltf.scene, parts: root.children.length > 1 ? root.children : [gltf.scene] };
    }
  }
}

export type ViewerOptions = {
  /** circuit boards to draw: placed ones with the model, or one alone when there is no source */
  slabs?: SlabSpec[];
  /** millimetres per unit of unitless meshes (the manifest's `units`) */
  meshUnitMm?: number;
  /** sent with the boards' picture requests */
  headers?: Record<string, string>;
};

export async function createViewer(
  canvas: HTMLCanvasElement,
  source: ViewerSource | null,
  options: ViewerOptions = {},
): Promise<Viewer> {
  const renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  const scene = new Scene();
  scene.background = new Color('#f3ece0');
  scene.add(new HemisphereLight('#fff8ee', '#8a7560', 1.6));
  const key = new DirectionalLight('#ffffff', 2.2);
  key.position.set(1, 2, 1.5);
  scene.add(key);
  const fill = new DirectionalLight('#ffe9d0', 0.8);
  fill.position.set(-1.5, 0.5, -1);
  scene.add(fill);

  const camera = new PerspectiveCamera(35, 1, 0.1, 1000);
  const controls = new OrbitControls(camera, canvas);
  controls.enableDamping = false;

  const model = new Group();
  scene.add(model);
  const parts: ViewerPart[] = [];
  const partObjects = new Map<string, Object3D>();
  const failures: ViewerFailure[] = [];

  const loadWithFallback = (
    from: ViewerSource,
  ): Promise<{ object: Object3D; parts: Object3D[]; kind: ViewerSourceKind; name: string }> =>
    loadSource(from, 0).then(
      (result) => ({ ...result, kind: from.kind, name: from.name }),
      (error: Error) => {
        if (!from.fallback) return Promise.reject(error);
        console.warn(
          `3D view: ${from.name} (${from.kind}) could not be drawn (${error.message}); drawing the ${from.fallback.kind} file instead`,
        );
        return loadWithFallback(from.fallback);
      },
    );
  let drawn: ViewerSourceKind | null = null;
  let drawnFrom: string | null = null;
  if (source) {
    try {
      const result = await loadWithFallback(source);
      drawn = result.kind;
      drawnFrom = result.name;
      model.add(result.object);
      result.parts.forEach((part, index) => {
        const id = `${source.name}#${index}`;
        // GLTFLoader turns "hopper shell" into "hopper_shell" for animation paths; the file's own name is in userData
        const own = typeof part.userData.name === 'string' ? part.userData.name : part.name;
        const name = result.parts.length > 1 ? own || t('scene.part', { number: index + 1 }) : source.name;
        parts.push({ id, name, colour: colourOf(part) });
        partObjects.set(id, part);
      });
    } catch (error) {
      failures.push({ name: source.name, message: (error as Error).message });
    }
  }
  // boards go with a model only once it is drawn (they are placed in its coordinates), or alone
  const slabs: BoardSlab[] = [];
  const frame = slabFrame(drawn, options.meshUnitMm ?? 1);
  if (!source || drawn) {
    for (const spec of options.slabs ?? []) {
      const slab = buildBoardSlab(spec);
      frame.add(slab.object);
      slabs.push(slab);
      const id = `board:${spec.id}`;
      parts.push({ id, name: spec.name, colour: colourOf(slab.mesh) });
      partObjects.set(id, slab.object);
    }
    if (slabs.length) model.add(frame);
  }
  let meshes = 0;
  model.traverse((child) => {
    if (child instanceof Mesh || child instanceof Points) meshes++;
  });

  const render = () => renderer.render(scene, camera);
  let grid: GridHelper | null = null;

  function fit() {
    const box = new Box3().setFromObject(model);
    if (box.isEmpty()) return render();
    const sphere = box.getBoundingSphere(new Sphere());
    const radius = Math.max(sphere.radius, 1e-6);
    const distance = radius / Math.sin((camera.fov * Math.PI) / 360);
    const direction = new Vector3(1, 0.8, 1.2).normalize();
    camera.position.copy(sphere.center).addScaledVector(direction, distance * 1.1);
    camera.near = distance / 100;
    camera.far = distance * 10;
    camera.updateProjectionMatrix();
    controls.target.copy(sphere.center);
    controls.update();
    if (!grid) {
      const size = radius * 4;
      grid = new GridHelper(size, 20, '#c9b79c', '#e2d6c3');
      grid.position.set(sphere.center.x, box.min.y, sphere.center.z);
      scene.add(grid);
    }
    render();
  }

  function resize() {
    const width = canvas.clientWidth || 640;
    const height = canvas.clientHeight || 420;
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    render();
  }

  const aborter = new AbortController();
  const faces = slabs.flatMap((slab, index) =>
    (['top', 'bottom'] as BoardFace[]).map((face) => ({ slab, face, url: options.slabs![index].pictures?.[face] })),
  );
  const pictures = Promise.all(
    faces.map(async ({ slab, face, url }) => {
      if (!url) return 0;
      try {
        const blob = await fetchBoardPicture({ url, headers: options.headers, signal: aborter.signal });
        if (!blob || aborter.signal.aborted) return 0;
        slab.setPicture(face, await imageOf(blob));
        render();
        return 1;
      } catch (error) {
        // a picture that does not come leaves its face plain: the slab is still the board's size and place
        if (!aborter.signal.aborted)
          console.warn(`3D view: no ${face} picture of the board (${(error as Error).message})`);
        return 0;
      }
    }),
  ).then((counts) => counts.reduce<number>((sum, n) => sum + n, 0));

  const observer = new ResizeObserver(resize);
  observer.observe(canvas);
  controls.addEventListener('change', render);
  resize();
  fit();

  return {
    parts,
    failures,
    drawn,
    drawnFrom,
    meshes,
    box: boxInMm(model, frame.scale.x),
    pictures,
    setPartVisible(id, visible) {
      const part = partObjects.get(id);
      if (part) part.visible = visible;
      render();
    },
    fit,
    dispose() {
      aborter.abort();
      observer.disconnect();
      controls.dispose();
      model.traverse((child) => {
        if (child instanceof Mesh || child instanceof Points) {
          child.geometry.dispose();
          const materials = Array.isArray(child.material) ? child.material : [child.material];
          materials.forEach((material) => {
            (material as MeshStandardMaterial).map?.dispose();
            material.dispose();
          });
        }
      });
      renderer.dispose();
    },
  };
}

/** The model's bounding box back in millimetres and Z up, through the frame the slabs were given (scale per mm). */
function boxInMm(model: Object3D, scale: number): Viewer['box'] {
  const box = new Box3().setFromObject(model);
  if (box.isEmpty()) return null;
  const mm = (value: number) => Math.round((value / scale) * 100) / 100;
  // Y up → Z up: (x, y, z) → (x, −z, y)
  return {
    min: [mm(box.min.x), mm(-box.max.z), mm(box.min.y)],
    max: [mm(box.max.x), mm(-box.min.z), mm(box.max.y)],
  };
}
