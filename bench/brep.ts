// B-rep benchmark: STEP and IGES through the pipeline's worker thread (occt-import-js → facts → 512/256 PNG+WebP
// previews → GLB), cold (a fresh thread: tsx, OpenCascade's WASM start) and warm, against two peers measured in the
// same run: OpenCascade's own read of the same bytes in this thread (the WASM floor: what facts, previews and the GLB
// add to it) and f3d, a native OpenCascade 7.6 + VTK renderer reading the same file into a 512² PNG. Files: frames of
// boxes (50 solids, 1 MB STEP, 1 MB IGES) and a generated 20 MB STEP assembly of several hundred gears, plates and
// shafts. Then the memory a thread holds: peak RSS per file, and 50 consecutive jobs on one thread.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThreadPool } from '../server/src/pipeline/pool.js';
import { previewFormats, previewSizes } from '../server/src/pipeline/jobs/process-file.js';
import type { ProcessFileTask } from '../server/src/pipeline/thread.js';
import { igesBoxes, stepBoxes, type BoxSpec } from '../test/fixtures/brep.js';
import { stepAssemblyOfSize } from '../test/fixtures/step-assembly.js';
import { startF3dPeer, f3dPeerWhat } from './f3d-peer.js';
import { formatMs as ms, median } from './stats.js';

const RUNS = 3;
/** the 20 MB assembly takes tens of seconds a run: fewer runs */
const LARGE_RUNS = 1;
const LOOP_JOBS = 50;
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const CACHE = join(tmpdir(), 'andecha-bench-brep');

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

/** A generated file kept in the temp folder between runs (the 20 MB assembly takes seconds to write). */
function cached(filename: string, make: () => { text: string; solids: number }): { file: string; solids: number } {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, filename);
  const meta = `${file}.solids`;
  if (existsSync(file) && existsSync(meta)) return { file, solids: Number(readFileSync(meta, 'utf8')) };
  const { text, solids } = make();
  writeFileSync(file, text);
  writeFileSync(meta, String(solids));
  return { file, solids };
}

type OcctModule = {
  ReadFile(
    format: string,
    content: Uint8Array,
    params: object | null,
  ): { success: boolean; meshes?: { index: { array: ArrayLike<number> } }[] };
};

/** Peak RSS of this process (main thread + the pool's thread) since the last reset, in MB (Linux). */
function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}
/** Starts a new peak: writing 5 to clear_refs resets VmHWM to the current RSS. */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* not Linux: the peak then counts from the start */
  }
}
/** CPU ms of the whole process since `from` (user + system, every thread: the pool's thread while a job runs). */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

interface Case {
  label: string;
  kind: 'step' | 'iges';
  file: string;
  solids: number;
  /** every solid a box (12 triangles after tessellation): a check that all of the file was read */
  boxes: boolean;
  runs: number;
}

export async function run(): Promise<void> {
  const cases: Case[] = [
    {
      label: 'STEP, 50 solids',
      kind: 'step',
      boxes: true,
      runs: RUNS,
      ...cached('frame-50.step', () => ({ text: stepBoxes(frame(50)), solids: 50 })),
    },
    {
      label: 'STEP, 1 MB',
      kind: 'step',
      boxes: true,
      runs: RUNS,
      ...cached('frame-1mb.step', () => sized((b) => stepBoxes(b), 1_000_000)),
    },
    {
      label: 'IGES, 1 MB',
      kind: 'iges',
      boxes: true,
      runs: RUNS,
      ...cached('frame-1mb.igs', () => sized((b) => igesBoxes(b), 1_000_000)),
    },
    {
      label: 'STEP assembly, 20 MB',
      kind: 'step',
      boxes: false,
      runs: LARGE_RUNS,
      ...cached('assembly-20mb-v2.step', () => stepAssemblyOfSize(20_000_000)),
    },
  ];
  const occt = await (createRequire(import.meta.url)('occt-import-js') as (o: object) => Promise<OcctModule>)({
    print: () => {},
    printErr: () => {},
  });
  const f3d = await startF3dPeer();
  console.log(
    `brep benchmark: processFile in a worker thread (facts, ${previewSizes.join('/')} px ${previewFormats.join('+')}, GLB) vs OpenCascade's read alone (WASM, this thread) and ${typeof f3d === 'string' ? 'f3d (skipped: ' + f3d + ')' : `${f3d.version} (${f3dPeerWhat})`}; medians; generated files in ${CACHE}\n`,
  );
  console.log(
    'file                  size      solids  cold       1st preview  warm job (cpu)     peak/idle RSS    occt read (cpu)    job/read (cpu)   f3d (cpu)          job/f3d (cpu)',
  );
  const task = (c: Case): ProcessFileTask => ({
    file: c.file,
    filename: c.file,
    sizes: previewSizes,
    formats: [...previewFormats],
    glb: true,
  });
  const coarse: string[] = [];
  for (const c of cases) {
    const bytes = new Uint8Array(readFileSync(c.file));
    const pool = new ThreadPool(1, 900_000);
    let t = performance.now();
    const first = await pool.processFile(task(c));
    const cold = performance.now() - t;
    if (!first.ok) throw new Error(`${c.file}: ${first.message}`);
    const facts = first.facts as { triangles?: number; parts?: number };
    if (c.boxes ? facts.triangles !== c.solids * 12 : facts.parts !== c.solids)
      throw new Error(
        `${c.file}: ${facts.triangles} triangles in ${facts.parts} parts read, ${c.solids} solids written`,
      );
    const warm: number[] = [];
    const warmCpu: number[] = [];
    const firstPreview: number[] = [];
    const peaks: number[] = [];
    const idle: number[] = [];
    for (let i = 0; i < c.runs; i++) {
      idle.push(rssMb());
      resetPeakRss();
      const cpu0 = process.cpuUsage();
      t = performance.now();
      let previewAt = 0;
      await pool.processFile(task(c), undefined, () => {
        previewAt ||= performance.now() - t;
      });
      warm.push(performance.now() - t);
      warmCpu.push(cpuMs(cpu0));
      firstPreview.push(previewAt);
      peaks.push(peakRss());
    }
    await pool.close();
    const peer: number[] = [];
    const peerCpu: number[] = [];
    for (let i = 0; i < c.runs; i++) {
      const cpu0 = process.cpuUsage();
      t = performance.now();
      const r = occt.ReadFile(c.kind, bytes, {
        linearUnit: 'millimeter',
        linearDeflectionType: 'bounding_box_ratio',
        linearDeflection: 0.002,
        angularDeflection: 0.3,
      });
      peer.push(performance.now() - t);
      peerCpu.push(cpuMs(cpu0));
      if (!r.success) throw new Error(`${c.file}: occt could not read it`);
    }
    if (!c.boxes) {
      // what a coarse first pass would save: the same read with a 10× coarser tessellation
      t = performance.now();
      occt.ReadFile(c.kind, bytes, {
        linearUnit: 'millimeter',
        linearDeflectionType: 'bounding_box_ratio',
        linearDeflection: 0.02,
        angularDeflection: 1,
      });
      coarse.push(`${c.label}: occt read with a 10× coarser tessellation ${ms(performance.now() - t)}`);
    }
    const native: number[] = [];
    const nativeCpu: number[] = [];
    if (typeof f3d !== 'string')
      for (let i = 0; i < c.runs; i++) {
        const r = f3d.render(c.file, join(CACHE, `f3d-${i}.png`));
        native.push(r.ms);
        nativeCpu.push(r.cpuMs);
      }
    const w = median(warm),
      p = median(peer),
      n = native.length ? median(native) : NaN;
    const wc = median(warmCpu),
      pc = median(peerCpu),
      nc = nativeCpu.length ? median(nativeCpu) : NaN;
    const both = (wall: number, cpu: number) => `${ms(wall)} (${ms(cpu)})`;
    console.log(
      [
        c.label.padEnd(21),
        mb(bytes.length).padEnd(9),
        String(c.solids).padEnd(7),
        ms(cold).padEnd(10),
        ms(median(firstPreview)).padEnd(12),
        both(w, wc).padEnd(18),
        `${Math.round(Math.max(...peaks))}/${Math.round(Math.min(...idle))} MB`.padEnd(16),
        both(p, pc).padEnd(18),
        `${(w / p).toFixed(2)}× (${(wc / pc).toFixed(2)}×)`.padEnd(16),
        (native.length ? both(n, nc) : '—').padEnd(18),
        native.length ? `${(w / n).toFixed(2)}× (${(wc / nc).toFixed(2)}×)` : '—',
      ].join(' '),
    );
    if (c.runs > 1)
      console.log(
        `  ranges: warm ${warm.map((x) => ms(x)).join(', ')}; occt ${peer.map((x) => ms(x)).join(', ')}${native.length ? `; f3d ${native.map((x) => ms(x)).join(', ')}` : ''}`,
      );
  }
  if (typeof f3d !== 'string') f3d.close();
  for (const line of coarse) console.log(line);
  await memoryLoop(cases[1]!, task(cases[1]!));
  console.log(
    '\ntargets: whole job (warm) ≤ 1.5× f3d for every file; first preview of the 20 MB assembly ≤ 10 s. job/read = warm job ÷ OpenCascade WASM read alone; (cpu) = CPU time, the fairer figure on a loaded machine; peak/idle RSS: the whole process (this main thread, its own OpenCascade for the read column, and the one worker thread) at its peak during a warm job / just before it.',
  );
}

/** 50 consecutive jobs on one thread: the process's RSS after each, to show whether a thread's memory grows. */
async function memoryLoop(c: Case, task: ProcessFileTask): Promise<void> {
  const pool = new ThreadPool(1, 900_000);
  const after: number[] = [];
  const t = performance.now();
  for (let i = 0; i < LOOP_JOBS; i++) {
    const r = await pool.processFile({ ...task });
    if (!r.ok) throw new Error(`${c.file}: ${r.message}`);
    after.push(rssMb());
  }
  await pool.close();
  const at = (job: number) => `${after[job - 1]!.toFixed(0)} MB`;
  const settled = after.slice(9);
  console.log(
    `\nmemory: ${LOOP_JOBS} consecutive jobs of ${c.label} on one thread in ${ms(performance.now() - t)}: RSS after job 1 ${at(1)}, 10 ${at(10)}, 25 ${at(25)}, 50 ${at(50)}; jobs 10–50 min ${Math.min(...settled).toFixed(0)}, max ${Math.max(...settled).toFixed(0)} MB (growth from job 10 to 50: ${(after[LOOP_JOBS - 1]! - after[9]!).toFixed(0)} MB)`,
  );
}
