// Early draw (issue 32, target 4 in its cheaper form): a big mesh's process-file task starts on the preview thread
// the moment its upload's bytes are stored, while the publish still writes its rows and the queue hands its job over.
// Its result is only a guess kept in memory: the process-file job takes it once claimed, for the same bytes, path
// and units, and stores and serves it as its own; nothing is stored before the version committed. One at a time,
// only when the preview threads have nothing to do, and an unclaimed one is dropped (a failed publish, a job another
// process claimed) by the next or after a while.
import type { BlobStore } from '../storage/blob-store.js';
import type { ThreadPool } from './pool.js';
import type { EncodedPreview, ProcessFileFailure, ProcessFileResult, ProcessFileTask } from './thread.js';
import { MESH_FORMATS } from '../cad/read.js';
import type { CadFormat } from '../cad/detect.js';
import { extensionOf } from '../registry/media.js';

/** Below this a mesh is drawn in a few ms: nothing to gain ahead of its job. */
export const EARLY_DRAW_MIN_BYTES = 1 << 20;
/** An unclaimed result is kept this long after it was drawn (a job is claimed within ms of its publish when idle). */
const KEEP_UNCLAIMED_MS = 30_000;

type Outcome = ProcessFileResult | ProcessFileFailure;

/** What the job hands the thread: an early draw is used only when it was started with the same. */
export interface EarlyDrawKey {
  sha256: string;
  path: string;
  units: string | undefined;
}

interface Draw {
  key: EarlyDrawKey;
  outcome: Promise<Outcome>;
  settled: boolean;
  /** previews the thread posted before the job claimed the draw */
  previews: EncodedPreview[];
  onPreview?: (p: EncodedPreview) => void;
  timer?: NodeJS.Timeout;
}

export class EarlyDraws {
  private draw: Draw | undefined;

  constructor(
    private readonly pool: ThreadPool,
    private readonly blobs: BlobStore,
    private readonly task: Omit<ProcessFileTask, 'file' | 'bytes' | 'filename' | 'units'>,
    /** the foreground worker loops running a job: an early draw never takes a thread a claimed job waits for */
    private readonly jobsRunning: () => number,
  ) {}

  /** A file's bytes are stored (not yet committed): start its task if it is a big mesh and the threads are idle. */
  fileStored(key: EarlyDrawKey, size: number): void {
    const ext = extensionOf(key.path);
    // a .gltf needs its sibling buffers, read from the committed version: not guessed
    if (size < EARLY_DRAW_MIN_BYTES || ext === 'gltf' || !MESH_FORMATS.has(ext as CadFormat)) return;
    // the thread reads the file-system store's own file; S3's bytes would be a second download of the upload
    const file = this.blobs.localPath?.(key.sha256);
    if (file === undefined) return;
    if (this.draw && !this.draw.settled) return;
    if (this.pool.tasks > 0 || this.jobsRunning() > 0) return;
    this.drop();
    const draw: Draw = { key, outcome: undefined!, settled: false, previews: [] };
    draw.outcome = this.pool.processFile(
      { ...this.task, file, filename: key.path, units: key.units },
      undefined,
      (p) => (draw.onPreview ? draw.onPreview(p) : draw.previews.push(p)),
    );
    const settle = () => {
      draw.settled = true;
      if (this.draw !== draw) return;
      draw.timer = setTimeout(() => this.draw === draw && this.drop(), KEEP_UNCLAIMED_MS);
      draw.timer.unref();
    };
    // a failure is the job's to meet when it takes the draw (the same as running it itself); unclaimed, nobody's
    draw.outcome.then(settle, settle);
    this.draw = draw;
  }

  /**
   * The early draw of these bytes under this path and units, or undefined: `onPreview` first gets the previews
   * already drawn, then each as it comes, as `pool.processFile`'s would. Taken once.
   */
  take(key: EarlyDrawKey, onPreview: (p: EncodedPreview) => void): Promise<Outcome> | undefined {
    const draw = this.draw;
    if (!draw || !sameKey(draw.key, key)) return undefined;
    this.draw = undefined;
    clearTimeout(draw.timer);
    for (const p of draw.previews) onPreview(p);
    draw.previews = [];
    draw.onPreview = onPreview;
    return draw.outcome;
  }

  /** An unclaimed draw's result, if any, is let go. */
  drop(): void {
    if (!this.draw) return;
    clearTimeout(this.draw.timer);
    this.draw = undefined;
  }
}

const sameKey = (a: EarlyDrawKey, b: EarlyDrawKey) => a.sha256 === b.sha256 && a.path === b.path && a.units === b.units;
