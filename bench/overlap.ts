// Where the time goes between the last byte of a 1 M-triangle binary STL publish and its 512 px preview being
// served (issue 32, target 4 "overlap the upload"): the stages are timed from outside the production code — the blob
// store's put and the pool's task wrapped, the job log's lines timestamped — and the thread's own steps (read of the
// blob, parse, draw, encode) timed again on this thread with the same functions. The peer is the whole publish →
// preview; what reading the triangles while the bytes stream in could save is the thread's read + parse.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildApp } from '../server/src/app.js';
import { testConfig } from '../server/src/config.js';
import { closeRuntime, openRuntime } from '../server/src/runtime.js';
import { Piscina } from 'piscina';
import { fileURLToPath } from 'node:url';
import type { StepTimes } from './thread-steps.js';
import type { StoredBlob } from '../server/src/storage/blob-store.js';
import { createDesign, formPayload, publishForm, registerUser } from '../test/helpers/app.js';
import { formatMs as ms, median } from './stats.js';
import { knotStl } from './meshes.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 0) || 5;
const TRIANGLES = 1_000_000;

/** One publish's moments, ms after the request started. */
interface Timeline {
  early: boolean; // the publish's file drawn early (hook on) or by its job alone (hook off)
  stored: number; // the last byte hashed and the blob renamed into place
  answered: number; // 201
  fileJobStarted: number; // the process-file job claimed
  threadTask: number; // the handler hands the file to the thread pool
  firstPreview: number; // the thread's first preview (512 PNG) back on this thread
  served: number; // the preview route answers 200 (polled every 2 ms)
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-bench-'));
  const config = testConfig({ dataDir, runWorker: true });
  // the job log's lines, timestamped as they are written: when each job was claimed
  const claims: { kind: string; at: number }[] = [];
  const jobLog = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        const line = JSON.parse(String(chunk)) as { msg?: string; kind?: string };
        if (line.msg === 'job started' && line.kind) claims.push({ kind: line.kind, at: performance.now() });
        done();
      },
    }),
  );
  const deps = await openRuntime(config, undefined, { pollMs: 100, jobLog });
  deps.startup.done = true;
  const app = await buildApp(deps);
  await app.ready();
  await deps.pipeline!.warmedUp();
  const user = await registerUser(app, 'bench');
  await createDesign(app, user, 'knot');

  // the store's put and the pool's task, wrapped: the moment the upload's blob is stored, the task handed over and
  // its first preview back
  let lastBigPut = 0;
  let bigSha = '';
  const put = deps.blobs.put.bind(deps.blobs);
  deps.blobs.put = async (...args: Parameters<typeof put>): Promise<StoredBlob> => {
    const blob = await put(...args);
    if (blob.size > 10_000_000) {
      lastBigPut = performance.now();
      bigSha = blob.sha256;
    }
    return blob;
  };
  const pool = deps.pipeline!.pool;
  const processFile = pool.processFile.bind(pool);
  let taskAt = 0;
  let firstPreviewAt = 0;
  pool.processFile = (task, timeout, onPreview) => {
    if (!taskAt) taskAt = performance.now();
    firstPreviewAt = 0;
    return processFile(task, timeout, (p) => {
      if (!firstPreviewAt) firstPreviewAt = performance.now();
      onPreview?.(p);
    });
  };

  const idle = async () => {
    for (;;) {
      const { rows } = await deps.db.raw(`select count(*)::int as n from jobs where state in ('queued', 'running')`);
      if (rows[0].n === 0) return;
      await new Promise((res) => setTimeout(res, 20));
    }
  };

  // the early draw switched off by emptying the hook list the publish route fires
  const earlyHooks = [...deps.hooks.fileStored];
  const setEarly = (on: boolean) => deps.hooks.fileStored.splice(0, Infinity, ...(on ? earlyHooks : []));
  const timelines: Timeline[] = [];
  const load = [loadavg()[0]];
  try {
    console.log(
      `overlap benchmark: real app on PGlite, fs blobs, ${config.workerThreads} preview thread(s), ${cpus().length} cores, Node ${process.version}, load average ${loadavg()[0].toFixed(2)}\n`,
    );
    let stl: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 2 * RUNS + 1; i++) {
      await idle();
      stl = knotStl(TRIANGLES, `overlap ${i}`);
      const version = `1.0.${i}`;
      const { payload, headers } = await formPayload(publishForm({ version }, [{ path: 'knot.stl', bytes: stl }]));
      claims.length = 0;
      taskAt = 0;
      const early = i % 2 === 1;
      setEarly(early);
      const s = performance.now();
      const r = await app.inject({
        method: 'POST',
        url: '/api/designs/bench/knot/versions',
        payload,
        headers: { ...headers, ...user.auth },
      });
      const answered = performance.now();
      if (r.statusCode !== 201) throw new Error(`publish: ${r.statusCode} ${r.body}`);
      const url = `/api/designs/bench/knot/versions/${version}/previews/knot.stl?size=512&format=png`;
      while ((await app.inject({ url })).statusCode !== 200) await new Promise((res) => setTimeout(res, 2));
      const served = performance.now();
      const fileJob = claims.find((c) => c.kind === 'process-file');
      // the first run pays the thread's fresh read buffer for a file larger than its warm-up's: not counted
      if (i === 0) continue;
      timelines.push({
        early,
        stored: lastBigPut - s,
        answered: answered - s,
        fileJobStarted: (fileJob?.at ?? NaN) - s,
        threadTask: taskAt - s,
        firstPreview: firstPreviewAt - s,
        served: served - s,
      });
      load.push(loadavg()[0]);
    }
    await idle();

    let runs = timelines;
    const med = (f: (t: Timeline) => number) => median(runs.map(f));
    const list = (f: (t: Timeline) => number) => runs.map((t) => ms(f(t))).join(', ');
    const stage = (name: string, f: (t: Timeline) => number) =>
      console.log(`  ${name.padEnd(58)} ${ms(med(f)).padStart(8)}   (runs ${list(f)})`);
    const served: Record<string, number> = {};
    for (const early of [false, true]) {
      runs = timelines.filter((t) => t.early === early);
      console.log(
        `publish of a ${TRIANGLES.toLocaleString('en')}-triangle binary STL (${(stl.length / 1e6).toFixed(0)} MB) → 512 px PNG served, ${runs.length} warm runs (medians), ` +
          (early
            ? 'drawn early (the task starts when the bytes are stored):'
            : 'early draw off (the task starts when its job is claimed):'),
      );
      stage('request start → last byte stored (parse body, hash, write)', (t) => t.stored);
      stage("publish's own work after the bytes are stored → 201", (t) => t.answered - t.stored);
      stage('201 → process-file claimed (ingest-version job, queue)', (t) => t.fileJobStarted - t.answered);
      stage('last byte stored → task handed to the thread', (t) => t.threadTask - t.stored);
      stage('thread: read + parse + draw + encode 512 PNG → back', (t) => t.firstPreview - t.threadTask);
      stage('preview back → stored, saved, served (poll 2 ms)', (t) => t.served - t.firstPreview);
      stage('last byte stored → preview served', (t) => t.served - t.stored);
      stage('request start → preview served (the peer)', (t) => t.served);
      served[String(early)] = med((t) => t.served);
    }
    console.log(
      `  early draw: publish → preview ${ms(served.true)} against ${ms(served.false)} without (${(served.false / served.true).toFixed(2)}×, alternated in this run)`,
    );
    runs = timelines.filter((t) => !t.early);

    // the thread's own steps, timed inside a thread of its own (the pipeline's limits), into fresh and into kept
    // positions by turns, after the blob and the kept arrays were read once, as a warm thread's are
    const path = deps.blobs.localPath!(bigSha);
    const threads = stepThreads(config.workerHeapMb);
    const kept: StepTimes[] = [];
    const fresh: StepTimes[] = [];
    try {
      await threads.run({ file: path, kept: true }, { name: 'previewSteps' });
      for (let i = 0; i < RUNS; i++) {
        fresh.push(await threads.run({ file: path, kept: false }, { name: 'previewSteps' }));
        kept.push(await threads.run({ file: path, kept: true }, { name: 'previewSteps' }));
      }
    } finally {
      await threads.destroy();
    }
    const step = (name: string, xs: number[]) =>
      console.log(`  ${name.padEnd(58)} ${ms(median(xs)).padStart(8)}   (runs ${xs.map((x) => ms(x)).join(', ')})`);
    console.log(
      `the thread's steps, timed in a worker thread (kept read buffer, as a warm thread's), ${RUNS} runs each:`,
    );
    step(
      'read the blob from the fs store into the kept buffer',
      kept.map((k) => k.read),
    );
    step(
      'parse the binary STL into fresh positions (before)',
      fresh.map((k) => k.parse),
    );
    step(
      "parse the binary STL into the thread's kept positions",
      kept.map((k) => k.parse),
    );
    step(
      'draw 512 px',
      kept.map((k) => k.draw),
    );
    step(
      'encode PNG',
      kept.map((k) => k.encode),
    );
    const total = (x: StepTimes) => x.read + x.parse + x.draw + x.encode;
    const [tFresh, tKept] = [median(fresh.map(total)), median(kept.map(total))];
    console.log(
      `  read + parse + draw + encode: ${ms(tKept)} kept against ${ms(tFresh)} fresh (${(tFresh / tKept).toFixed(2)}×; runs kept ${kept.map((k) => ms(total(k))).join(', ')}; fresh ${fresh.map((k) => ms(total(k))).join(', ')})`,
    );
    const steps = { read: kept.map((k) => k.read), parse: kept.map((k) => k.parse) };
    const saved = median(steps.read) + median(steps.parse);
    const peer = med((t) => t.served);
    const after = med((t) => t.served - t.stored);
    console.log(
      `what reading the triangles while the bytes stream in could take off: read + parse ${ms(saved)} of the` +
        ` ${ms(after)} from last byte to preview (${((100 * saved) / after).toFixed(0)}%), of the whole publish → preview` +
        ` ${ms(peer)} (${((100 * saved) / peer).toFixed(0)}%); load average during the runs ${Math.min(...load).toFixed(2)}–${Math.max(...load).toFixed(2)}`,
    );
  } finally {
    await app.close();
    await closeRuntime(deps);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One worker thread on bench/thread-steps.ts, under the pipeline's heap limits (pool.ts). */
export function stepThreads(heapMb: number): Piscina {
  return new Piscina({
    filename: fileURLToPath(new URL('./thread-steps.ts', import.meta.url)),
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: 600_000,
    execArgv: ['--import', 'tsx', '--disable-warning=THREE_CJS_DEPRECATED'],
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, heapMb / 4) },
  });
}
