// Upload benchmark: a generated 1 GB file streamed through the publish route (fs store, then S3: Ceph's radosgw when
// TEST_S3_ENDPOINT… name one — scripts/radosgw.sh start —, else s3rver), beside a plain streamed file copy and the AWS
// SDK's own multipart upload of the same bytes to the same S3 server, with the process's peak RSS growth while uploading.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { spawn, type ChildProcess } from 'node:child_process';
import { Upload } from '@aws-sdk/lib-storage';
import { S3BlobStore } from '../server/src/storage/s3-store.js';
import { once } from 'node:events';
import { testConfig, type Config } from '../server/src/config.js';
import { buildApp } from '../server/src/app.js';
import { openRuntime, closeRuntime } from '../server/src/runtime.js';
import { registerUser } from '../server/src/accounts/accounts.js';
import { createDesign } from '../server/src/registry/designs.js';
import { getUserByHandle } from '../server/src/accounts/accounts.js';
import { configuredS3, startS3 } from '../test/helpers/s3.js';

const SIZE = Number(process.env.BENCH_UPLOAD_MB ?? 1024) * 1024 * 1024;
const MB = 1024 * 1024;

/** Pseudo-random bytes written in 4 MB blocks (incompressible, so nothing downstream gets a free ride). */
async function generate(path: string): Promise<void> {
  const block = randomBytes(4 * MB);
  let left = SIZE;
  await pipeline(
    Readable.from(
      (function* () {
        while (left > 0) {
          const n = Math.min(left, block.length);
          left -= n;
          // vary each block a little so no two blocks are equal
          block.writeUInt32LE(left, 0);
          yield Buffer.from(block.subarray(0, n));
        }
      })(),
    ),
    createWriteStream(path),
  );
}

/** Samples RSS every 20 ms; returns the peak above the starting value. */
function rssSampler() {
  const base = process.memoryUsage().rss;
  let peak = base;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop: () => {
      clearInterval(t);
      return (Math.max(peak, process.memoryUsage().rss) - base) / MB;
    },
  };
}

/** POSTs a multipart publish body built around a file stream: the client holds no more than a chunk either. */
function publishStream(url: string, token: string, file: string): Promise<{ status: number; body: string }> {
  const boundary = '----andecha' + randomBytes(8).toString('hex');
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="manifest"\r\n\r\n${JSON.stringify({ version: '1.0.0' })}\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="cad/big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + SIZE + tail.length,
        },
      },
      (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (c) => {
            body += c;
          })
          .on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.write(head);
    const src = createReadStream(file, { highWaterMark: MB });
    src.on('error', reject);
    src.pipe(req, { end: false });
    src.on('end', () => req.end(tail));
  });
}

async function throughPublish(
  label: string,
  file: string,
  overrides: Partial<Config>,
): Promise<{ mbps: number; rss: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-upload-'));
  const config = testConfig({ dataDir, maxFileBytes: 4 * SIZE, maxVersionBytes: 4 * SIZE, ...overrides });
  const deps = await openRuntime(config);
  deps.startup.done = true;
  const { token } = await registerUser(deps.db.db, {
    handle: 'ana',
    email: 'ana@example.org',
    password: 'bench password 1',
  });
  const u = (await getUserByHandle(deps.db.db, 'ana'))!;
  await createDesign(
    deps.db.db,
    { id: u.id, handle: 'ana', isAdmin: true, scope: 'write' },
    { slug: 'big', title: 'Big' },
  );
  const app = await buildApp(deps);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    global.gc?.();
    const rss = rssSampler();
    const t0 = performance.now();
    const r = await publishStream(`${base}/api/designs/ana/big/versions`, token, file);
    const seconds = (performance.now() - t0) / 1000;
    const grew = rss.stop();
    if (r.status !== 201) throw new Error(`${label}: publish answered ${r.status} ${r.body.slice(0, 300)}`);
    return { mbps: SIZE / MB / seconds, rss: grew };
  } finally {
    await app.close();
    await closeRuntime(deps);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** s3rver in its own process (bench/s3rver-child.mjs): resolves with its port once it listens. */
async function startS3rver(directory: string, bucket: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 's3rver-child.mjs'), directory, bucket], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { port: Number(line.toString().trim()), child };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'andecha-upload-src-'));
  const s3dir = mkdtempSync(join(tmpdir(), 'andecha-upload-s3-'));
  let s3: ChildProcess | undefined;
  let closeS3: (() => Promise<void>) | undefined;
  try {
    const file = join(dir, 'big.bin');
    await generate(file);
    console.log(`generated ${(statSync(file).size / MB).toFixed(0)} MB`);
    const t0 = performance.now();
    await pipeline(createReadStream(file, { highWaterMark: MB }), createWriteStream(join(dir, 'copy.bin')));
    const copy = SIZE / MB / ((performance.now() - t0) / 1000);
    rmSync(join(dir, 'copy.bin'));
    const fs = await throughPublish('fs', file, {});
    // radosgw is shared and outlives the bench: a bucket of its own, removed at the end; s3rver runs in a child process
    // so its CPU and memory stay out of this one's figures
    let s3Options: Config['s3'];
    let server: string;
    if (configuredS3()) {
      const rgw = await startS3('bench');
      closeS3 = () => rgw.close();
      s3Options = rgw.s3;
      server = 'radosgw';
    } else {
      const started = await startS3rver(s3dir, 'bench');
      s3 = started.child;
      s3Options = {
        endpoint: `http://127.0.0.1:${started.port}`,
        bucket: 'bench',
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
      };
      server = 's3rver';
    }
    const s3r = await throughPublish('s3', file, { blobStore: 's3', s3: s3Options });
    // the S3 server's own ceiling: the SDK (with the store's client settings) uploading the file straight to it, in the
    // store's default parts (8 MB, 4 in flight)
    const { client } = new S3BlobStore(s3Options);
    global.gc?.();
    const rawRss = rssSampler();
    const t1 = performance.now();
    await new Upload({
      client,
      params: { Bucket: s3Options.bucket, Key: 'raw.bin', Body: createReadStream(file, { highWaterMark: MB }) },
      partSize: 8 * MB,
      queueSize: 4,
    }).done();
    const raw = SIZE / MB / ((performance.now() - t1) / 1000);
    const rawGrew = rawRss.stop();
    client.destroy();
    console.log(
      `\n${(SIZE / MB).toFixed(0)} MB through POST …/versions (client and server in this process; ${server} in its own)`,
    );
    console.log('path'.padEnd(34), 'MB/s'.padStart(8), 'ratio'.padStart(7), 'peak RSS growth'.padStart(17));
    console.log(
      'plain file copy (streams)'.padEnd(34),
      copy.toFixed(0).padStart(8),
      '1.00'.padStart(7),
      '-'.padStart(17),
    );
    console.log(
      'publish, fs blob store'.padEnd(34),
      fs.mbps.toFixed(0).padStart(8),
      (fs.mbps / copy).toFixed(2).padStart(7),
      `${fs.rss.toFixed(1)} MB`.padStart(17),
    );
    console.log(
      `publish, S3 blob store (${server})`.padEnd(34),
      s3r.mbps.toFixed(0).padStart(8),
      (s3r.mbps / copy).toFixed(2).padStart(7),
      `${s3r.rss.toFixed(1)} MB`.padStart(17),
    );
    console.log(
      `SDK upload straight to ${server}`.padEnd(34),
      raw.toFixed(0).padStart(8),
      (raw / copy).toFixed(2).padStart(7),
      `${rawGrew.toFixed(1)} MB`.padStart(17),
    );
    console.log(
      `publish to S3 / the SDK's own upload to the same server (${server}): ${(s3r.mbps / raw).toFixed(2)}× ` +
        `(target ≥ 0.9); publish's peak RSS growth ${s3r.rss.toFixed(1)} MB (target ≤ 64 MB for 1 GB)`,
    );
  } finally {
    await closeS3?.();
    if (s3 && s3.exitCode === null) {
      const exited = once(s3, 'exit');
      s3.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(s3dir, { recursive: true, force: true });
  }
}
