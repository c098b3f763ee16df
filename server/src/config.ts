// Environment → typed configuration, validated once at start. The only file that reads process.env.
import { cpus } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  blobStore: 'fs' | 's3';
  s3: { endpoint?: string; bucket: string; region: string; accessKeyId?: string; secretAccessKey?: string };
  loadSamples: boolean;
  runWorker: boolean;
  /** a worker's threads warm up (modules, OpenCascade, a small picture) before the process says it is ready */
  workerWarmUp: boolean;
  workerThreads: number;
  /** threads for background work (GLBs, thumbnails, visual diffs), at a lower CPU priority, beside workerThreads */
  backgroundThreads: number;
  /**
   * helper threads a foreground thread borrows to read, draw and encode a big mesh's previews (so one such mesh uses
   * every core); 0: each big mesh is drawn on its own thread (the single-thread path)
   */
  renderHelpers: number;
  jobTimeoutMs: number;
  /** JS heap of one worker thread, MB: a file whose reading needs more ends its own thread, not the process */
  workerHeapMb: number;
  /** how long a claimed job is a worker's; past it (the worker died) another worker runs it. Unset: time limit + 30 s */
  jobLeaseMs: number | undefined;
  /** tests only: each job of this kind waits this long after its claim, so a test can kill a worker holding one */
  testJobHold: { kind: string; ms: number } | undefined;
  maxFileBytes: number;
  maxVersionBytes: number;
  maxFilesPerVersion: number;
  publicUrl: string;
  logLevel: string;
  /** login and registration attempts per minute per client address; 0 turns the limit off */
  authRateLimitPerMinute: number;
  /** discussions and replies one client address may post per minute (429 past it); 0 turns the limit off */
  discussionPostsPerMinute: number;
  /** minutes after posting during which the author may edit a discussion or a reply */
  discussionEditWindowMinutes: number;
  /** bytes one account may store across the versions it published (distinct blobs) */
  quotaBytes: number;
  /** versions one account may publish per hour; 0 turns the limit off */
  uploadsPerHour: number;
  /** bytes that refused uploads may send per account and per address in an hour (429 past it); 0 turns it off */
  refusedUploadBytesPerHour: number;
  /** build packet requests per minute per address without a token (429 past it); 0 turns the limit off */
  packetRequestsPerMinute: number;
  /** packets with new options one version may get per hour from requests without a token; 0 turns the limit off */
  packetVariantsPerHour: number;
  /** days a build packet is kept after it was last asked for (deleted by `gc`) */
  packetKeepDays: number;
  /** how long an anonymous read may be answered from memory at most (any change drops it sooner); 0: never */
  responseCacheMs: number;
  /** a request body must average this many bytes per second over each window, else its connection closes; 0: off */
  minUploadBytesPerSecond: number;
  uploadRateWindowMs: number;
  /** a connection with nothing read or written for this long is closed (SSE sends a heartbeat every 15 s) */
  idleTimeoutMs: number;
  /** open /api/events streams per client address, and in all */
  eventStreamsPerAddress: number;
  eventStreamsMax: number;
  /** how long one import may spend recognising its manifest among its files */
  importDetectMs: number;
  /** ActivityPub federation on: on by default when ANDECHA_PUBLIC_URL is set (the instance has a public name) */
  federation: boolean;
  /** outgoing federation fetches may reach private, loopback and link-local addresses (tests, one machine) */
  federationAllowPrivate: boolean;
  /** how long a delivery to another instance is retried before it is marked failed (an offline workshop: days) */
  federationRetryForMs: number;
  /** the longest pause between two attempts of one delivery (the backoff doubles from 1 s up to this) */
  federationRetryMaxDelayMs: number;
  /** GET /metrics answers only a request bearing this token (unset: 404, as for an unknown route) */
  metricsToken: string | undefined;
  /** a second listener on `host` answering /metrics without a token, for a scraper on a private network */
  metricsPort: number | undefined;
  /** the SMTP server the email digest goes through (`smtp://user:pass@host:587`, `smtps://…:465`); unset: no email */
  smtpUrl: string | undefined;
  /** the digest's From address */
  mailFrom: string;
  /** how often people get the email digest unless they chose otherwise; off without smtpUrl */
  digest: 'off' | 'daily' | 'weekly';
  /** people one digest run emails at most (the rest are due at the next run, an hour later) */
  digestBatch: number;
}

function int(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

function bool(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['0', 'false', 'no'].includes(value)) return false;
  throw new Error(`${name} must be 1 or 0, got "${value}"`);
}

/** ANDECHA_TEST_JOB_HOLD=kind:ms (tests only, e.g. `process-file:4000`) */
function testJobHold(value: string | undefined): Config['testJobHold'] {
  if (!value) return undefined;
  const m = /^([a-z-]+):(\d+)$/.exec(value);
  if (!m) throw new Error(`ANDECHA_TEST_JOB_HOLD must be kind:milliseconds (process-file:4000), got "${value}"`);
  return { kind: m[1], ms: Number(m[2]) };
}

/** ANDECHA_SMTP_URL: an smtp: or smtps: URL, or nothing. */
function smtpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`ANDECHA_SMTP_URL must be a URL such as smtp://user:password@mail.example:587, got "${value}"`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error(`ANDECHA_SMTP_URL must start with smtp:// or smtps://, got "${url.protocol}//"`);
  return value;
}

/** ANDECHA_DIGEST: off (the default) | daily | weekly; daily and weekly need an SMTP server to send through. */
function digestCadence(value: string | undefined, smtp: string | undefined): Config['digest'] {
  const cadence = value || 'off';
  if (cadence !== 'off' && cadence !== 'daily' && cadence !== 'weekly')
    throw new Error(`ANDECHA_DIGEST must be off, daily or weekly, got "${cadence}"`);
  if (cadence !== 'off' && !smtp) throw new Error(`ANDECHA_DIGEST=${cadence} needs ANDECHA_SMTP_URL (the SMTP server)`);
  return cadence;
}

/** Reads the configuration from an environment (process.env by default); throws on invalid values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int('PORT', env.PORT, 3000, 0);
  const host = env.HOST || '127.0.0.1';
  const blobStore = (env.BLOB_STORE || 'fs') as Config['blobStore'];
  if (blobStore !== 'fs' && blobStore !== 's3') throw new Error(`BLOB_STORE must be fs or s3, got "${blobStore}"`);
  return {
    port,
    host,
    dataDir: resolve(env.ANDECHA_DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    blobStore,
    s3: {
      endpoint: env.S3_ENDPOINT || undefined,
      bucket: env.S3_BUCKET || 'andecha',
      region: env.S3_REGION || 'us-east-1',
      accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    },
    loadSamples: bool('ANDECHA_SAMPLES', env.ANDECHA_SAMPLES, true),
    runWorker: bool('ANDECHA_WORKER', env.ANDECHA_WORKER, true),
    // off: threads start cold (a few CPU-seconds and ~100 MB each saved at start; the first publish waits for them)
    workerWarmUp: bool('ANDECHA_WORKER_WARM_UP', env.ANDECHA_WORKER_WARM_UP, true),
    workerThreads: int('ANDECHA_WORKER_THREADS', env.ANDECHA_WORKER_THREADS, Math.max(1, cpus().length - 1), 1),
    backgroundThreads: int(
      'ANDECHA_BACKGROUND_THREADS',
      env.ANDECHA_BACKGROUND_THREADS,
      Math.ceil(Math.max(1, cpus().length - 1) / 2),
      1,
    ),
    // a core each for the API's requests and the preview thread first: on 2 cores a helper slowed publish → preview
    renderHelpers: int('ANDECHA_RENDER_HELPERS', env.ANDECHA_RENDER_HELPERS, Math.max(0, cpus().length - 2), 0),
    jobTimeoutMs: int('ANDECHA_JOB_TIMEOUT_MS', env.ANDECHA_JOB_TIMEOUT_MS, 120_000, 100),
    workerHeapMb: int('ANDECHA_WORKER_HEAP_MB', env.ANDECHA_WORKER_HEAP_MB, 1024, 64),
    jobLeaseMs: env.ANDECHA_JOB_LEASE_MS ? int('ANDECHA_JOB_LEASE_MS', env.ANDECHA_JOB_LEASE_MS, 0, 100) : undefined,
    testJobHold: testJobHold(env.ANDECHA_TEST_JOB_HOLD),
    maxFileBytes: int('ANDECHA_MAX_FILE_BYTES', env.ANDECHA_MAX_FILE_BYTES, 512 * 1024 * 1024, 1),
    maxVersionBytes: int('ANDECHA_MAX_VERSION_BYTES', env.ANDECHA_MAX_VERSION_BYTES, 2 * 1024 * 1024 * 1024, 1),
    maxFilesPerVersion: int('ANDECHA_MAX_FILES', env.ANDECHA_MAX_FILES, 2000, 1),
    publicUrl: env.ANDECHA_PUBLIC_URL || `http://${host}:${port}`,
    logLevel: env.LOG_LEVEL || 'warn',
    authRateLimitPerMinute: int('ANDECHA_AUTH_RATE_LIMIT', env.ANDECHA_AUTH_RATE_LIMIT, 20, 0),
    discussionPostsPerMinute: int('ANDECHA_DISCUSSION_RATE_LIMIT', env.ANDECHA_DISCUSSION_RATE_LIMIT, 10, 0),
    discussionEditWindowMinutes: int('ANDECHA_DISCUSSION_EDIT_MINUTES', env.ANDECHA_DISCUSSION_EDIT_MINUTES, 60, 0),
    quotaBytes: int('ANDECHA_QUOTA_BYTES', env.ANDECHA_QUOTA_BYTES, 10 * 1024 * 1024 * 1024, 0),
    uploadsPerHour: int('ANDECHA_UPLOADS_PER_HOUR', env.ANDECHA_UPLOADS_PER_HOUR, 120, 0),
    refusedUploadBytesPerHour: int(
      'ANDECHA_REFUSED_UPLOAD_BYTES_PER_HOUR',
      env.ANDECHA_REFUSED_UPLOAD_BYTES_PER_HOUR,
      256 * 1024 * 1024,
      0,
    ),
    packetRequestsPerMinute: int('ANDECHA_PACKET_RATE_LIMIT', env.ANDECHA_PACKET_RATE_LIMIT, 30, 0),
    packetVariantsPerHour: int('ANDECHA_PACKET_VARIANTS_PER_HOUR', env.ANDECHA_PACKET_VARIANTS_PER_HOUR, 12, 0),
    packetKeepDays: int('ANDECHA_PACKET_KEEP_DAYS', env.ANDECHA_PACKET_KEEP_DAYS, 30, 1),
    responseCacheMs: int('ANDECHA_RESPONSE_CACHE_MS', env.ANDECHA_RESPONSE_CACHE_MS, 30_000, 0),
    minUploadBytesPerSecond: int('ANDECHA_MIN_UPLOAD_RATE', env.ANDECHA_MIN_UPLOAD_RATE, 1024, 0),
    uploadRateWindowMs: int('ANDECHA_UPLOAD_RATE_WINDOW_MS', env.ANDECHA_UPLOAD_RATE_WINDOW_MS, 30_000, 100),
    idleTimeoutMs: int('ANDECHA_IDLE_TIMEOUT_MS', env.ANDECHA_IDLE_TIMEOUT_MS, 120_000, 1000),
    eventStreamsPerAddress: int('ANDECHA_EVENT_STREAMS_PER_ADDRESS', env.ANDECHA_EVENT_STREAMS_PER_ADDRESS, 16, 1),
    importDetectMs: int('ANDECHA_IMPORT_DETECT_MS', env.ANDECHA_IMPORT_DETECT_MS, 20_000, 100),
    eventStreamsMax: int('ANDECHA_EVENT_STREAMS_MAX', env.ANDECHA_EVENT_STREAMS_MAX, 2000, 1),
    federation: bool('ANDECHA_FEDERATION', env.ANDECHA_FEDERATION, Boolean(env.ANDECHA_PUBLIC_URL)),
    federationAllowPrivate: bool('ANDECHA_FEDERATION_ALLOW_PRIVATE', env.ANDECHA_FEDERATION_ALLOW_PRIVATE, false),
    federationRetryForMs: int(
      'ANDECHA_FEDERATION_RETRY_FOR_MS',
      env.ANDECHA_FEDERATION_RETRY_FOR_MS,
      7 * 24 * 3600_000,
      1000,
    ),
    federationRetryMaxDelayMs: int(
      'ANDECHA_FEDERATION_RETRY_MAX_DELAY_MS',
      env.ANDECHA_FEDERATION_RETRY_MAX_DELAY_MS,
      3600_000,
      100,
    ),
    metricsToken: env.ANDECHA_METRICS_TOKEN || undefined,
    metricsPort: env.ANDECHA_METRICS_PORT ? int('ANDECHA_METRICS_PORT', env.ANDECHA_METRICS_PORT, 0, 1) : undefined,
    smtpUrl: smtpUrl(env.ANDECHA_SMTP_URL),
    mailFrom:
      env.ANDECHA_MAIL_FROM || `Andecha <andecha@${new URL(env.ANDECHA_PUBLIC_URL || `http://${host}`).hostname}>`,
    digest: digestCadence(env.ANDECHA_DIGEST, env.ANDECHA_SMTP_URL),
    digestBatch: int('ANDECHA_DIGEST_BATCH', env.ANDECHA_DIGEST_BATCH, 200, 1),
  };
}

/** A configuration for tests: everything default, overridable. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    // threads start cold and big meshes are drawn by one thread: tests start many instances on 2 cores, and the
    // warm-up and the render helpers have tests of their own
    ...loadConfig({
      ANDECHA_SAMPLES: '0',
      ANDECHA_WORKER: '0',
      ANDECHA_WORKER_WARM_UP: '0',
      ANDECHA_RENDER_HELPERS: '0',
      LOG_LEVEL: 'silent',
      ANDECHA_AUTH_RATE_LIMIT: '0',
      ANDECHA_DISCUSSION_RATE_LIMIT: '0',
    }),
    ...overrides,
  };
}
