// The sample machines in designs/: manifests, BOMs, CAD files, drawings, photos and samples.json hold together,
// and the generator reproduces the committed CAD files byte for byte.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import dxfParserModule from 'dxf-parser';
import semver from 'semver';
import sharp from 'sharp';
import parseSpdx from 'spdx-expression-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { designsRoot, generateAll, type GeneratedFile } from '../../designs/_generate/index.js';
import { cutList, parseBom } from '../../server/src/bom/kernel/index.js';

const CATEGORIES = ['agriculture', 'construction', 'energy', 'fabrication', 'industry', 'housing', 'food'];
const PROCESSES = [
  'welding',
  'cutting-torch',
  'plasma-cnc',
  'laser-cut',
  'cnc-mill',
  'lathe',
  'drill-press',
  '3d-print-fdm',
  'woodworking',
  'electronics-assembly',
  'casting',
  'bending',
  'sawing',
  'assembly',
  'hydraulics',
];
const BOM_COLUMNS = [
  'Level',
  'Part Number',
  'Description',
  'Qty',
  'Unit',
  'Unit Price',
  'Currency',
  'Supplier',
  'Material',
  'Process',
  'File',
  'Notes',
];
const CUT_LENGTH_COLUMN = 'Cut Length (mm)';
const MESH_EXTENSIONS = ['.stl', '.obj', '.3mf', '.glb'];

interface Samples {
  version: number;
  accounts: { handle: string; name: string; email: string }[];
  designs: { owner: string; slug: string; folder: string; versions: string[] }[];
  forks: { owner: string; slug: string; folder: string; forkOf: string; versions: string[] }[];
  workshops: {
    slug: string;
    name: string;
    owner: string;
    members: string[];
    place: { city: string; region?: string; country: string; lat: number; lon: number };
    processes: string[];
  }[];
  builds: {
    key: string;
    author: string;
    design: string;
    report: {
      workshop: string;
      outcome: string;
      hours?: number;
      unitsBuilt?: number;
      cost?: { amount: string; currency: string };
      lines?: { position: string; part?: string; material?: string; reason: string }[];
    };
    photos: string[];
    review?: { reviewer: string; decision: string; comment: string; safetyChecked?: boolean };
  }[];
}

const samples = JSON.parse(readFileSync(join(designsRoot, 'samples.json'), 'utf8')) as Samples;
const published = [...samples.designs, ...samples.forks];
const versionDirs = published.flatMap((d) =>
  d.versions.map((v) => ({
    ref: `${d.owner}/${d.slug}@${v}`,
    folder: d.folder,
    version: v,
    dir: join(designsRoot, d.folder, v),
  })),
);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function readBom(dir: string): Record<string, string>[] {
  return parseCsv(readFileSync(join(dir, 'bom.csv')), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('sample design folders', () => {
  it('samples.json lists every design folder on disk, and every listed version exists', () => {
    const onDisk = readdirSync(designsRoot, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
      .map((e) => e.name)
      .concat(readdirSync(join(designsRoot, '_forks')).map((n) => `_forks/${n}`));
    expect(published.map((d) => d.folder).sort()).toEqual(onDisk.sort());
    for (const d of published) {
      expect(readdirSync(join(designsRoot, d.folder)).sort(), d.folder).toEqual([...d.versions].sort());
    }
    expect(samples.designs.length).toBeGreaterThanOrEqual(8);
  });

  it.each(versionDirs)('$ref: manifest has the required fields and its folder version', ({ dir, version }) => {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(semver.valid(m.version)).toBe(m.version);
    expect(m.version).toBe(version);
    expect(typeof m.title === 'string' && m.title.length > 0).toBe(true);
    for (const field of ['summary', 'function', 'changelog'])
      expect(typeof m[field] === 'string' && m[field].length > 20, field).toBe(true);
    expect(CATEGORIES).toContain(m.category);
    expect(Array.isArray(m.tags) && m.tags.length > 0).toBe(true);
    expect(() => parseSpdx(m.licenses.hardware)).not.toThrow();
    expect(() => parseSpdx(m.licenses.documentation)).not.toThrow();
    expect(m.readiness.technology).toMatch(/^OTRL-[1-9]$/);
    expect(m.readiness.documentation).toMatch(/^ODRL-[1-9]$/);
    expect(Array.isArray(m.safety)).toBe(true);
    for (const s of m.safety) expect(typeof s).toBe('string');
    expect(typeof m.safetyCritical).toBe('boolean');
    if (m.safetyCritical) expect(m.safety.length).toBeGreaterThan(0);
    expect(m.readme).toBe('README.md');
    const readme = readFileSync(join(dir, m.readme), 'utf8');
    expect(readme.length).toBeGreaterThan(2000);
    expect(readme).toMatch(/^## Assembly$/m);
    expect(readme).toMatch(/^1\. /m);
  });

  it('a design keeps one category across its versions', () => {
    for (const d of published) {
      const categories = new Set(
        d.versions.map(
          (v) => JSON.parse(readFileSync(join(designsRoot, d.folder, v, 'manifest.json'), 'utf8')).category,
        ),
      );
      expect(categories.size, d.folder).toBe(1);
    }
  });

  it.each(versionDirs)(
    '$ref: BOM parses, has 20–150 lines, dotted levels with parents, known processes and existing files',
    ({ dir }) => {
      const header = parseCsv(readFileSync(join(dir, 'bom.csv')), { to_line: 1 })[0] as string[];
      // machines with steel cut to length carry the length of each piece after the unit
      expect(header.filter((column) => column !== CUT_LENGTH_COLUMN)).toEqual(BOM_COLUMNS);
      const rows = readBom(dir);
      expect(rows.length).toBeGreaterThanOrEqual(20);
      expect(rows.length).toBeLessThanOrEqual(150);
      const levels = new Set<string>();
      for (const [i, r] of rows.entries()) {
        const where = `bom.csv line ${i + 2}`;
        expect(r.Level, where).toMatch(/^\d+(\.\d+)*$/);
        expect(levels.has(r.Level), `${where}: duplicate level ${r.Level}`).toBe(false);
        const parent = r.Level.split('.').slice(0, -1).join('.');
        if (parent) expect(levels.has(parent), `${where}: parent ${parent} comes first`).toBe(true);
        levels.add(r.Level);
        expect(Number(r.Qty), where).toBeGreaterThan(0);
        if (r['Unit Price']) {
          expect(r['Unit Price'], where).toMatch(/^\d+\.\d{2}$/);
          expect(['USD', 'EUR'], where).toContain(r.Currency);
        }
        if (r.Process) expect(PROCESSES, where).toContain(r.Process);
        if (r.File) expect(existsSync(join(dir, r.File)), `${where}: ${r.File}`).toBe(true);
      }
      // steel stock by length and fasteners by count
      expect(rows.some((r) => r.Unit === 'm')).toBe(true);
      expect(rows.some((r) => r.Unit === 'pcs' && Number(r.Qty) >= 8)).toBe(true);
    },
  );

  it.each(versionDirs.filter((v) => v.folder.endsWith('brick-press') || v.folder.endsWith('brick-press-metric')))(
    '$ref: every stock line has a cut length, so the cut list needs no guess',
    ({ dir }) => {
      const list = cutList(parseBom(readFileSync(join(dir, 'bom.csv')), 'bom.csv').lines, { units: 10 });
      expect(list.lengthUnknown).toEqual([]);
      expect(list.warnings).toEqual([]);
      expect(list.groups.length).toBeGreaterThanOrEqual(3);
    },
  );

  it.each(versionDirs)('$ref: 2–5 mesh files under 2 MB and a DXF cut drawing', ({ dir }) => {
    const cad = readdirSync(join(dir, 'cad'));
    expect(cad.length).toBeGreaterThanOrEqual(2);
    expect(cad.length).toBeLessThanOrEqual(5);
    for (const f of cad) {
      expect(
        MESH_EXTENSIONS.some((e) => f.endsWith(e)),
        f,
      ).toBe(true);
      expect(statSync(join(dir, 'cad', f)).size).toBeLessThan(2 * 1024 * 1024);
    }
    expect(readdirSync(join(dir, 'drawings')).filter((f) => f.endsWith('.dxf')).length).toBeGreaterThanOrEqual(1);
  });

  it('every STL is a valid binary STL with more than 100 triangles', () => {
    const stls = filesUnder(designsRoot).filter((f) => f.endsWith('.stl'));
    expect(stls.length).toBeGreaterThanOrEqual(versionDirs.length - 1);
    for (const f of stls) {
      const b = readFileSync(f);
      const n = b.readUInt32LE(80);
      expect(84 + 50 * n, relative(designsRoot, f)).toBe(b.length);
      expect(n).toBeGreaterThan(100);
    }
  });

  it('every DXF parses, with a closed outline, holes or arcs, and a text label', () => {
    // dxf-parser ships CommonJS whose typings declare an ES default export; unwrap whichever we get
    const mod = dxfParserModule as unknown as { default?: typeof dxfParserModule };
    const Parser = (mod.default ?? dxfParserModule) as unknown as new () => {
      parseSync(text: string): { header?: Record<string, unknown>; entities?: { type: string }[] } | null;
    };
    const parser = new Parser();
    for (const f of filesUnder(designsRoot).filter((x) => x.endsWith('.dxf'))) {
      const dxf = parser.parseSync(readFileSync(f, 'utf8'));
      const types = new Set((dxf?.entities ?? []).map((e) => e.type));
      expect(dxf?.header?.$INSUNITS, f).toBe(4);
      for (const t of ['LWPOLYLINE', 'CIRCLE', 'TEXT', 'ARC'])
        expect(types.has(t), `${relative(designsRoot, f)} has ${t}`).toBe(true);
    }
  });

  it('the whole designs folder stays under 25 MB', () => {
    const total = filesUnder(designsRoot).reduce((s, f) => s + statSync(f).size, 0);
    expect(total).toBeLessThan(25 * 1024 * 1024);
  });

  it('brick-press 1.1.0 really changes the BOM and the chamber, not the frame', () => {
    const dir = (v: string) => join(designsRoot, 'brick-press', v);
    expect(readFileSync(join(dir('1.0.0'), 'bom.csv'))).not.toEqual(readFileSync(join(dir('1.1.0'), 'bom.csv')));
    const file = (v: string, f: string) => sha256(readFileSync(join(dir(v), f)));
    expect(file('1.0.0', 'cad/compression-chamber.3mf')).not.toBe(file('1.1.0', 'cad/compression-chamber.3mf'));
    expect(file('1.0.0', 'cad/frame.stl')).toBe(file('1.1.0', 'cad/frame.stl'));
    const stroke = (v: string) => readBom(dir(v)).find((r) => r.Level === '4.1')?.Description;
    expect(stroke('1.0.0')).toContain('8in stroke');
    expect(stroke('1.1.0')).toContain('10in stroke');
  });

  it('the metric fork declares its origin and uses metric steel priced in EUR', () => {
    const fork = samples.forks[0];
    const m = JSON.parse(readFileSync(join(designsRoot, fork.folder, '1.1.0', 'manifest.json'), 'utf8'));
    expect(m['fork-of']).toBe(fork.forkOf);
    expect(fork.forkOf).toBe('ose/brick-press@1.1.0');
    const rows = readBom(join(designsRoot, fork.folder, '1.1.0'));
    expect(rows.find((r) => r.Level === '1.1')?.Material).toBe('S235JR RHS 50x50x3');
    expect(new Set(rows.filter((r) => r.Currency).map((r) => r.Currency))).toEqual(new Set(['EUR']));
  });
});

describe('samples.json', () => {
  const handles = new Set(samples.accounts.map((a) => a.handle));
  const refs = new Set(versionDirs.map((v) => v.ref));

  it('accounts are handles without passwords', () => {
    expect(handles.size).toBe(samples.accounts.length);
    for (const a of samples.accounts) {
      expect(a.handle).toMatch(/^[a-z0-9][a-z0-9-]{1,38}$/);
      expect(Object.keys(a).some((k) => /pass|secret|token/i.test(k))).toBe(false);
    }
    for (const d of published) expect(handles.has(d.owner), d.owner).toBe(true);
    expect(new Set(samples.designs.map((d) => d.owner))).toEqual(new Set(['ose']));
    expect(samples.forks.map((f) => f.owner)).toEqual(['taller-gijon']);
    expect(refs.has(samples.forks[0].forkOf)).toBe(true);
  });

  it('workshops span ES, KE, US, IN, BR and DE with processes from the vocabulary', () => {
    expect(samples.workshops.length).toBeGreaterThanOrEqual(5);
    expect(new Set(samples.workshops.map((w) => w.place.country))).toEqual(
      new Set(['ES', 'KE', 'US', 'IN', 'BR', 'DE']),
    );
    for (const w of samples.workshops) {
      expect(handles.has(w.owner)).toBe(true);
      for (const m of w.members) expect(handles.has(m), m).toBe(true);
      expect(Math.abs(w.place.lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(w.place.lon)).toBeLessThanOrEqual(180);
      for (const p of w.processes) expect(PROCESSES, `${w.slug}: ${p}`).toContain(p);
    }
  });

  it('build reports point at real versions, workshops, BOM positions and photos; reviewers lead the design', () => {
    const workshops = new Map(samples.workshops.map((w) => [w.slug, w]));
    const decisions = new Set<string>();
    for (const b of samples.builds) {
      expect(refs.has(b.design), `${b.key}: ${b.design}`).toBe(true);
      const w = workshops.get(b.report.workshop);
      expect(w, b.key).toBeDefined();
      expect([w!.owner, ...w!.members], b.key).toContain(b.author);
      expect(['success', 'partial', 'failed']).toContain(b.report.outcome);
      if (b.report.cost) expect(b.report.cost.amount).toMatch(/^\d+\.\d{2}$/);
      const v = versionDirs.find((x) => x.ref === b.design)!;
      const positions = new Set(readBom(v.dir).map((r) => r.Level));
      for (const line of b.report.lines ?? []) {
        expect(positions.has(line.position), `${b.key}: position ${line.position}`).toBe(true);
        expect(Boolean(line.part || line.material) && line.reason.length > 0).toBe(true);
      }
      for (const p of b.photos) expect(existsSync(join(designsRoot, p)), p).toBe(true);
      if (b.review) {
        expect(b.review.reviewer).toBe(b.design.split('/')[0]);
        expect(b.review.reviewer).not.toBe(b.author);
        decisions.add(b.review.decision);
      }
    }
    expect(decisions).toEqual(new Set(['approve', 'request-changes', 'reject']));
    expect(samples.builds.some((b) => !b.review)).toBe(true);
  });

  it('photos are 800×600 JPEGs and one carries a GPS position to be stripped', async () => {
    const photos = readdirSync(join(designsRoot, '_photos'));
    let withGps = 0;
    for (const p of photos) {
      const bytes = readFileSync(join(designsRoot, '_photos', p));
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height], p).toEqual(['jpeg', 800, 600]);
      expect(bytes.length).toBeLessThan(200_000);
      // GPS IFD pointer tag 0x8825 in the little-endian EXIF block
      if (meta.exif && meta.exif.includes(Buffer.from([0x25, 0x88]))) withGps++;
    }
    expect(withGps).toBe(1);
  });
});

describe('regeneration', () => {
  let first: GeneratedFile[];
  let second: GeneratedFile[];
  const dirs: string[] = [];

  beforeAll(async () => {
    dirs.push(mkdtempSync(join(tmpdir(), 'andecha-designs-a-')), mkdtempSync(join(tmpdir(), 'andecha-designs-b-')));
    first = await generateAll(dirs[0]);
    second = await generateAll(dirs[1]);
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('two runs write the same bytes', () => {
    expect(second).toEqual(first);
  });

  it('the committed CAD files, drawings and photos are what the generator writes', () => {
    const stale = first.filter((f) => {
      const committed = join(designsRoot, f.path);
      return !existsSync(committed) || sha256(readFileSync(committed)) !== f.sha256;
    });
    expect(
      stale.map((f) => f.path),
      'run `npx tsx designs/_generate/index.ts` and commit',
    ).toEqual([]);
  });

  it('every committed mesh and drawing comes from the generator', () => {
    const generated = new Set(first.map((f) => f.path));
    const committed = filesUnder(designsRoot)
      .map((f) => relative(designsRoot, f))
      .filter((f) => /\.(stl|obj|3mf|glb|dxf|jpg)$/.test(f));
    expect(committed.filter((f) => !generated.has(f))).toEqual([]);
  });
});
