// Arranging the CAD files of a version in one scene: the file that is the whole machine alone when there is one
// (an assembly exported whole beside its parts), else as they are when they share a coordinate system (an assembly
// exported part by part), else side by side on the ground, largest first.
import { meshBounds, mergeMeshes, type Bounds } from '../cad/mesh.js';
import type { Mesh } from '../cad/types.js';

export interface Arranged {
  mesh: Mesh;
  /** true when the files' own coordinates were kept */
  shared: boolean;
}

function overlaps(a: Bounds, b: Bounds, slack: number): boolean {
  for (let k = 0; k < 3; k++) if (a.max[k] + slack < b.min[k] || b.max[k] + slack < a.min[k]) return false;
  return true;
}

/**
 * Shared coordinates are plausible when every file's box touches another's (a connected overlap graph):
 * parts drawn at the origin each, far apart or stacked on one spot, are not an assembly.
 */
export function shareCoordinates(boxes: Bounds[]): boolean {
  if (boxes.length < 2) return true;
  const size = (b: Bounds) => Math.hypot(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]);
  // identical boxes at one spot are copies or alternatives, not an assembly
  const same = boxes.every((b) =>
    b.min.every((v, k) => Math.abs(v - boxes[0].min[k]) < 1e-6 && Math.abs(b.max[k] - boxes[0].max[k]) < 1e-6),
  );
  if (same) return false;
  const seen = new Set([0]);
  const queue = [0];
  while (queue.length) {
    const i = queue.pop()!;
    for (let j = 0; j < boxes.length; j++) {
      if (seen.has(j)) continue;
      if (overlaps(boxes[i], boxes[j], 0.02 * Math.max(size(boxes[i]), size(boxes[j])))) {
        seen.add(j);
        queue.push(j);
      }
    }
  }
  return seen.size === boxes.length;
}

const diagonal = (b: Bounds) => Math.hypot(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]);

/** `outer` holds `inner`, give or take 2 % of its size (exporters round coordinates differently). */
function contains(outer: Bounds, inner: Bounds): boolean {
  const slack = 0.02 * diagonal(outer);
  return [0, 1, 2].every((k) => inner.min[k] >= outer.min[k] - slack && inner.max[k] <= outer.max[k] + slack);
}

/**
 * The file that is the whole machine: a mesh of several parts whose box holds every other file's. Drawn with the
 * parts exported beside it, each part would be drawn twice, overlapping in stripes. A single-part file holding the
 * others is rather the frame of an assembly exported part by part. The web viewer chooses by the same rule
 * (web/src/viewer/model-choice.ts), so the card picture and the viewer show the same model.
 */
export function wholeModelIndex(meshes: Mesh[], boxes: Bounds[]): number | undefined {
  if (meshes.length < 2) return undefined;
  const holders = meshes
    .map((_, i) => i)
    .filter((i) => meshes[i].parts.length > 1 && boxes.every((box, j) => j === i || contains(boxes[i], box)));
  return holders.sort(
    (a, b) => meshes[b].parts.length - meshes[a].parts.length || diagonal(boxes[b]) - diagonal(boxes[a]),
  )[0];
}

function translated(mesh: Mesh, dx: number, dy: number, dz: number): Mesh {
  const positions = new Float32Array(mesh.positions.length);
  for (let i = 0; i < positions.length; i += 3) {
    positions[i] = mesh.positions[i] + dx;
    positions[i + 1] = mesh.positions[i + 1] + dy;
    positions[i + 2] = mesh.positions[i + 2] + dz;
  }
  let points: Float32Array | undefined;
  if (mesh.points) {
    points = new Float32Array(mesh.points.length);
    for (let i = 0; i < points.length; i += 3) {
      points[i] = mesh.points[i] + dx;
      points[i + 1] = mesh.points[i + 1] + dy;
      points[i + 2] = mesh.points[i + 2] + dz;
    }
  }
  return { ...mesh, positions, ...(points ? { points } : {}) };
}

/** One mesh for the version: the whole-machine file alone, else all files kept in place when they share coordinates, else rows on the ground (Z = 0). */
export function arrangeMeshes(meshes: Mesh[]): Arranged {
  const boxes = meshes.map(meshBounds);
  const whole = wholeModelIndex(meshes, boxes);
  if (whole !== undefined) return { mesh: meshes[whole], shared: true };
  if (shareCoordinates(boxes)) return { mesh: mergeMeshes(meshes), shared: true };
  const order = meshes
    .map((_, i) => i)
    .sort((a, b) => {
      const fa = (boxes[a].max[0] - boxes[a].min[0]) * (boxes[a].max[1] - boxes[a].min[1]);
      const fb = (boxes[b].max[0] - boxes[b].min[0]) * (boxes[b].max[1] - boxes[b].min[1]);
      return fb - fa || a - b;
    });
  const widths = order.map((i) => boxes[i].max[0] - boxes[i].min[0]);
  const depths = order.map((i) => boxes[i].max[1] - boxes[i].min[1]);
  const area = widths.reduce((s, w, k) => s + w * depths[k], 0);
  const gap = (0.15 * Math.max(...widths, ...depths, 1e-6)) / Math.max(1, Math.sqrt(order.length));
  const rowWidth = Math.max(Math.sqrt(area) * 1.4, widths[0]);
  const placed: Mesh[] = [];
  let x = 0,
    y = 0,
    rowDepth = 0;
  order.forEach((i, k) => {
    if (x > 0 && x + widths[k] > rowWidth) {
      x = 0;
      y -= rowDepth + gap;
      rowDepth = 0;
    }
    const b = boxes[i];
    placed.push(translated(meshes[i], x - b.min[0], y - b.max[1], -b.min[2]));
    x += widths[k] + gap;
    rowDepth = Math.max(rowDepth, depths[k]);
  });
  return { mesh: mergeMeshes(placed), shared: false };
}
