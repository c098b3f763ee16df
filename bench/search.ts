// Search benchmark: 10,000 generated designs with 500,000 BOM lines on PostgreSQL (DATABASE_URL; a scratch
// database is created and dropped), PGlite at 1/10 scale; 1,000 mixed queries through the HTTP routes
// (app.inject): design search with facets, typo'd searches, facet filters, parts search. Prints p50/p95/p99.
// BENCH_SCALE scales the corpus, BENCH_QUERIES the query count; BENCH_KEEP_DB keeps the PostgreSQL database to explore.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withScratchDatabase } from './scratch-database.js';
import { sql } from 'drizzle-orm';
import { testConfig } from '../server/src/config.js';
import { buildApp } from '../server/src/app.js';
import { openRuntime, closeRuntime } from '../server/src/runtime.js';
import { openDatabase, type Database } from '../server/src/db/client.js';
import { refreshDesignSearch } from '../server/src/search/refresh.js';
import { recordPartNames } from '../server/src/search/parts.js';
import { percentile } from './stats.js';

// A corpus shaped like a registry of machines: 40 kinds of machine in 10 variants, each kind's BOM drawn from its own
// 18 of 60 part families (so a part word is in about a third of the designs, a machine word in a fortieth), part
// numbers shared within a kind and across some kinds (where-used has something to group), materials everywhere.
const machines = [
  'brick press',
  'tractor',
  'wind turbine',
  'power cube',
  'solar concentrator',
  'cnc torch table',
  '3d printer',
  'ironworker',
  'drill press',
  'backhoe',
  'bulldozer',
  'hay baler',
  'sawmill',
  'soil pulverizer',
  'seeder',
  'trencher',
  'micro house',
  'steam engine',
  'hydraulic press',
  'cider press',
  'wood gasifier',
  'rototiller',
  'well drilling rig',
  'aquaponics system',
  'bakery oven',
  'laser cutter',
  'metal lathe',
  'multimachine',
  'induction furnace',
  'rod and wire mill',
  'universal rotor',
  'chipper hammermill',
  'dairy milker',
  'spader',
  'cement mixer',
  'utility truck',
  'bioplastic extruder',
  'plasma cutter',
  'heat exchanger',
  'water pump',
];
const variants = ['compact', 'heavy duty', 'mobile', 'mk2', 'open', 'village', 'farm', 'community', 'mini', 'xl'];
const nouns = [
  'hydraulic cylinder',
  'hydraulic hose',
  'pressure gauge',
  'hex bolt',
  'lock nut',
  'flat washer',
  'ball bearing',
  'pillow block bearing',
  'sprocket',
  'roller chain',
  'v-belt',
  'pulley',
  'steel tube',
  'square tube',
  'angle iron',
  'flat bar',
  'steel plate',
  'round bar',
  'hinge',
  'spring',
  'shaft',
  'bushing',
  'spur gear',
  'gearbox',
  'electric motor',
  'contactor',
  'relay',
  'fuse',
  'cable',
  'terminal block',
  'solar panel',
  'charge controller',
  'battery',
  'inverter',
  'alternator',
  'rotor blade',
  'magnet',
  'copper coil',
  'stator',
  'hub',
  'wheel',
  'tire',
  'axle',
  'brake',
  'seat',
  'ball valve',
  'gear pump',
  'oil filter',
  'fuel tank',
  'hose clamp',
  'fitting',
  'quick coupler',
  'clevis pin',
  'bracket',
  'plywood sheet',
  'timber beam',
  'wood screw',
  'rivet',
  'weld wire',
  'paint',
];
const sizes = ['M8', 'M10', 'M12', '2 inch', '1/2 inch', '3/4 inch', '25 mm', '50 mm', '100 mm', 'heavy'];
const processes = [
  'welding',
  'cutting-torch',
  'plasma-cnc',
  'lathe',
  'drill-press',
  'hydraulics',
  'woodworking',
  'electronics-assembly',
];
const queries = [
  'brick press',
  'brik pres',
  'hydraulic cylinder',
  'hydraulic cylinder 2 inch',
  'wind turbine',
  'turbin',
  'solar concentrator',
  'tractor',
  'pump -valve',
  '"roller chain"',
  'rotor blade',
  'steel plate',
  'printr',
  'cider press',
];
const partQueries = [
  'hydraulic cylinder',
  'bearing',
  'bolt M10',
  'roller chain',
  'solar panel',
  'gear pump',
  'steel plate',
];

async function seed(db: Database, designs: number, linesPer: number) {
  const arr = (xs: string[]) => `array[${xs.map((w) => `'${w}'`).join(',')}]`;
  await db.raw(
    `insert into users (handle, email, password_hash) select 'bu' || g, 'bu' || g || '@example.org', 'x' from generate_series(1, 100) g`,
  );
  // kind f = g % 40, variant = (g / 40) % 10
  await db.raw(`insert into designs (owner_id, owner_handle, slug, title, summary, category, tags, licenses)
    select u.id, u.handle, 'd' || g,
      initcap((${arr(machines)})[1 + g % 40] || ' ' || (${arr(variants)})[1 + (g / 40) % 10]) || ' ' || g,
      'A ' || (${arr(variants)})[1 + (g / 40) % 10] || ' ' || (${arr(machines)})[1 + g % 40] || ' a workshop can build from ' || (array['steel','aluminium','timber','recycled parts'])[1 + g % 4],
      (array['agriculture','construction','energy','fabrication','habitat','industry','transport','water'])[1 + (g % 40) % 8],
      jsonb_build_array(split_part((${arr(machines)})[1 + g % 40], ' ', 1)),
      jsonb_build_object('hardware', (array['CERN-OHL-S-2.0','CC-BY-SA-4.0','GPL-3.0-or-later','MIT'])[1 + g % 4])
    from generate_series(1, ${designs}) g join users u on u.handle = 'bu' || (1 + g % 100)`);
  await db.raw(`insert into design_versions (design_id, version, major, minor, patch, manifest, created_by)
    select d.id, '1.0.0', 1, 0, 0, jsonb_build_object('version', '1.0.0', 'readiness', jsonb_build_object('technology', 'OTRL-' || (1 + abs(hashtext(d.slug)) % 8))), d.owner_id from designs d`);
  await db.raw(`insert into version_boms (version_id, checksum, format, encoding, mapping, warnings, line_count)
    select v.id, md5(v.id::text), 'csv', 'utf-8', '{}'::jsonb, '[]'::jsonb, ${linesPer} from design_versions v`);
  await db.raw(`insert into bom_lines (version_id, ord, depth, position, part_number, name, material, process, quantity, unit, line)
    select x.id, k, 0, k::text, 'P-' || lpad(((x.f * 97 + k) % 4000)::text, 4, '0'),
      (${arr(nouns)})[1 + (x.f * 7 + k % 18) % 60] || ' ' || (${arr(sizes)})[1 + (k * 3 + x.f) % 10],
      (array['steel','aluminium','S235','oak'])[1 + k % 4], (${arr(processes)})[1 + (x.f + k) % 8],
      (1 + k % 4)::text, 'pcs', '{}'::jsonb
    from (select v.id, substr(d.slug, 2)::int % 40 as f from design_versions v join designs d on d.id = v.design_id) x, generate_series(1, ${linesPer}) k`);
  // what a publish does after saving a BOM and changing a design
  for (const r of (await db.raw('select id from design_versions')).rows) await recordPartNames(db.db, r.id);
  for (const r of (await db.raw('select id from designs')).rows) await refreshDesignSearch(db.db, r.id);
}

async function measure(kind: string, db: Database, designs: number, linesPer: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'andecha-bench-search-'));
  const t0 = Date.now();
  // the response cache off: the bench repeats its queries, and each must cost what a first search costs
  const deps = await openRuntime(testConfig({ dataDir, responseCacheMs: 0 }), db);
  await seed(deps.db, designs, linesPer);
  // as autovacuum leaves a table that has settled: statistics and the visibility map
  await deps.db.db.execute(sql`vacuum analyze`);
  console.log(
    `${kind}: seeded ${designs} designs, ${designs * linesPer} BOM lines in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  deps.startup.done = true;
  const app = await buildApp(deps);
  const times: Record<string, number[]> = { design: [], parts: [] };
  const answered: Record<string, number> = { design: 0, parts: 0 };
  const count = Number(process.env.BENCH_QUERIES ?? 1000);
  for (let i = 0; i < count; i++) {
    const q = queries[i % queries.length];
    const parts = i % 4 === 3;
    const extra = i % 5 === 0 ? `&process=${processes[i % 8]}` : i % 7 === 0 ? '&category=energy' : '';
    const partQuery = i % 8 === 3 ? `P-${String(i % 4000).padStart(4, '0')}` : partQueries[i % partQueries.length];
    const url = parts
      ? `/api/parts?q=${encodeURIComponent(partQuery)}`
      : `/api/designs?q=${encodeURIComponent(q)}&facets=true${extra}`;
    const s = performance.now();
    const r = await app.inject({ url });
    const ms = performance.now() - s;
    if (r.statusCode !== 200) throw new Error(`${url} → ${r.statusCode} ${r.body.slice(0, 200)}`);
    times[parts ? 'parts' : 'design'].push(ms);
    if (r.json().items.length) answered[parts ? 'parts' : 'design']++;
  }
  for (const [name, list] of Object.entries(times)) {
    const s = [...list].sort((a, b) => a - b);
    console.log(
      `${kind} ${name.padEnd(6)} n=${s.length}  p50 ${percentile(s, 50).toFixed(1)} ms  p95 ${percentile(s, 95).toFixed(1)} ms  p99 ${percentile(s, 99).toFixed(1)} ms  (${answered[name]} with hits)`,
    );
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
    console.log(
      'DATABASE_URL unset: PostgreSQL run skipped (targets are for PostgreSQL: p95 ≤ 30 ms designs with facets, ≤ 15 ms parts)',
    );
    return;
  }
  await withScratchDatabase(url, 'andecha_bench_search', async (scratch) => {
    await measure('postgres', await openDatabase({ url: scratch }), Math.round(10000 * scale), 50);
  });
}
