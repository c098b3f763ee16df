// Federation benchmark on real instances (separate processes on loopback, PGlite each, as the network's tests start
// them): (1) a 20-file, 50 MB version published on A → its complete, verified mirror on B with B's own previews,
// beside the peer measured from the same publish: A's own previews of it; (2) fan-out of one version to 100 follower
// inboxes (a Fedify process of 100 actors that followed with signed Follows) → every inbox got the Create.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { apiOn, registerOn, startInstances, type Instance } from '../test/helpers/instances.js';
import { freePort } from '../test/helpers/free-port.js';
import { formPayload, publishForm, type UploadFile } from '../test/helpers/app.js';
import { knotStl } from './meshes.js';
import { formatMs as ms } from './stats.js';

const root = new URL('..', import.meta.url).pathname;
const FILES = 20;
const MESHES = 5;
// smaller values only to try the benchmark out: the figures are for 50 MB and 100 followers
const VERSION_BYTES = Number(process.env.BENCH_VERSION_MB ?? 50) * 1024 * 1024;
const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 100);
const MIRROR_TIMEOUT_MS = 600_000;
const FANOUT_TIMEOUT_MS = 300_000;

/** Polls check() every 50 ms until it returns something, or fails after timeoutMs naming what it waited for. */
async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms(timeoutMs)} waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Five meshes of 40 k – 120 k triangles (20 MB) and fifteen binary files (random bytes) filling the version to 50 MB. */
function versionFiles(tag: string): UploadFile[] {
  const scale = VERSION_BYTES / (50 * 1024 * 1024);
  const meshes = Array.from({ length: MESHES }, (_, i) => ({
    path: `cad/part-${i}.stl`,
    bytes: knotStl(Math.round((40_000 + i * 20_000) * scale), `${tag} ${i}`, 20 + i * 5),
  }));
  const meshBytes = meshes.reduce((n, f) => n + f.bytes.length, 0);
  const binaries = FILES - MESHES;
  const each = Math.floor((VERSION_BYTES - meshBytes) / binaries);
  const blobs = Array.from({ length: binaries }, (_, i) => ({
    path: `data/block-${String(i).padStart(2, '0')}.bin`,
    bytes: randomBytes(i === binaries - 1 ? VERSION_BYTES - meshBytes - each * (binaries - 1) : each),
  }));
  return [...meshes, ...blobs];
}

interface VersionDoc {
  pipeline?: { state: string };
  mirror?: { state: string; error?: string };
  files: { path: string; size: number; sha256: string; format?: string; previews?: { png?: string } }[];
}

async function versionOn(instance: Instance, ref: string, version: string): Promise<VersionDoc | undefined> {
  const res = await fetch(`${instance.url}/api/designs/${ref}/versions/${version}`, {
    headers: { 'cache-control': 'no-cache' },
  });
  return res.ok ? ((await res.json()) as VersionDoc) : undefined;
}

/** The version once every file is copied (a mirror's) and every mesh has its preview; throws on a failed mirror. */
async function previewsDrawn(instance: Instance, ref: string, version: string) {
  const v = await versionOn(instance, ref, version);
  if (v?.mirror?.state === 'failed') throw new Error(`mirror of ${ref}@${version} failed: ${v.mirror.error}`);
  if (!v || (v.mirror && v.mirror.state !== 'complete') || v.pipeline?.state !== 'done') return undefined;
  const meshes = v.files.filter((f) => f.path.endsWith('.stl'));
  return meshes.length === MESHES && meshes.every((f) => f.previews?.png) ? v : undefined;
}

async function publishBody(token: string, manifest: unknown, files: UploadFile[]) {
  const { payload, headers } = await formPayload(publishForm(manifest, files));
  return { body: new Uint8Array(payload), headers: { ...headers, authorization: `Bearer ${token}` } };
}

async function publishTimed(a: Instance, token: string, design: string, body: Awaited<ReturnType<typeof publishBody>>) {
  const res = await fetch(`${a.url}/api/designs/${design}/versions`, { method: 'POST', ...body });
  if (res.status !== 201) throw new Error(`publish on A: ${res.status} ${await res.text()}`);
}

/** The follower process: 100 actors that follow the design, and its /stats of Accepts and Creates received. */
async function startFollowers(designPage: string) {
  const port = await freePort();
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/federation-followers.ts', String(port), designPage, String(FOLLOWERS)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const stats = async () => {
    if (proc.exitCode !== null) throw new Error(`the follower process exited:\n${out}`);
    const res = await fetch(`http://127.0.0.1:${port}/stats`);
    return (await res.json()) as { accepted: number; creates: Record<string, number> };
  };
  return {
    stats,
    followed: () => until(async () => (out.includes('"followed"') ? true : undefined), 120_000, 'the 100 Follows sent'),
    output: () => out,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function run(): Promise<void> {
  const t0 = performance.now();
  const [a, b] = await startInstances({ readyTimeoutMs: 180_000 }, { readyTimeoutMs: 180_000 });
  let followers: Awaited<ReturnType<typeof startFollowers>> | undefined;
  console.log(
    `federation benchmark: 2 instances (separate processes, PGlite, 1 worker thread each) on loopback, ${cpus().length} cores,` +
      ` Node ${process.version} (instances ready in ${ms(performance.now() - t0)})\n`,
  );
  try {
    const ana = await registerOn(a, 'ana');
    const bo = await registerOn(b, 'bo');
    for (const slug of ['machine', 'news'])
      if ((await apiOn(a, ana, 'POST', '/api/designs', { slug, title: `The ${slug}` })).status !== 201)
        throw new Error(`create ${slug} on A`);
    const ref = `ana@${a.host}/machine`;

    // warm-up: B follows, backfills a one-mesh version (both worker threads started, fetch path and JIT warm)
    await publishTimed(
      a,
      ana,
      'ana/machine',
      await publishBody(ana, { version: '0.0.1' }, versionFiles('warm').slice(0, 1)),
    );
    const follow = await apiOn(b, bo, 'POST', '/api/federation/follows', { target: `${a.url}/ana/machine` });
    if (follow.status !== 202) throw new Error(`follow: ${follow.status} ${JSON.stringify(follow.body)}`);
    await until(
      async () => {
        const v = await versionOn(b, ref, '0.0.1');
        return v?.mirror?.state === 'complete' && v.pipeline?.state === 'done' ? v : undefined;
      },
      MIRROR_TIMEOUT_MS,
      "B's warm-up mirror",
    );

    // (1) 50 MB, 20 files: A's previews and B's complete mirror from one publish, both polled every 50 ms
    const files = versionFiles('run');
    const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
    const triangles = files
      .filter((f) => f.path.endsWith('.stl'))
      .reduce((n, f) => n + Buffer.from(f.bytes).readUInt32LE(80), 0);
    const body = await publishBody(ana, { version: '1.0.0', changelog: 'Benchmark' }, files);
    const start = performance.now();
    await publishTimed(a, ana, 'ana/machine', body);
    const published = performance.now() - start;
    const [onA, onB] = await Promise.all([
      until(() => previewsDrawn(a, 'ana/machine', '1.0.0'), MIRROR_TIMEOUT_MS, "A's previews").then((v) => ({
        v,
        t: performance.now() - start,
      })),
      until(() => previewsDrawn(b, ref, '1.0.0'), MIRROR_TIMEOUT_MS, "B's mirror").then((v) => ({
        v,
        t: performance.now() - start,
      })),
    ]);
    const list = (v: VersionDoc) => JSON.stringify(v.files.map((f) => [f.path, f.size, f.sha256]).sort());
    if (list(onA.v) !== list(onB.v)) throw new Error("B's copy lists other files or sha256s than A's version");

    // (2) fan-out: 100 followers of another design, then one version → a Create in every inbox
    followers = await startFollowers(`${a.url}/ana/news`);
    await followers.followed();
    await until(
      async () => ((await followers!.stats()).accepted >= FOLLOWERS ? true : undefined),
      FANOUT_TIMEOUT_MS,
      `${FOLLOWERS} Accepts from A`,
    );
    const news = await publishBody(ana, { version: '1.0.0' }, [{ path: 'note.md', bytes: '# News\n' }]);
    const fanStart = Date.now();
    await publishTimed(a, ana, 'ana/news', news);
    const arrivals = await until(
      async () => {
        const { creates } = await followers!.stats();
        return Object.keys(creates).length >= FOLLOWERS ? Object.values(creates) : undefined;
      },
      FANOUT_TIMEOUT_MS,
      `the Create in all ${FOLLOWERS} inboxes`,
    );
    const first = Math.min(...arrivals) - fanStart;
    const last = Math.max(...arrivals) - fanStart;

    const rows: [string, string, string][] = [
      [
        `publish on A (${FILES} files: ${MESHES} STL meshes, ${triangles.toLocaleString('en')} triangles, + ${FILES - MESHES} binaries; ${(bytes / 2 ** 20).toFixed(1)} MB) → previews on A`,
        ms(onA.t),
        `peer (publish request ${ms(published)})`,
      ],
      [
        'the same publish → complete mirror on B (every file verified, previews drawn on B)',
        ms(onB.t),
        `${(onB.t / onA.t).toFixed(2)}× A's own`,
      ],
      [
        `one version → the Create in all ${FOLLOWERS} follower inboxes (separate inboxes, from A's queue)`,
        ms(last),
        `${(FOLLOWERS / (last / 1000)).toFixed(0)} inboxes/s, ${ms(last / FOLLOWERS, 1)} per inbox; first after ${ms(first)}, then ${((FOLLOWERS - 1) / ((last - first) / 1000)).toFixed(0)} inboxes/s`,
      ],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    for (const [what, time, note] of rows) console.log(`${what.padEnd(w0)}  ${time.padStart(w1)}  ${note}`);
  } finally {
    await followers?.stop();
    await Promise.all([a.dispose(), b.dispose()]);
  }
}
