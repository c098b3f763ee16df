// Render benchmark: binary STL → 512² PNG for 10 k / 100 k / 1 M triangles, against SVGRenderer and Chromium WebGL.
import * as THREE from 'three';
import sharp from 'sharp';
import { computeFacts } from '../server/src/cad/facts.js';
import { meshFromGeometry } from '../server/src/cad/mesh.js';
import { readStl } from '../server/src/cad/stl.js';
import { defaultReadLimits } from '../server/src/cad/types.js';
import { writeStlBinary } from '../server/src/cad/write/stl.js';
import { encodePreview, renderPreview } from '../server/src/render/preview.js';
import { readBinaryStlShared } from '../server/src/cad/stl-shared.js';
import { renderPreviewShared } from '../server/src/render/shared-preview.js';
import { WorkShare } from '../server/src/render/work-share.js';
import { RenderHelpers } from '../server/src/pipeline/render-helpers.js';
import { loadConfig } from '../server/src/config.js';
import { formatMs, median } from './stats.js';
import { factsAgainstBefore } from './facts.js';
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

async function ours(stl: Buffer, withFacts = true) {
  const t0 = performance.now();
  const { mesh } = readStl(stl, defaultReadLimits);
  const t1 = performance.now();
  const { rgba, opaque } = renderPreview(mesh, { size: SIZE });
  const t2 = performance.now();
  await encodePreview(rgba, SIZE, 'png', opaque);
  const t3 = performance.now();
  // the facts (the watertight test welds every vertex) come after the picture, as in the pipeline; timed on their own
  const f0 = performance.now();
  if (withFacts) computeFacts(mesh, 'stl');
  const facts = performance.now() - f0;
  return { total: t3 - t0, read: t1 - t0, facts, render: t2 - t1, png: t3 - t2 };
}

/** The same with every core: the STL (in shared memory, as a pipeline thread reads a big one) read and drawn with
 *  the helper threads, as the pipeline does for a mesh of 200 k triangles or more. */
async function oursShared(stl: Uint8Array, helpers: RenderHelpers) {
  const t0 = performance.now();
  const share = new WorkShare(helpers.lend());
  try {
    const { mesh } = readBinaryStlShared(stl, defaultReadLimits, {}, share);
    const t1 = performance.now();
    const { rgba, opaque } = renderPreviewShared(mesh, { size: SIZE }, share);
    const t2 = performance.now();
    await encodePreview(rgba, SIZE, 'png', opaque);
    const t3 = performance.now();
    return { total: t3 - t0, read: t1 - t0, render: t2 - t1, png: t3 - t2 };
  } finally {
    share.close();
  }
}

/** The 1 M-triangle mesh both ways, runs interleaved so both see the same load; median of `runs` each. */
async function sharedAgainstSingle(stl: Buffer, runs: number) {
  // the configuration's default (cores − 2 helpers, at least one here; ANDECHA_RENDER_HELPERS to change it)
  const helpers = new RenderHelpers(Math.max(1, loadConfig().renderHelpers));
  await helpers.ready;
  const inShared = new Uint8Array(new SharedArrayBuffer(stl.length));
  inShared.set(stl);
  const single: Awaited<ReturnType<typeof ours>>[] = [];
  const shared: Awaited<ReturnType<typeof oursShared>>[] = [];
  const threads = helpers.count + 1;
  // CPU time of the whole process (every thread): on a loaded machine the wall clock says little about what a free
  // core would give, the CPU time says how much work each path does
  const cpu = { single: 0, shared: 0 };
  const cpuMs = (from: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(from);
    return (d.user + d.system) / 1000;
  };
  try {
    for (let i = 0; i < 5; i++) await oursShared(inShared, helpers);
    for (let i = 0; i < runs; i++) {
      let c = process.cpuUsage();
      single.push(await ours(stl, false));
      cpu.single += cpuMs(c);
      c = process.cpuUsage();
      shared.push(await oursShared(inShared, helpers));
      cpu.shared += cpuMs(c);
    }
  } finally {
    await helpers.close();
  }
  return { single, shared, threads, cpuSingle: cpu.single / runs, cpuShared: cpu.shared / runs };
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

  const big = 1_000_000;
  const both = await sharedAgainstSingle(meshes.get(String(big))!, RUNS * 2);
  const medOf = <T extends Record<string, number>>(rs: T[], k: keyof T) => median(rs.map((r) => r[k]));
  const sharedMed = medOf(both.shared, 'total');
  const singleMed = medOf(both.single, 'total');
  console.log(
    `andecha  ${big.toLocaleString('en').padStart(9)} triangles, ${both.threads} threads: ${ms(sharedMed).padStart(9)}  (read ${ms(medOf(both.shared, 'read'))}, render ${ms(medOf(both.shared, 'render'))}, png ${ms(medOf(both.shared, 'png'))}); one thread in the same runs ${ms(singleMed)}: ${(singleMed / sharedMed).toFixed(2)}× faster (per run ${both.single.map((r, i) => (r.total / both.shared[i].total).toFixed(2)).join(' ')})`,
  );
  console.log(
    `         CPU time per run (all threads, mean): one thread ${ms(both.cpuSingle)}, ${both.threads} threads ${ms(both.cpuShared)} — with ${both.threads} free cores at best ${(both.cpuSingle / (both.cpuShared / both.threads)).toFixed(2)}× (an estimate, not a measurement)`,
  );

  // the facts line's peer: the algorithm before issue 32 on the same meshes (bench/facts.ts)
  console.log('');
  factsAgainstBefore(
    new Map(
      [...meshes].map(([n, stl]) => [
        `${Number(n).toLocaleString('en')} triangles`,
        readStl(stl, defaultReadLimits).mesh,
      ]),
    ),
  );

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
        `chromium ${n.toLocaleString('en').padStart(9)} triangles: ${ms(t).padStart(9)}  ratio ${(t / oursMed.get(n)!).toFixed(1)}×${n === big ? `, ${(t / sharedMed).toFixed(1)}× with ${both.threads} threads` : ''}  (${chromiumPeerWhat})`,
      );
  }
}
