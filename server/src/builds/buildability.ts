// "Can build here": the processes a version's BOM needs against what workshops offer — per workshop, per version,
// and the production network near a point.
import type { Database, Executor } from '../db/client.js';
import type { BomLine } from '../bom/kernel/model.js';
import { loadBom } from '../bom/store.js';
import { PROCESSES } from '../bom/kernel/processes.js';
import { findDesign, listDesigns, type DesignRow } from '../registry/designs.js';
import { resolveVersion, type VersionRow } from '../registry/versions.js';
import { placedWorkshops, type WorkshopRow } from './workshops.js';
import { listReports } from './reports.js';
import { planNetwork, type NetworkPlan } from './network.js';
import type { Point } from './geo.js';

/** Process → positions of the BOM lines that need it, in vocabulary order; lines marked do-not-fit are not built. */
export async function bomProcessesOf(db: Executor, versionId: string): Promise<Map<string, string[]>> {
  const bom = await loadBom(db, versionId);
  const found = new Map<string, string[]>();
  const walk = (lines: readonly BomLine[]) => {
    for (const l of lines) {
      if (l.process && l.fitted !== false) found.set(l.process, [...(found.get(l.process) ?? []), l.position]);
      if (l.children) walk(l.children);
    }
  };
  walk(bom?.lines ?? []);
  const order = (p: string) => {
    const i = (PROCESSES as readonly string[]).indexOf(p);
    return i < 0 ? PROCESSES.length : i;
  };
  return new Map([...found.entries()].sort((a, b) => order(a[0]) - order(b[0])));
}

export function compareProcesses(needs: ReadonlyMap<string, readonly string[]>, offered: readonly string[]) {
  const has = [...needs.keys()].filter((p) => offered.includes(p));
  const missing = [...needs.entries()]
    .filter(([p]) => !offered.includes(p))
    .map(([process, lines]) => ({ process, lines: [...lines] }));
  return { needs: [...needs.keys()], has, missing, buildable: missing.length === 0 };
}

export async function versionBuildability(db: Executor, design: DesignRow, version: VersionRow, w: WorkshopRow) {
  const needs = await bomProcessesOf(db, version.id);
  return {
    design: { owner: design.ownerHandle, slug: design.slug, version: version.version },
    workshop: { slug: w.slug, name: w.name },
    ...compareProcesses(needs, w.processes),
    // no BOM process column: nothing to compare, which is not the same as "everything is available"
    known: needs.size > 0,
  };
}

// How many designs the reverse look-up reads: each costs one BOM load.
const maxDesignsScanned = 1000;

/** What a workshop built of one design: the newest report saying the machine was made, whole or in part. */
export interface BuiltHere {
  version: string;
  outcome: string;
  report: string;
}

/**
 * The designs this workshop reported building (success or partial, in a report no reviewer rejected), newest report
 * per design: proof the workshop can build them, whatever their BOM's process column says or lacks.
 */
async function designsBuiltBy(db: Executor, w: WorkshopRow): Promise<Map<string, BuiltHere>> {
  const built = new Map<string, BuiltHere>();
  for (const r of (await listReports(db, { workshopId: w.id })).items) {
    if (r.state === 'rejected' || (r.outcome !== 'success' && r.outcome !== 'partial')) continue;
    const key = `${r.owner}/${r.slug}`;
    if (!built.has(key)) built.set(key, { version: r.version, outcome: r.outcome, report: r.id });
  }
  return built;
}

/**
 * Designs this workshop can build: those it built (`built`), then those whose latest version needs only processes
 * it has (designs with a known need only).
 */
export async function buildableDesigns(database: Database, w: WorkshopRow) {
  const db = database.db;
  const built = await designsBuiltBy(db, w);
  const items = [];
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await listDesigns(database, { limit: 100, sort: 'title', ...(cursor ? { cursor } : {}) });
    for (const d of page.items) {
      if (!d.latestVersion) continue;
      const v = await resolveVersion(db, await findDesign(db, d.owner, d.slug), d.latestVersion);
      const c = compareProcesses(await bomProcessesOf(db, v.id), w.processes);
      const here = built.get(`${d.owner}/${d.slug}`);
      if (here || (c.needs.length > 0 && c.buildable)) {
        items.push({
          owner: d.owner,
          slug: d.slug,
          title: d.title,
          summary: d.summary,
          category: d.category,
          version: v.version,
          needs: c.needs,
          missing: c.missing.map((m) => m.process),
          ...(here ? { built: here } : {}),
        });
      }
    }
    scanned += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && scanned < maxDesignsScanned);
  // stable: title order kept within each group
  items.sort((a, b) => Number(Boolean(b.built)) - Number(Boolean(a.built)));
  return { items, nextCursor: null };
}

export async function versionNetwork(
  db: Executor,
  design: DesignRow,
  version: VersionRow,
  center: Point,
  radiusKm: number,
): Promise<{ design: object; center: Point; radiusKm: number } & NetworkPlan> {
  const needs = await bomProcessesOf(db, version.id);
  // workshops of other instances that reported builds here take part, named as at home and marked with it
  const workshops = (await placedWorkshops(db)).map((w) =>
    w.remoteInstance ? { ...w, slug: w.slug.slice(0, -(w.remoteInstance.length + 1)), instance: w.remoteInstance } : w,
  );
  const plan = planNetwork(needs, workshops, center, radiusKm);
  return {
    design: { owner: design.ownerHandle, slug: design.slug, version: version.version },
    center,
    radiusKm,
    ...plan,
  };
}
