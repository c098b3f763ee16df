// Search benchmark: 10,000 generated designs with 500,000 BOM lines on PostgreSQL (DATABASE_URL; a scratch
// database is created and dropped), PGlite at 1/10 scale; 1,000 mixed queries through the HTTP routes
// (app.inject): design search with facets, typo'd searches, facet filters, parts search. Prints p50/p95/p99.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { testConfig } from '../server/src/config.js';
import { buildApp } from '../server/src/app.js';
import { openRuntime, closeRuntime } from '../server/src/runtime.js';
import { openDatabase, type Database } from '../server/src/db/client.js';
import { refreshDesignSearch } from '../server/src/search/refresh.js';

const words = ['brick', 'press', 'tractor', 'hydraulic', 'cylinder', 'wind', 'turbine', 'solar', 'heater', 'pulverizer', 'printer',
  'torch', 'table', 'cider', 'frame', 'wheel', 'pump', 'valve', 'engine', 'blade', 'rotor', 'tank', 'gear', 'chain', 'motor'];
const processes = ['welding', 'cutting-torch', 'plasma-cnc', 'lathe', 'drill-press', 'hydraulics', 'woodworking', 'electronics-assembly'];
const queries = ['brick press', 'brik pres', 'hydraulic cylinder', 'hydraulic cylinder 2 inch', 'wind turbine', 'turbin', 'solar heater',
  'tractor engine', 'pump -valve', '"gear chain"', 'rotor blade', 'frame wheel', 'printr', 'cider'];

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function seed(db: Database, designs: number, linesPer: number) {
  const arr = (xs: string[]) => `array[${xs.map((w) => `'${w}'`).join(',')}]`;
  await db.raw(`insert into users (handle, email, password_hash) select 'bu' || g, 'bu' || g || '@example.org', 'x' from generate_series(1, 100) g`);
  await db.raw(`insert into designs (owner_id, owner_handle, slug, title, summary, category, tags, licenses)
    select u.id, u.handle, 'd' || g,
      initcap((${arr(words)})[1 + (g * 7) % 25] || ' ' || (${arr(words)})[1 + (g * 13) % 25] || ' ' || g),
      'A ' || (${arr(words)})[1 + (g * 3) % 25] || ' machine with a ' || (${arr(words)})[1 + (g * 11) % 25],
      (array['agriculture','construction','energy','fabrication'])[1 + g % 4],
      jsonb_build_array((${arr(words)})[1 + (g * 5) % 25]),
      jsonb_build_object('hardware', (array['CERN-OHL-S-2.0','CC-BY-SA-4.0','GPL-3.0-or-later','MIT'])[1 + g % 4])
    from generate_series(1, ${designs}) g join users u on u.handle = 'bu' || (1 + g % 100)`);
  await db.raw(`insert into design_versions (design_id, version, major, minor, patch, manifest, created_by)
    select d.id, '1.0.0', 1, 0, 0, jsonb_build_object('version', '1.0.0', 'readiness', jsonb_build_object('technology', 'OTRL-' || (1 + abs(hashtext(d.slug)) % 8))), d.owner_id from designs d`);
  await db.raw(`insert into version_boms (version_id, checksum, format, encoding, mapping, warnings, line_count)
    select v.id, md5(v.id::text), 'csv', 'utf-8', '{}'::jsonb, '[]'::jsonb, ${linesPer} from design_versions v`);
  await db.raw(`insert into bom_lines (version_id, ord, depth, position, part_number, name, material, process, quantity, unit, line)
    select v.id, k, 0, k::text, 'P-' || ((abs(hashtext(v.id::text)) + k * 31) % 5000),
      (${arr(words)})[1 + (abs(hashtext(v.id::text)) + k) % 25] || ' ' || (${arr(words)})[1 + (k * 7) % 25],
      (array['steel','aluminium','S235','oak'])[1 + k % 4], (${arr(processes)})[1 + (abs(hashtext(v.id::text)) + k) % 8],
      '1', 'pcs', '{}'::jsonb
    from design_versions v, generate_series(1, ${linesPer}) k`);
  const { rows } = await db.raw('select id from designs');
  for (const r of rows) await refreshDesignSearch(db.db, r.id);
}

async function measure(kind: string, db: Database, designs: number, linesPer: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-bench-search-'));
  const t0 = Date.now();
  const deps = await openRuntime(testConfig({ dataDir }), db);
  await seed(deps.db, designs, linesPer);
  await deps.db.db.execute(sql`analyze`);
  console.log(`${kind}: seeded ${designs} designs, ${designs * linesPer} BOM lines in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  deps.startup.done = true;
  const app = await buildApp(deps);
  const times: Record<string, number[]> = { design: [], parts: [] };
  for (let i = 0; i < 1000; i++) {
    const q = queries[i % queries.length];
    const parts = i % 4 === 3;
    const extra = i % 5 === 0 ? `&process=${processes[i % 8]}` : i % 7 === 0 ? '&category=energy' : '';
    const url = parts ? `/api/parts?q=${encodeURIComponent(i % 8 === 3 ? `P-${i % 5000}` : q.split(' ')[0])}` : `/api/designs?q=${encodeURIComponent(q)}&facets=true${extra}`;
    const s = performance.now();
    const r = await app.inject({ url });
    const ms = performance.now() - s;
    if (r.statusCode !== 200) throw new Error(`${url} → ${r.statusCode} ${r.body.slice(0, 200)}`);
    times[parts ? 'parts' : 'design'].push(ms);
  }
  for (const [name, list] of Object.entries(times)) {
    const s = [...list].sort((a, b) => a - b);
    console.log(`${kind} ${name.padEnd(6)} n=${s.length}  p50 ${pct(s, 50).toFixed(1)} ms  p95 ${pct(s, 95).toFixed(1)} ms  p99 ${pct(s, 99).toFixed(1)} ms`);
  }
  await app.close();
  await closeRuntime(deps);
  rmSync(dataDir, { recursive: true, force: true });
}

export async function run() {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  await measure('pglite', await openDatabase({}), Math.round(1000 * scale), 50);
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('DATABASE_URL unset: PostgreSQL run skipped (targets are for PostgreSQL: p95 ≤ 30 ms designs with facets, ≤ 15 ms parts)');
    return;
  }
  const name = `andecha_bench_search_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = '/' + name;
  try {
    await measure('postgres', await openDatabase({ url: u.toString() }), Math.round(10000 * scale), 50);
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
