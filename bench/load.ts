// Load benchmark: `npm run bench -- load`. The server runs as its own process (as `npm start` does) on PostgreSQL
// (DATABASE_URL: a scratch database on that server, dropped afterwards; else PGlite, noted). 50 connections for
// BENCH_SECONDS (60) of mixed traffic: 80 % reads of design pages and BOMs, 15 % previews, 5 % publishes of small
// versions. Prints rps, p50/p99 and errors per kind, then checks every acknowledged publish: present, with all its
// files byte for byte (sha256) and its BOM — 0 lost.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withScratchDatabase } from './scratch-database.js';
import { percentile } from './stats.js';
import { freePort } from '../test/helpers/free-port.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const USERS = 10;
const DESIGNS_PER_USER = 3;
const root = new URL('..', import.meta.url).pathname;

type Kind = 'design' | 'version' | 'bom' | 'preview' | 'publish';
interface Sample {
  kind: Kind;
  ms: number;
  status: number;
}
interface Published {
  owner: string;
  slug: string;
  version: string;
  files: { path: string; sha256: string }[];
  bomChecksum?: string;
}

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A small binary STL: a tetrahedron moved by `seed`, so each publish stores new bytes. */
function tetraStl(seed: number): Buffer {
  const v = [
    [0, 0, 0],
    [10, 0, 0],
    [0, 10, 0],
    [0, 0, 10],
  ].map(([x, y, z]) => [x + (seed % 97), y, z + (seed % 13)]);
  const faces = [
    [0, 2, 1],
    [0, 1, 3],
    [1, 2, 3],
    [0, 3, 2],
  ];
  const buf = Buffer.alloc(84 + 50 * faces.length);
  buf.writeUInt32LE(faces.length, 80);
  faces.forEach((f, i) =>
    f.forEach((vi, k) => v[vi]!.forEach((c, j) => buf.writeFloatLE(c, 84 + 50 * i + 12 + 12 * k + 4 * j))),
  );
  return buf;
}

const bomCsv = (seed: number) =>
  `Part Number,Description,Qty,Unit\nFR-${seed},Frame,1,pcs\nBL-M8,Bolt M8x30,${4 + (seed % 5)},pcs\n`;

export async function run(): Promise<void> {
  if (process.env.DATABASE_URL) {
    await withScratchDatabase(process.env.DATABASE_URL, 'andecha_load', async (url, name) => {
      console.log(`load: PostgreSQL, scratch database ${name}`);
      await load(url);
    });
  } else {
    console.log("load: no DATABASE_URL — running on PGlite (one connection: figures are not PostgreSQL's)");
    await load(undefined);
  }
}

async function load(databaseUrl: string | undefined): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-load-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let out = '';
  // the hourly publish limit would refuse the bench's own publishes: it is about abuse, not load
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      ANDECHA_DATA_DIR: dataDir,
      ANDECHA_SAMPLES: '0',
      ANDECHA_UPLOADS_PER_HOUR: '0',
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
  });
  server.stdout.on('data', (d) => {
    out += d;
  });
  server.stderr.on('data', (d) => {
    out += d;
  });
  try {
    for (const t0 = Date.now(); !/ready in/.test(out); await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() - t0 > 60_000 || server.exitCode !== null) throw new Error(`server did not start:\n${out}`);
    }

    // ── seed through the API ──
    const users: { handle: string; token: string }[] = [];
    const designs: { owner: string; slug: string; token: string }[] = [];
    for (let i = 0; i < USERS; i++) {
      const handle = `load${i}`;
      const r = await fetch(`${base}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ handle, email: `${handle}@example.org`, password: 'load test password' }),
      });
      const token = ((await r.json()) as any).token as string;
      users.push({ handle, token });
      for (let d = 0; d < DESIGNS_PER_USER; d++) {
        const slug = `machine-${d}`;
        const c = await fetch(`${base}/api/designs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ slug, title: `Machine ${i}.${d}` }),
        });
        if (c.status !== 201) throw new Error(`create design: ${c.status} ${await c.text()}`);
        designs.push({ owner: handle, slug, token });
      }
    }
    let seq = 0;
    const published: Published[] = [];
    async function publishSmall(d: { owner: string; slug: string; token: string }): Promise<number> {
      const n = seq++;
      const version = `1.${n}.0`;
      const stl = tetraStl(n);
      const readme = `# Machine, release ${n}\n`;
      const fd = new FormData();
      fd.append('manifest', JSON.stringify({ version, changelog: `release ${n}` }));
      fd.append('bom', new Blob([bomCsv(n)]), 'bom.csv');
      fd.append('files', new Blob([stl as BlobPart]), 'cad/part.stl');
      fd.append('files', new Blob([readme]), 'README.md');
      const r = await fetch(`${base}/api/designs/${d.owner}/${d.slug}/versions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${d.token}` },
        body: fd,
      });
      const body = (await r.json()) as any;
      if (r.status === 201) {
        published.push({
          owner: d.owner,
          slug: d.slug,
          version,
          files: [
            { path: 'cad/part.stl', sha256: sha(stl) },
            { path: 'README.md', sha256: sha(readme) },
          ],
          bomChecksum: body.bom?.checksum,
        });
      }
      return r.status;
    }
    for (const d of designs) await publishSmall(d);
    console.log(`load: seeded ${users.length} accounts, ${designs.length} designs with a version each`);

    // ── mixed traffic ──
    const samples: Sample[] = [];
    let networkErrors = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    async function timed(kind: Kind, fn: () => Promise<number>) {
      const t0 = performance.now();
      try {
        samples.push({ kind, status: await fn(), ms: performance.now() - t0 });
      } catch {
        networkErrors++;
      }
    }
    const get = async (url: string) => {
      const r = await fetch(base + url);
      await r.arrayBuffer();
      return r.status;
    };
    async function connection() {
      while (Date.now() < deadline) {
        const d = pick(designs);
        const x = Math.random();
        const at = `/api/designs/${d.owner}/${d.slug}`;
        if (x < 0.8) {
          const y = Math.random();
          if (y < 0.34) await timed('design', () => get(at));
          else if (y < 0.67) await timed('version', () => get(`${at}/versions/latest`));
          else
            await timed('bom', () =>
              get(`${at}/versions/latest/bom?format=json&units=${1 + Math.floor(Math.random() * 10)}`),
            );
        } else if (x < 0.95) {
          await timed('preview', () =>
            get(`${at}/versions/latest/previews/cad/part.stl?size=${pick([256, 512])}&format=${pick(['png', 'webp'])}`),
          );
        } else {
          await timed('publish', () => publishSmall(d));
        }
      }
    }
    const t0 = Date.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, connection));
    const elapsed = (Date.now() - t0) / 1000;

    // ── figures ──
    const ok = (s: Sample) =>
      s.kind === 'publish' ? s.status === 201 : s.status === 200 || (s.kind === 'preview' && s.status === 202);
    const row = (label: string, xs: Sample[]) => {
      const ms = xs.map((s) => s.ms).sort((a, b) => a - b);
      const codes = [...new Set(xs.filter((s) => !ok(s)).map((s) => s.status))].join(',');
      return `${label.padEnd(8)} ${String(xs.length).padStart(7)} ${(xs.length / elapsed).toFixed(0).padStart(7)} ${percentile(ms, 50).toFixed(1).padStart(8)} ${percentile(ms, 99).toFixed(1).padStart(8)} ${String(xs.filter((s) => !ok(s)).length).padStart(7)}${codes ? ` (${codes})` : ''}`;
    };
    console.log(
      `\nload: ${CONNECTIONS} connections, ${elapsed.toFixed(1)} s, ${databaseUrl ? 'PostgreSQL' : 'PGlite'}`,
    );
    console.log(
      `${'kind'.padEnd(8)} ${'requests'.padStart(7)} ${'rps'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`,
    );
    for (const kind of ['design', 'version', 'bom', 'preview', 'publish'] as Kind[])
      console.log(
        row(
          kind,
          samples.filter((s) => s.kind === kind),
        ),
      );
    console.log(row('all', samples));
    console.log(
      `network errors: ${networkErrors}; previews still rendering (202): ${samples.filter((s) => s.kind === 'preview' && s.status === 202).length}`,
    );

    // ── every acknowledged publish is there, whole ──
    let lost = 0;
    const problems: string[] = [];
    for (const p of published) {
      const at = `/api/designs/${p.owner}/${p.slug}/versions/${p.version}`;
      const r = await fetch(base + at);
      if (r.status !== 200) {
        lost++;
        problems.push(`${at}: ${r.status}`);
        continue;
      }
      const doc = (await r.json()) as any;
      for (const f of p.files) {
        const listed = doc.files.find((x: any) => x.path === f.path);
        const bytes = new Uint8Array(await (await fetch(`${base}${at}/files/${f.path}`)).arrayBuffer());
        if (!listed || listed.sha256 !== f.sha256 || sha(bytes) !== f.sha256) {
          lost++;
          problems.push(`${at} ${f.path}: missing or different`);
        }
      }
      if (!doc.bom || doc.bom.checksum !== p.bomChecksum) {
        lost++;
        problems.push(`${at}: BOM missing or different`);
      }
    }
    console.log(
      `verified ${published.length} acknowledged publishes (${published.length * 2} files + BOMs): ${lost} lost`,
    );
    for (const p of problems.slice(0, 10)) console.log(`  ${p}`);
    if (lost) process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
