// Render benchmark: binary STL → 512² PNG for 10 k / 100 k / 1 M triangles, against SVGRenderer and Chromium WebGL.
import * as THREE from 'three';
import sharp from 'sharp';
import { computeFacts } from '../server/src/cad/facts.js';
import { meshFromGeometry } from '../server/src/cad/mesh.js';
import { readStl } from '../server/src/cad/stl.js';
import { defaultReadLimits } from '../server/src/cad/types.js';
import { writeStlBinary } from '../server/src/cad/write/stl.js';
import { encodePreview, renderPreview } from '../server/src/render/preview.js';
import { formatMs, median } from './stats.js';
import { chromiumPeer, chromiumPeerWhat } from './chromium-peer.js';

const SIZE = 512;
const RUNS = 5;

const ms = (x: number) => formatMs(x, 1);

/** A torus knot with ~n triangles (2·tubular·radial), as binary STL. */
function knotStl(n: number): Buffer {
  const radial = Math.round(Math.sqrt(n / 4));
  const tubular = Math.round(n / (2 * radial));
  return writeStlBinary(
    meshFromGeometry([{ name: 'knot', geometry: new THREE.TorusKnotGeometry(20, 6, tubular, radial) }]),
  );
}

async function ours(stl: Buffer) {
  const t0 = performance.now();
  const { mesh } = readStl(stl, defaultReadLimits);
  const t1 = performance.now();
  const { rgba, opaque } = renderPreview(mesh, { size: SIZE });
  const t2 = performance.now();
  await encodePreview(rgba, SIZE, 'png', opaque);
  const t3 = performance.now();
  // the facts (the watertight test welds every vertex) come after the picture, as in the pipeline; timed on their own
  const f0 = performance.now();
  computeFacts(mesh, 'stl');
  const facts = performance.now() - f0;
  return { total: t3 - t0, read: t1 - t0, facts, render: t2 - t1, png: t3 - t2 };
}

/** three's SVGRenderer in Node with a linkedom document, SVG → PNG through sharp. */
async function svgPeer(stl: Buffer): Promise<number> {
  const { parseHTML } = await import('linkedom');
  const { SVGRenderer } = await import('three/examples/jsm/renderers/SVGRenderer.js');
  const { STLLoader } = await import('three/examples/jsm/loaders/STLLoader.js');
  (globalThis as any).document ??= parseHTML('<!doctype html><html><body></body></html>').document;
  const t0 = performance.now();
  const geometry = new STLLoader().parse(
    stl.buffer.slice(stl.byteOffset, stl.byteOffset + stl.byteLength) as ArrayBuffer,
  );
  const scene = new THREE.Scene();
  scene.background = new THREE.Color('#f4f5f7');
  scene.add(new THREE.Mesh(geometry, new THREE.MeshLambertMaterial({ color: 0x99abc2 })));
  scene.add(new THREE.AmbientLight(0xffffff, 0.5));
  const light = new THREE.DirectionalLight(0xffffff, 1);
  light.position.set(-1, -1, 2);
  scene.add(light);
  geometry.computeBoundingSphere();
  const s = geometry.boundingSphere!;
  const camera = new THREE.PerspectiveCamera(28, 1, 1, s.radius * 10);
  camera.up.set(0, 0, 1);
  camera.position.copy(s.center).add(new THREE.Vector3(1, -1.5, 1).normalize().multiplyScalar(s.radius * 4));
  camera.lookAt(s.center);
  const renderer = new SVGRenderer();
  renderer.setSize(SIZE, SIZE);
  renderer.render(scene, camera);
  const svg = (renderer.domElement as any).outerHTML as string;
  await sharp(Buffer.from(svg)).resize(SIZE, SIZE).png().toBuffer();
  return performance.now() - t0;
}

export async function run(): Promise<void> {
  const sizes = [10_000, 100_000, 1_000_000];
  const meshes = new Map<string, Buffer>();
  for (const n of sizes) meshes.set(String(n), knotStl(n));
  console.log(
    `render benchmark: binary STL → ${SIZE}² PNG, median of ${RUNS} (torus knots; Node ${process.version})\n`,
  );

  const oursMed = new Map<number, number>();
  for (const n of sizes) {
    const stl = meshes.get(String(n))!;
    // warm-up: a pipeline thread that has drawn a few files (its JIT settles after ~10 renders; a fresh thread's
    // first render of a small mesh is ~0.1 s, most of it compiling)
    for (let i = 0; i < 10; i++) await ours(stl);
    const runs: Awaited<ReturnType<typeof ours>>[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await ours(stl));
    const med = (k: 'total' | 'read' | 'facts' | 'render' | 'png') => median(runs.map((r) => r[k]));
    oursMed.set(n, med('total'));
    const tris = stl.readUInt32LE(80);
    console.log(
      `andecha  ${tris.toLocaleString('en').padStart(9)} triangles: ${ms(med('total')).padStart(9)}  (read ${ms(med('read'))}, render ${ms(med('render'))}, png ${ms(med('png'))}; then facts ${ms(med('facts'))})`,
    );
  }

  // SVGRenderer: minutes at 1 M triangles; measured up to 100 k and extrapolated linearly unless BENCH_FULL=1
  console.log('');
  const svgMed = new Map<number, { t: number; note: string }>();
  const full = process.env.BENCH_FULL === '1';
  for (const n of sizes) {
    if (n === 1_000_000 && !full) {
      const per = svgMed.get(100_000)!.t / 100_000;
      svgMed.set(n, { t: per * n, note: 'EXTRAPOLATED linearly from 100 k (BENCH_FULL=1 to measure)' });
    } else {
      const runs = n >= 1_000_000 ? 1 : n >= 100_000 ? 3 : RUNS;
      const ts: number[] = [];
      for (let i = 0; i < runs; i++) ts.push(await svgPeer(meshes.get(String(n))!));
      svgMed.set(n, { t: median(ts), note: runs === RUNS ? '' : `median of ${runs}` });
    }
    const r = svgMed.get(n)!;
    console.log(
      `svg      ${n.toLocaleString('en').padStart(9)} triangles: ${ms(r.t).padStart(9)}  ratio ${(r.t / oursMed.get(n)!).toFixed(1)}× ${r.note}`,
    );
  }

  console.log('');
  const peer = await chromiumPeer(meshes, RUNS);
  for (const n of sizes) {
    const t = peer?.get(String(n));
    if (t !== undefined)
      console.log(
        `chromium ${n.toLocaleString('en').padStart(9)} triangles: ${ms(t).padStart(9)}  ratio ${(t / oursMed.get(n)!).toFixed(1)}×  (${chromiumPeerWhat})`,
      );
  }
}
