// "Can build here": the processes a version's BOM needs against what workshops offer — per workshop, per version,
// and the production network near a point.
import type { Db, Executor } from '../db/client.js';
import type { BomLine } from '../bom/model.js';
import { loadBom } from '../bom/store.js';
import { PROCESSES } from '../bom/processes.js';
import { findDesign, listDesigns, type DesignRow } from '../registry/designs.js';
import { resolveVersion, type VersionRow } from '../registry/versions.js';
import { placedWorkshops, type WorkshopRow } from './workshops.js';
import { planNetwork, type NetworkPlan } from './network.js';
import type { Point } from './geo.js';

/** Process → positions of the BOM lines that need it, in vocabulary order; lines marked do-not-fit are not built. */
export async function bomProcessesOf(db: Executor, versionId: string): Promise<Map<string, string[]>> {
  const bom = await loadBom(db, versionId);
  const found = new Map<string, string[]>();
  const walk = (lines: readonly BomLine[]) => {
    for (const l of lines) {
      if (l.process && !l.dnf) found.set(l.process, [...(found.get(l.process) ?? []), l.position]);
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
  const missing = [...needs.entries()].filter(([p]) => !offered.includes(p)).map(([process, lines]) => ({ process, lines: [...lines] }));
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

/** Designs whose latest version needs only processes this workshop has (those with a known need only). */
export async function buildableDesigns(db: Db, w: WorkshopRow) {
  const items = [];
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await listDesigns(db, { limit: 100, sort: 'title', ...(cursor ? { cursor } : {}) });
    for (const d of page.items) {
      if (!d.latestVersion) continue;
      const v = await resolveVersion(db, await findDesign(db, d.owner, d.slug), d.latestVersion);
      const c = compareProcesses(await bomProcessesOf(db, v.id), w.processes);
      if (c.needs.length > 0 && c.buildable) {
        items.push({ owner: d.owner, slug: d.slug, title: d.title, summary: d.summary, category: d.category, version: v.version, needs: c.needs, missing: [] });
      }
    }
    scanned += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && scanned < maxDesignsScanned);
  return { items, nextCursor: null };
}

export async function versionNetwork(db: Executor, design: DesignRow, version: VersionRow, center: Point, radiusKm: number): Promise<{ design: object; center: Point; radiusKm: number } & NetworkPlan> {
  const needs = await bomProcessesOf(db, version.id);
  const plan = planNetwork(needs, await placedWorkshops(db), center, radiusKm);
  return { design: { owner: design.ownerHandle, slug: design.slug, version: version.version }, center, radiusKm, ...plan };
}
