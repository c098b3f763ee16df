// The Chromium peer of the render and pipeline benchmarks: a page that fetches a binary STL, parses it with three's
// STLLoader and draws it with WebGLRenderer (SwiftShader) into a PNG, in Debian's headless Chromium.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { median } from './stats.js';

const SIZE = 512;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const chromiumPeerWhat = 'page + fetch + STLLoader parse + WebGL/SwiftShader render + PNG';

const PAGE = `<!doctype html><html><body style="margin:0"><canvas id="c" width="${SIZE}" height="${SIZE}"></canvas>
<script type="importmap">{"imports":{"three":"/three/build/three.module.js"}}</script>
<script type="module">
import * as THREE from 'three';
import { STLLoader } from '/three/examples/jsm/loaders/STLLoader.js';
const name = new URLSearchParams(location.search).get('m');
const buf = await (await fetch('/mesh/' + name)).arrayBuffer();
const geometry = new STLLoader().parse(buf);
geometry.computeBoundingSphere();
const s = geometry.boundingSphere;
const renderer = new THREE.WebGLRenderer({ canvas: document.getElementById('c'), antialias: true, preserveDrawingBuffer: true });
const scene = new THREE.Scene();
scene.background = new THREE.Color('#f4f5f7');
scene.add(new THREE.Mesh(geometry, new THREE.MeshStandardMaterial({ color: 0x99abc2, flatShading: true })));
scene.add(new THREE.HemisphereLight(0xffffff, 0x444444, 1.5));
const light = new THREE.DirectionalLight(0xffffff, 2); light.position.set(-1, -1, 2); scene.add(light);
const camera = new THREE.PerspectiveCamera(28, 1, 1, s.radius * 10);
camera.up.set(0, 0, 1);
camera.position.copy(s.center).add(new THREE.Vector3(1, -1.5, 1).normalize().multiplyScalar(s.radius * 4));
camera.lookAt(s.center);
renderer.render(scene, camera);
const png = document.getElementById('c').toDataURL('image/png');
window.done = png.length;
</script></body></html>`;

function serve(meshes: Map<string, Buffer>): Promise<{ server: Server; port: number }> {
  const threeRoot = join(process.cwd(), 'node_modules', 'three');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else if (url.pathname.startsWith('/mesh/')) {
      const m = meshes.get(url.pathname.slice(6));
      if (m) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(m);
      else res.writeHead(404).end();
    } else if (url.pathname.startsWith('/three/') && !url.pathname.includes('..')) {
      const file = join(threeRoot, url.pathname.slice(7));
      if (existsSync(file)) res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
      else res.writeHead(404).end();
    } else res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })),
  );
}

/**
 * The median time of each mesh from page load to PNG, over `runs` pages after one that warms the browser's caches;
 * null when Chromium is not installed.
 */
export async function chromiumPeer(meshes: Map<string, Buffer>, runs: number): Promise<Map<string, number> | null> {
  if (!existsSync(CHROMIUM)) {
    console.log(`chromium: ${CHROMIUM} missing (apt-get install -y chromium); peer skipped`);
    return null;
  }
  const { chromium } = await import('playwright-core');
  const { server, port } = await serve(meshes);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const out = new Map<string, number>();
  try {
    for (const name of meshes.keys()) {
      const ts: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
        const t0 = performance.now();
        await page.goto(`http://127.0.0.1:${port}/?m=${name}`);
        await page.waitForFunction(() => (window as any).done, undefined, { timeout: 120_000, polling: 10 });
        const t = performance.now() - t0;
        await page.close();
        if (i > 0) ts.push(t); // first run warms the browser's caches
      }
      out.set(name, median(ts));
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}
