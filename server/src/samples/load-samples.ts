// Loads the sample machines of designs/ through the same publish code path as an upload: accounts with
// random passwords (printed once), designs, every version folder, in version order, at low pipeline priority.
import { existsSync, readdirSync, readFileSync, statSync, createReadStream } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../hooks.js';
import { registerUser, getUserByHandle, type Caller } from '../accounts/accounts.js';
import { newPassword } from '../accounts/secrets.js';
import { createDesign, findDesign, setForkOrigin } from '../registry/designs.js';
import { resolveVersion } from '../registry/versions.js';
import { loadSampleField, type SampleBuild, type SampleWorkshop } from './load-field.js';
import { commitVersion, type PublishedFile } from '../registry/publish.js';
import { validateManifest } from '../registry/manifest.js';
import { checkFilePath } from '../registry/paths.js';
import { priority } from '../pipeline/job-kinds.js';
import { rowsOf } from '../db/rows.js';

export interface SampleDesignFolder {
  owner: string;
  slug: string;
  versions: { version: string; dir: string }[];
}

export interface SampleReport {
  accounts: { handle: string; password: string }[];
  published: string[];
  skipped: string[];
  workshops: number;
  builds: number;
}

const defaultOwner = 'ose';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Sample design folders: designs/<slug>/<version>/ (owner ose) and designs/_forks/<slug>/<version>/. */
export function findSampleDesigns(designsDir: string): SampleDesignFolder[] {
  const meta = readSamplesJson(designsDir);
  const folders: SampleDesignFolder[] = [];
  const scan = (base: string, ownerOf: (slug: string) => string) => {
    if (!existsSync(base)) return;
    for (const slug of readdirSync(base).sort()) {
      if (slug.startsWith('_') || slug.startsWith('.') || !statSync(join(base, slug)).isDirectory()) continue;
      const versions = readdirSync(join(base, slug))
        .filter((v) => semver.valid(v) && existsSync(join(base, slug, v, 'manifest.json')))
        .sort(semver.compare)
        .map((version) => ({ version, dir: join(base, slug, version) }));
      if (versions.length) folders.push({ owner: ownerOf(slug), slug, versions });
    }
  };
  scan(designsDir, (slug) => meta.owners?.[slug] ?? defaultOwner);
  scan(join(designsDir, '_forks'), (slug) => meta.owners?.[slug] ?? meta.forkOwner ?? 'taller-gijon');
  return folders;
}

interface SamplesJson {
  owners?: Record<string, string>;
  forkOwner?: string;
  accounts?: { handle: string }[];
  forks?: { owner: string; slug: string; forkOf: string }[];
  workshops?: SampleWorkshop[];
  builds?: SampleBuild[];
  [k: string]: unknown;
}

export function readSamplesJson(designsDir: string): SamplesJson {
  const p = join(designsDir, 'samples.json');
  if (!existsSync(p)) return {};
  const raw = JSON.parse(readFileSync(p, 'utf8'));
  // owners come from designs:[{owner, slug}] and forks:[{owner, slug, forkOf}]
  const owners: Record<string, string> = {};
  for (const d of [...(raw.designs ?? []), ...(raw.forks ?? [])]) owners[d.slug] = d.owner;
  return { ...raw, owners };
}

async function ensureAccount(deps: AppDeps, handle: string, report: SampleReport): Promise<Caller> {
  const existing = await getUserByHandle(deps.db.db, handle);
  if (existing) return { id: existing.id, handle, isAdmin: existing.isAdmin, scope: 'write' };
  const password = newPassword();
  await registerUser(deps.db.db, { handle, email: `${handle}@samples.andecha.invalid`, password }, { sample: true });
  report.accounts.push({ handle, password });
  const u = (await getUserByHandle(deps.db.db, handle))!;
  return { id: u.id, handle, isAdmin: false, scope: 'write' };
}

async function publishFolder(deps: AppDeps, caller: Caller, slug: string, dir: string) {
  const manifest = validateManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  let design;
  try {
    design = await findDesign(deps.db.db, caller.handle, slug);
  } catch {
    design = await createDesign(deps.db.db, caller, {
      slug,
      title: String(manifest.title ?? slug),
      summary: String(manifest.summary ?? ''),
      category: typeof manifest.category === 'string' ? manifest.category : undefined,
      tags: Array.isArray(manifest.tags) ? (manifest.tags as string[]) : [],
      licenses: (manifest.licenses as Record<string, string>) ?? {},
    });
  }
  const files: PublishedFile[] = [];
  let bom: PublishedFile | undefined;
  for (const abs of listFiles(dir)) {
    const path = checkFilePath(relative(dir, abs).split('\\').join('/'));
    if (path === 'manifest.json') continue;
    const blob = await deps.blobs.put(createReadStream(abs));
    if (path === 'bom.csv' || path === 'bom.json') bom = { path, ...blob };
    else files.push({ path, ...blob });
  }
  await commitVersion(
    {
      db: deps.db.db,
      blobs: deps.blobs,
      config: deps.config,
      onPublished: deps.hooks.onPublished,
      afterPublished: deps.hooks.afterPublished,
    },
    design,
    caller,
    { manifest, bom, files },
    priority.samples,
  );
}

/** Publishes every sample version not yet present. */
export async function loadSamples(deps: AppDeps, designsDir: string): Promise<SampleReport> {
  const report: SampleReport = { accounts: [], published: [], skipped: [], workshops: 0, builds: 0 };
  const meta = readSamplesJson(designsDir);
  for (const folder of findSampleDesigns(designsDir)) {
    const caller = await ensureAccount(deps, folder.owner, report);
    for (const v of folder.versions) {
      const exists = await deps.db.db.execute(sql`select 1 from design_versions dv join designs d on d.id = dv.design_id
        where d.owner_handle = ${folder.owner} and d.slug = ${folder.slug} and dv.version = ${v.version}`);
      const rows = rowsOf(exists);
      const name = `${folder.owner}/${folder.slug}@${v.version}`;
      if (rows.length) {
        report.skipped.push(name);
        continue;
      }
      await publishFolder(deps, caller, folder.slug, v.dir);
      report.published.push(name);
    }
    // a sample fork keeps its provenance: its own first version, forked from the upstream version it names
    const fork = meta.forks?.find((f) => f.owner === folder.owner && f.slug === folder.slug);
    if (fork) {
      const [ref, version] = fork.forkOf.split('@');
      const [upOwner, upSlug] = ref.split('/');
      const upstream = await findDesign(deps.db.db, upOwner, upSlug);
      const up = await resolveVersion(deps.db.db, upstream, version);
      await setForkOrigin(deps.db.db, (await findDesign(deps.db.db, folder.owner, folder.slug)).id, up.id);
    }
  }
  const field = await loadSampleField(deps, designsDir, meta, (handle) => ensureAccount(deps, handle, report));
  report.workshops = field.workshops;
  report.builds = field.builds;
  return report;
}

/** True when no design exists yet: the first start of an instance. */
export async function isEmptyInstance(deps: AppDeps): Promise<boolean> {
  const r = await deps.db.db.execute(sql`select count(*)::int as n from designs`);
  return rowsOf<{ n: number }>(r)[0].n === 0;
}

export const samplesDir = new URL('../../../designs', import.meta.url).pathname;

export function printSampleAccounts(report: SampleReport, log: (s: string) => void = console.log): void {
  if (!report.accounts.length) return;
  log('  sample accounts (passwords shown once, random for this instance):');
  for (const a of report.accounts) log(`    ${a.handle}  ${a.password}`);
}
