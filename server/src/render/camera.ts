// Camera framing: an isometric-ish three.js PerspectiveCamera fitted tightly to a bounding box.
import { Matrix4, PerspectiveCamera, Vector3, Vector4 } from 'three';
import type { Bounds } from '../cad/mesh.js';

export interface Framing {
  /** column-major clip-from-world matrix, already zoomed so the box fills the frame with a margin */
  viewProj: Float64Array;
  /** camera position and its right / up / towards-viewer axes, world space */
  eye: Vector3;
  right: Vector3;
  up: Vector3;
  back: Vector3;
  /** bounding-sphere radius of the box, mm (for edge thresholds) */
  radius: number;
}

/** Viewing direction from the target: front-right, above; Z is up as in CAD files. */
const VIEW_DIR = new Vector3(0.95, -1.45, 0.95).normalize();
const FOV = 28;

/** Frame `bounds` for a square (or `aspect`) image, leaving `margin` (fraction of the half-size) free. */
export function frameBounds(bounds: Bounds, aspect = 1, margin = 0.1): Framing {
  const min = new Vector3(...bounds.min);
  const max = new Vector3(...bounds.max);
  const center = min.clone().add(max).multiplyScalar(0.5);
  const radius = Math.max(max.distanceTo(min) / 2, 1e-6);
  const dist = radius / Math.sin(((FOV / 2) * Math.PI) / 180);
  const camera = new PerspectiveCamera(FOV, aspect, Math.max(dist - radius * 1.05, dist * 0.01), dist + radius * 1.05);
  camera.up.set(0, 0, 1);
  camera.position.copy(center).addScaledVector(VIEW_DIR, dist);
  camera.lookAt(center);
  camera.updateMatrixWorld(true);
  camera.updateProjectionMatrix();
  const vp = new Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);

  // zoom and centre on the projected box corners, so flat and tall parts fill the frame alike
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  const v = new Vector4();
  for (let i = 0; i < 8; i++) {
    v.set(i & 1 ? max.x : min.x, i & 2 ? max.y : min.y, i & 4 ? max.z : min.z, 1).applyMatrix4(vp);
    const nx = v.x / v.w,
      ny = v.y / v.w;
    x0 = Math.min(x0, nx);
    x1 = Math.max(x1, nx);
    y0 = Math.min(y0, ny);
    y1 = Math.max(y1, ny);
  }
  const s = (2 * (1 - margin)) / Math.max(x1 - x0, y1 - y0, 1e-9);
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2;
  const fit = new Matrix4().set(s, 0, 0, -s * cx, 0, s, 0, -s * cy, 0, 0, 1, 0, 0, 0, 0, 1);
  const viewProj = new Float64Array(fit.multiply(vp).elements);
  const e = camera.matrixWorld.elements;
  return {
    viewProj,
    eye: camera.position.clone(),
    right: new Vector3(e[0], e[1], e[2]),
    up: new Vector3(e[4], e[5], e[6]),
    back: new Vector3(e[8], e[9], e[10]),
    radius,
  };
}
