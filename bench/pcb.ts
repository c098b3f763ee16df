// Board benchmark: a four-layer board of ~2,000 pads and 5,000 traces (test/helpers/board-fixture.ts) → our whole job
// (guard, parse, pcb-stackup, facts, top and bottom at 128/256/512/1024 in PNG and WebP, each layer's SVG; its pictures are drawn on demand) against
// pcb-stackup's bare render of the same files to SVG, the peer, measured alternately in the same run.
import pcbStackup from 'pcb-stackup';
import { drawBoard } from '../server/src/electronics/render.js';
import { makeBoard } from '../test/helpers/board-fixture.js';
import { formatMs, median } from './stats.js';

const RUNS = 5;

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

export async function run(): Promise<void> {
  const board = makeBoard({ layers: 4, pads: 2000, traces: 5000 });
  const encoder = new TextEncoder();
  const files = Object.entries(board.files).map(([path, text]) => ({ path, bytes: encoder.encode(text) }));
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  console.log(
    `pcb: four-layer board ${board.width} × ${board.height} mm, ${board.padCentres.length} pads, 5000 traces, ${files.length} files, ${(bytes / 1048576).toFixed(1)} MB; median of ${RUNS}`,
  );
  const ours = () => drawBoard(files, { sizes: [128, 256, 512, 1024], formats: ['png', 'webp'] });
  const previewsOnly = () => drawBoard(files, { sizes: [512], formats: ['png'] });
  const peer = () => pcbStackup(Object.entries(board.files).map(([filename, gerber]) => ({ filename, gerber })));
  // warm-up: module loading and JIT
  await ours();
  await peer();
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await timed(ours));
    b.push(await timed(previewsOnly));
    c.push(await timed(peer));
  }
  const [whole, one, bare] = [median(a), median(b), median(c)];
  console.log(`pcb  whole job (8 previews, 2 SVGs, ${files.length} layer SVGs): ${formatMs(whole)}`);
  console.log(`pcb  one 512 PNG per side (+ the layer SVGs):                   ${formatMs(one)}`);
  console.log(`pcb  peer: pcb-stackup bare render to SVG:                    ${formatMs(bare)}`);
  console.log(
    `pcb  ratio whole job / peer ${(whole / bare).toFixed(2)}×, one preview / peer ${(one / bare).toFixed(2)}×`,
  );
}
