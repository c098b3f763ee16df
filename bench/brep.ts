// B-rep benchmark: STEP and IGES through the pipeline's worker thread (occt-import-js → facts → 512/256 PNG+WebP
// previews → GLB), cold (a fresh thread: tsx, OpenCascade's WASM start) and warm; the peer is OpenCascade's own
// read of the same bytes in this thread (warm), so the ratio is what facts, previews and the GLB add to the read.
import { createRequire } from 'node:module';
import { ThreadPool } from '../server/src/pipeline/pool.js';
import { previewFormats, previewSizes } from '../server/src/pipeline/jobs/process-file.js';
import { igesBoxes, stepBoxes, type BoxSpec } from '../test/fixtures/brep.js';
import { formatMs as ms, median } from './stats.js';

const RUNS = 5;
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

/** `n` plates and posts laid out like a frame, each its own solid with a name. */
function frame(n: number): BoxSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const x = (i % 10) * 60,
      y = Math.floor(i / 10) * 45,
      h = 5 + (i % 7) * 6;
    return { name: `part-${String(i + 1).padStart(3, '0')}`, min: [x, y, 0], max: [x + 40 + (i % 3) * 5, y + 30, h] };
  });
}

/** The smallest frame whose text reaches `bytes`. */
function sized(write: (boxes: BoxSpec[]) => string, bytes: number): { text: string; solids: number } {
  const per = write(frame(10)).length / 10;
  let n = Math.ceil(bytes / per);
  let text = write(frame(n));
  while (text.length < bytes) text = write(frame(++n));
  return { text, solids: n };
}

type OcctModule = {
  ReadFile(format: string, content: Uint8Array, params: object | null): { success: boolean; meshes?: unknown[] };
};

export async function run(): Promise<void> {
  const cases = [
    {
      label: 'STEP, 50 solids',
      filename: 'frame-50.step',
      kind: 'step',
      ...{ text: stepBoxes(frame(50)), solids: 50 },
    },
    { label: 'STEP, 1 MB', filename: 'frame-1mb.step', kind: 'step', ...sized((b) => stepBoxes(b), 1_000_000) },
    { label: 'IGES, 1 MB', filename: 'frame-1mb.igs', kind: 'iges', ...sized((b) => igesBoxes(b), 1_000_000) },
  ];
  const occt = await (createRequire(import.meta.url)('occt-import-js') as (o: object) => Promise<OcctModule>)({
    print: () => {},
    printErr: () => {},
  });
  console.log(
    `brep benchmark: processFile in a worker thread (facts, ${previewSizes.join('/')} px ${previewFormats.join('+')}, GLB) vs OpenCascade's read alone, medians of ${RUNS}\n`,
  );
  console.log('file                 size     solids  cold (new thread)  warm      occt read  ratio');
  for (const c of cases) {
    const bytes = new TextEncoder().encode(c.text);
    const task = () => ({
      bytes: bytes.slice(),
      filename: c.filename,
      sizes: previewSizes,
      formats: [...previewFormats],
      glb: true,
    });
    const pool = new ThreadPool(1, 120_000);
    let t = performance.now();
    const first = await pool.processFile(task());
    const cold = performance.now() - t;
    if (!first.ok) throw new Error(`${c.filename}: ${first.message}`);
    // every box tessellates to 12 triangles: a check that all of the file was read
    const triangles = (first.facts as { triangles?: number }).triangles;
    if (triangles !== c.solids * 12)
      throw new Error(`${c.filename}: ${triangles} triangles read, ${c.solids * 12} expected`);
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      await pool.processFile(task());
      warm.push(performance.now() - t);
    }
    await pool.close();
    const peer: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      const r = occt.ReadFile(c.kind, bytes, {
        linearUnit: 'millimeter',
        linearDeflectionType: 'bounding_box_ratio',
        linearDeflection: 0.002,
        angularDeflection: 0.3,
      });
      peer.push(performance.now() - t);
      if (!r.success) throw new Error(`${c.filename}: occt could not read it`);
    }
    const w = median(warm),
      p = median(peer);
    console.log(
      `${c.label.padEnd(20)} ${mb(bytes.length).padEnd(8)} ${String(c.solids).padEnd(7)} ${ms(cold).padEnd(18)} ${ms(w).padEnd(9)} ${ms(p).padEnd(10)} ${(w / p).toFixed(2)}×`,
    );
  }
  console.log(
    '\ntarget: ≤ 2 s warm for a 1 MB STEP (facts + preview). Ratio = warm pipeline time ÷ OpenCascade read alone.',
  );
}
