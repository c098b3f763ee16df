// A render helper thread: takes part in the shared phases of big meshes (reading, drawing, edges, downsampling)
// for any pipeline thread that was lent a port to it.
import { parentPort, type MessagePort } from 'node:worker_threads';
import * as THREE from 'three';
import { meshFromGeometry } from '../cad/mesh.js';
import { decodeChunk, readBinaryStlShared } from '../cad/stl-shared.js';
import { defaultReadLimits } from '../cad/types.js';
import { writeStlBinary } from '../cad/write/stl.js';
import { previewPhases, renderPreviewShared } from '../render/shared-preview.js';
import { serveWorkShare, WorkShare, type SharedPhase } from '../render/work-share.js';

/** What the main thread posts: a port an owner thread will post phases on. */
export interface LentPort {
  port: MessagePort;
}

const phases = [...previewPhases, decodeChunk] as SharedPhase<never>[];

/**
 * The phases run a few times on a small mesh before the helper says it is ready: its first big mesh finds the code
 * compiled (a cold helper's share ran interpreted, slower than the owner's).
 */
function warmUp(): void {
  const knot = meshFromGeometry([{ name: 'warm-up', geometry: new THREE.TorusKnotGeometry(10, 3, 64, 8) }]);
  const stl = writeStlBinary(knot, 'warm-up');
  const bytes = new Uint8Array(new SharedArrayBuffer(stl.length));
  bytes.set(stl);
  const alone = new WorkShare();
  for (let i = 0; i < 8; i++) {
    const { mesh } = readBinaryStlShared(bytes, defaultReadLimits, {}, alone);
    renderPreviewShared(mesh, { size: 256, background: 'light' }, alone);
  }
}

warmUp();
parentPort?.on('message', (m: LentPort) => serveWorkShare(m.port, phases));
parentPort?.postMessage({ ready: true });
