// Memory of a worker thread over 50 consecutive jobs of a 1 M-triangle binary STL (issue 32, target 8): the task the
// process-file job hands a thread (the blob read by path, facts, 512 and 256 px previews in PNG and WebP), run in one
// thread under the pipeline's heap limits, the thread's memory sampled after each job (after a full collection). The
// run fails loudly when the last ten jobs hold more than the ten after the first five: growth, not a level.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConfig } from '../server/src/config.js';
import type { ProcessFileResult, ProcessFileFailure } from '../server/src/pipeline/thread.js';
import { previewFormats, previewSizes } from '../server/src/pipeline/jobs/process-file.js';
import { formatMs as ms, median } from './stats.js';
import { knotStl } from './meshes.js';
import { stepThreads } from './overlap.js';
import type { ThreadMemory } from './thread-steps.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 50);
const TRIANGLES = 1_000_000;
const MB = 1024 * 1024;
/** What the last ten jobs may hold above the ten after the first five before the run fails. */
const ALLOWED_GROWTH = { rss: 32 * MB, heapUsed: 8 * MB, external: 8 * MB };

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'andecha-bench-memory-'));
  const config = testConfig({ dataDir: dir });
  const file = join(dir, 'knot.stl');
  writeFileSync(file, knotStl(TRIANGLES, 'memory'));
  const before = process.memoryUsage().rss;
  const threads = stepThreads(config.workerHeapMb);
  const load = [loadavg()[0]];
  console.log(
    `memory benchmark: ${JOBS} consecutive jobs of a ${TRIANGLES.toLocaleString('en')}-triangle binary STL (50 MB) in one worker thread (heap limit ${config.workerHeapMb} MB), ${cpus().length} cores, Node ${process.version}, load average ${loadavg()[0].toFixed(2)}\n`,
  );
  try {
    const memory = (): Promise<ThreadMemory> => threads.run(null, { name: 'threadMemory' });
    const started = await memory();
    const samples: ThreadMemory[] = [];
    const times: number[] = [];
    for (let i = 0; i < JOBS; i++) {
      const t = performance.now();
      const result: ProcessFileResult | ProcessFileFailure = await threads.run({
        file,
        filename: 'knot.stl',
        sizes: previewSizes,
        formats: [...previewFormats],
      });
      times.push(performance.now() - t);
      if (!result.ok || result.facts.triangles !== TRIANGLES)
        throw new Error(`job ${i + 1}: ${JSON.stringify(result)}`);
      samples.push(await memory());
      if (i % 10 === 9) load.push(loadavg()[0]);
    }
    const mb = (x: number) => `${(x / MB).toFixed(1)} MB`;
    const peak = Math.max(...samples.map((s) => s.peakRss));
    console.log(
      `process RSS before the thread ${mb(before)}; thread started ${mb(started.rss)} (heap ${mb(started.heapUsed)}, outside it ${mb(started.external)})`,
    );
    console.log(
      `peak RSS over the ${JOBS} jobs ${mb(peak)}: the thread's share at its peak ~${mb(peak - before)} above the process without it`,
    );
    const at = (i: number) => samples[i]!;
    for (const i of [0, 4, 9, 19, 29, 39, JOBS - 1].filter((i) => i < JOBS))
      console.log(
        `  after job ${String(i + 1).padStart(2)}: RSS ${mb(at(i).rss)}, heap ${mb(at(i).heapUsed)}, outside the heap ${mb(at(i).external)}`,
      );
    console.log(
      `job time ${ms(median(times))} median (first ${ms(times[0]!)}, runs ${ms(Math.min(...times))}–${ms(Math.max(...times))}); load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`,
    );
    if (JOBS < 20) return console.log('(fewer than 20 jobs: no growth check)');
    const early = samples.slice(5, 15);
    const late = samples.slice(-10);
    const failures: string[] = [];
    for (const key of ['rss', 'heapUsed', 'external'] as const) {
      const growth = median(late.map((s) => s[key])) - median(early.map((s) => s[key]));
      const ok = growth <= ALLOWED_GROWTH[key];
      console.log(
        `growth of ${key} from jobs 6–15 to the last ten (medians): ${growth >= 0 ? '+' : ''}${mb(growth)} (allowed ${mb(ALLOWED_GROWTH[key])}) ${ok ? 'ok' : 'FAILED'}`,
      );
      if (!ok) failures.push(key);
    }
    if (failures.length) {
      process.exitCode = 1;
      throw new Error(`memory grew over ${JOBS} jobs: ${failures.join(', ')}`);
    }
  } finally {
    await threads.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
