// The production shape as separate processes, without containers (docker-compose.yml is the same shape on several
// machines): two API processes on two ports with no worker of their own, two `npm run worker` processes, one
// PostgreSQL and radosgw. A publish to one API is processed by a worker, its progress streams from the other API,
// both serve its previews and drop their response caches on a change; a worker killed holding a job has it finished
// by the other; an API stopped or killed mid-upload leaves nothing half-written. Needs TEST_DATABASE_URL and
// TEST_S3_* (radosgw: scripts/radosgw.sh start); skips without them unless REQUIRE_DISTRIBUTED=1 (.ci/run), where
// that is a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { publishForm } from '../helpers/app.js';
import { cubeStl } from '../helpers/meshes.js';
import { configuredS3, startS3, type TestS3 } from '../helpers/s3.js';
import {
  instanceDatabase,
  registerOn,
  startInstance,
  startWorkerProcess,
  type Instance,
  type WorkerProcess,
} from '../helpers/instances.js';
import { S3BlobStore } from '../../server/src/storage/s3-store.js';
import { openDatabase } from '../../server/src/db/client.js';
import { collectGarbage } from '../../server/src/admin/gc.js';

const missing = [
  !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL',
  !configuredS3() && 'TEST_S3_* (scripts/radosgw.sh start)',
].filter(Boolean);
if (missing.length) {
  const message = `distributed test: needs ${missing.join(' and ')}`;
  if (process.env.REQUIRE_DISTRIBUTED === '1')
    throw new Error(`${message}; REQUIRE_DISTRIBUTED=1 makes this a failure`);
  console.warn(`${message}; skipping`);
}

/** a worker's job lease, renewed while it lives: a killed worker's job is free this long after its last renewal */
const LEASE_MS = 1500;
/** every process-file job stays claimed this long before it runs (ANDECHA_TEST_JOB_HOLD), so one can be killed */
const HOLD_MS = 3000;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 50 ms until it returns a value; throws naming `what` past `ms`. */
async function until<T>(what: string, ms: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(50);
  }
}

/** The JSON lines a process printed (pino's job log and request log). */
const jsonLines = (output: string): Record<string, unknown>[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

interface StreamedEvent {
  type: string;
  data: Record<string, unknown>;
}

/** Reads a Server-Sent Events stream into `events` until closed. */
async function openEventStream(url: string) {
  const events: StreamedEvent[] = [];
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += value;
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data) });
      }
    }
  })().catch(() => {});
  await until('the stream says hello', 10_000, () => events.some((e) => e.type === 'hello'));
  return {
    events,
    async close() {
      abort.abort();
      await reading;
    },
  };
}

describe.runIf(missing.length === 0)('the distributed shape: two APIs, two workers, PostgreSQL, radosgw', () => {
  let database: { url?: string; drop(): Promise<void> };
  let s3: TestS3;
  let store: S3BlobStore;
  let sql: pg.Client;
  let api1: Instance;
  let api2: Instance;
  let workers: WorkerProcess[] = [];
  let token: string;
  const design = 'maker/press';
  const started = Date.now();

  beforeAll(async () => {
    // empty: the four processes below migrate it themselves, at once
    database = await instanceDatabase({ empty: true });
    s3 = await startS3('distributed');
    store = new S3BlobStore(s3.s3);
    const storeEnv = {
      BLOB_STORE: 's3',
      S3_ENDPOINT: s3.s3.endpoint!,
      S3_REGION: s3.s3.region,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: s3.s3.accessKeyId!,
      S3_SECRET_ACCESS_KEY: s3.s3.secretAccessKey!,
    };
    const shared = { ...storeEnv, ANDECHA_JOB_LEASE_MS: String(LEASE_MS) };
    // all four start together on the fresh database: one applies the migrations, the others wait for it
    const api = { ...shared, ANDECHA_WORKER: '0', ANDECHA_FEDERATION: '0' };
    const worker = { ...shared, ANDECHA_TEST_JOB_HOLD: `process-file:${HOLD_MS}`, LOG_LEVEL: 'debug' };
    const starts = await Promise.allSettled([
      startInstance({ databaseUrl: database.url, env: api, readyTimeoutMs: 90_000 }),
      startInstance({ databaseUrl: database.url, env: api, readyTimeoutMs: 90_000 }),
      startWorkerProcess({ databaseUrl: database.url, env: worker, readyTimeoutMs: 90_000 }),
      startWorkerProcess({ databaseUrl: database.url, env: worker, readyTimeoutMs: 90_000 }),
    ]);
    const up = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    [api1, api2] = up.filter((p): p is Instance => 'url' in p);
    workers = up.filter((p): p is WorkerProcess => 'pid' in p);
    const failed = starts.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    console.log(`distributed: 2 APIs and 2 workers up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    token = await registerOn(api1, 'maker');
    const created = await fetch(`${api1.url}/api/designs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'press', title: 'Press' }),
    });
    expect(created.status).toBe(201);
  }, 150_000);

  afterAll(async () => {
    await Promise.all([api1?.dispose(), api2?.dispose(), ...workers.map((w) => w.dispose())]);
    await sql?.end();
    store?.close();
    await s3?.close();
    await database?.drop();
    console.log(`distributed: whole file ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 60_000);

  const publishOn = async (
    instance: Instance,
    manifest: Record<string, unknown>,
    files: { path: string; bytes: Uint8Array }[],
  ) => {
    const res = await fetch(`${instance.url}/api/designs/${design}/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: publishForm(manifest, files),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return res.headers.get('x-request-id')!;
  };
  /** every job of the shared queue has settled: nothing waits, nothing runs */
  const queueIdle = async () =>
    (await sql.query(`select count(*)::int as n from jobs where state in ('queued', 'running')`)).rows[0].n === 0;
  const jobLinesOf = (p: { output(): string }, msg: string) =>
    jsonLines(p.output()).filter((l) => l.msg === msg && l.name === 'pipeline');

  it('a publish to API 1 is run by a worker process, its progress streams from API 2, both serve its previews', async () => {
    const stream = await openEventStream(`${api2.url}/api/events?design=${design}`);
    try {
      const requestId = await publishOn(api1, { version: '1.0.0' }, [
        { path: 'cad/cube.stl', bytes: cubeStl(10) },
        { path: 'README.md', bytes: Buffer.from('# Press') },
      ]);
      const fileEvents = () =>
        stream.events.filter((e) => e.type === 'file' && e.data.version === '1.0.0' && e.data.path === 'cad/cube.stl');
      await until('API 2 streams the file done', 30_000, () => fileEvents().some((e) => e.data.state === 'done'));
      expect(fileEvents().map((e) => e.data.state)).toEqual(['running', 'done']);
      expect(stream.events.some((e) => e.type === 'version' && e.data.version === '1.0.0')).toBe(true);

      // the jobs ran in the worker processes, under the publish's request id; the APIs run none
      await until('the queue settles', 30_000, queueIdle);
      const done = workers.flatMap((w) => jobLinesOf(w, 'job done').filter((l) => l.reqId === requestId));
      expect(done.map((l) => l.kind)).toEqual(expect.arrayContaining(['ingest-version', 'process-file']));
      for (const l of done) expect(workers.map((w) => w.pid)).toContain(l.pid);
      for (const a of [api1, api2]) expect(jobLinesOf(a, 'job done')).toEqual([]);
      // each job was claimed once: a live worker renews its lease, so held past the lease its job stays its own
      const claims = workers.flatMap((w) => jobLinesOf(w, 'job started').filter((l) => l.reqId === requestId));
      expect(claims.length).toBeGreaterThanOrEqual(2);
      expect(new Set(claims.map((l) => l.jobId)).size).toBe(claims.length);
    } finally {
      await stream.close();
    }

    // the worker's preview, from the shared bucket, through either API
    const path = `/api/designs/${design}/versions/1.0.0/previews/cad/cube.stl?format=png`;
    const [one, two] = await Promise.all([fetch(api1.url + path), fetch(api2.url + path)]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.headers.get('content-type')).toBe('image/png');
    const [a, b] = [Buffer.from(await one.arrayBuffer()), Buffer.from(await two.arrayBuffer())];
    expect(a.subarray(1, 4).toString()).toBe('PNG');
    expect(b.equals(a)).toBe(true);
    expect(await store.has(sha256(a))).toBe(true);
  }, 60_000);

  it('the response cache of both APIs drops when a version is published on one of them', async () => {
    const latest = `/api/designs/${design}/versions/latest`;
    const read = async (instance: Instance) => {
      const res = await fetch(instance.url + latest);
      return { version: ((await res.json()) as { version: string }).version, cache: res.headers.get('x-cache') };
    };
    for (const instance of [api1, api2]) {
      expect(await read(instance)).toEqual({ version: '1.0.0', cache: 'miss' });
      expect(await read(instance)).toEqual({ version: '1.0.0', cache: 'hit' });
    }
    await publishOn(api1, { version: '1.1.0' }, [{ path: 'cad/cube.stl', bytes: cubeStl(20) }]);
    expect(await read(api1)).toEqual({ version: '1.1.0', cache: 'miss' });
    // API 2 hears of the change through PostgreSQL's NOTIFY, within milliseconds (its entry would live 30 s)
    const heard = Date.now();
    let stale = 0;
    const fresh = await until('API 2 answers 1.1.0', 5_000, async () => {
      const r = await read(api2);
      if (r.version === '1.1.0') return r;
      stale++;
    });
    expect(fresh.cache).toBe('miss');
    console.log(
      `distributed: API 2 answered the new version ${Date.now() - heard} ms after the publish on API 1 answered` +
        ` (${stale} stale answer(s) before)`,
    );
    await until('the queue settles', 30_000, queueIdle);
  }, 60_000);

  it('a worker killed with kill -9 while it holds a job has that job finished by the other worker', async () => {
    const requestId = await publishOn(api1, { version: '1.2.0' }, [{ path: 'cad/cube.stl', bytes: cubeStl(30) }]);
    const startedOn = await until('a worker holds the file job', 20_000, () =>
      workers
        .map((w) => ({
          w,
          line: jobLinesOf(w, 'job started').find((l) => l.reqId === requestId && l.kind === 'process-file'),
        }))
        .find((x) => x.line),
    );
    const jobId = startedOn.line!.jobId as string;
    const killed = startedOn.w;
    const other = workers.find((w) => w !== killed)!;
    expect((await sql.query('select state from jobs where id = $1', [jobId])).rows[0].state).toBe('running');
    await killed.kill();
    const killedAt = Date.now();

    const finished = await until('the other worker finishes the job', 30_000, () =>
      jobLinesOf(other, 'job done').find((l) => l.jobId === jobId),
    );
    console.log(`distributed: killed worker's job done by the other ${Date.now() - killedAt} ms after the kill`);
    expect(finished).toMatchObject({ kind: 'process-file', attempt: 2, outcome: 'done', pid: other.pid });
    expect(jobLinesOf(killed, 'job done').filter((l) => l.jobId === jobId)).toEqual([]);
    const claims = (w: WorkerProcess) => jobLinesOf(w, 'job started').filter((l) => l.jobId === jobId).length;
    expect([claims(killed), claims(other)]).toEqual([1, 1]);
    const job = (await sql.query('select state, attempts from jobs where id = $1', [jobId])).rows[0];
    expect(job).toEqual({ state: 'done', attempts: 2 });
    const doc = (await (await fetch(`${api2.url}/api/designs/${design}/versions/1.2.0`)).json()) as {
      files: { path: string; pipeline: { state: string }; facts?: { triangles?: number } }[];
    };
    expect(doc.files[0]).toMatchObject({ path: 'cad/cube.stl', pipeline: { state: 'done' }, facts: { triangles: 12 } });
    // the survivor carries on alone
    await killed.dispose();
    workers = [other];
    await until('the queue settles', 30_000, queueIdle);
  }, 60_000);

  /** 16 MB no other version holds */
  const bigFile = Buffer.alloc(16 * 1024 * 1024);
  for (let i = 0; i < bigFile.length; i += 4) bigFile.writeUInt32LE((i * 2654435761) >>> 0, i);
  const unfinishedUploads = async () =>
    (await store.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: 'tmp/' }))).Uploads ?? [];

  /**
   * Publishes `version` with bigFile into an API through a multipart body written by hand, a megabyte at a time, and
   * pauses after 12 MB, once the store streams the file into the bucket (a multipart upload under tmp/, begun after 8).
   */
  async function publishPausedMidUpload(instance: Instance, version: string) {
    const chunk = 1024 * 1024;
    const boundary = 'distributed' + Date.now();
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="manifest"\r\n\r\n${JSON.stringify({ version })}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="data/big.bin"\r\n` +
        `content-type: application/octet-stream\r\n\r\n`,
    );
    let sent = 0;
    let resume: () => void = () => {};
    const paused = new Promise<void>((r) => (resume = r));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head);
      },
      async pull(controller) {
        if (sent === 12) await paused;
        if (sent * chunk < bigFile.length) controller.enqueue(bigFile.subarray(sent++ * chunk, sent * chunk));
        else {
          controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
          controller.close();
        }
      },
    });
    const answer = fetch(`${instance.url}/api/designs/${design}/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit).then(
      (r) => r.status,
      (e: Error) => e,
    );
    await until('the upload streams into the bucket', 20_000, async () => (await unfinishedUploads()).length === 1);
    return { answer, resume };
  }

  /** No version, file or blob row, no hold, no object (final or tmp/) of `version`: the database and bucket as before. */
  async function expectNothingOf(version: string, blobsBefore: string[]) {
    const versions = await sql.query('select count(*)::int as n from design_versions where version = $1', [version]);
    expect(versions.rows[0].n).toBe(0);
    expect((await sql.query('select count(*)::int as n from upload_holds')).rows[0].n).toBe(0);
    expect((await sql.query('select sha256 from blobs order by sha256')).rows.map((r) => r.sha256)).toEqual(
      blobsBefore,
    );
    const objects = [];
    for await (const s of store.list()) objects.push(s);
    expect(objects.sort()).toEqual(blobsBefore);
    const tmpObjects = await store.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'tmp/' }));
    expect(tmpObjects.KeyCount ?? 0).toBe(0);
  }

  const blobShas = async () =>
    (await sql.query('select sha256 from blobs order by sha256')).rows.map((r) => r.sha256 as string);

  it('an API stopped (SIGTERM) while a publish streams into it cuts the upload and leaves nothing at all', async () => {
    const blobsBefore = await blobShas();
    const { answer, resume } = await publishPausedMidUpload(api1, '1.3.0');
    // the shutdown gives requests 6 s, then drops their connections: the store aborts its multipart upload.
    // API 1 stays down: what is left needs one API
    await api1.stop();
    resume();
    expect(await answer).toBeInstanceOf(Error);
    await expectNothingOf('1.3.0', blobsBefore);
    expect(await unfinishedUploads()).toEqual([]);
  }, 60_000);

  it('an API killed (kill -9) while a publish streams into it leaves nothing half-written, and the retry succeeds', async () => {
    const blobsBefore = await blobShas();
    const { answer, resume } = await publishPausedMidUpload(api2, '1.3.0');
    await api2.kill();
    resume();
    expect(await answer).toBeInstanceOf(Error);
    await expectNothingOf('1.3.0', blobsBefore);
    // only the unfinished multipart upload, which no reader sees; gc aborts it
    expect(await unfinishedUploads()).toHaveLength(1);
    // the operator's gc (grace 0: nothing else uploads now) while the killed API starts again
    const gcDatabase = await openDatabase({ url: database.url });
    try {
      const [gc] = await Promise.all([collectGarbage(gcDatabase, store, { graceHours: 0 }), api2.restart()]);
      expect(gc.deleted).toEqual([]);
      expect(gc.abandonedUploads).toEqual({ count: 1, bytes: expect.any(Number) });
    } finally {
      await gcDatabase.close();
    }
    expect(await unfinishedUploads()).toEqual([]);

    // restarted, the same API takes the same publish whole
    await publishOn(api2, { version: '1.3.0' }, [{ path: 'data/big.bin', bytes: bigFile }]);
    const doc = (await (await fetch(`${api2.url}/api/designs/${design}/versions/1.3.0`)).json()) as {
      files: { path: string; sha256: string; size: number }[];
    };
    expect(doc.files).toEqual([
      expect.objectContaining({ path: 'data/big.bin', sha256: sha256(bigFile), size: bigFile.length }),
    ]);
    expect(await store.has(sha256(bigFile))).toBe(true);
  }, 90_000);
});
