// A design's family: its ancestors up to the root and the tree of every fork below the root, bounded in
// depth and size. A fork points at an upstream version that existed before it, so the links cannot form a cycle.
import { asc, countDistinct, eq, inArray, sql } from 'drizzle-orm';
import semver from 'semver';
import type { Executor } from '../db/client.js';
import type { Caller } from '../accounts/accounts.js';
import { designs, designVersions } from './tables.js';
import type { DesignRow } from './tables.js';
import { approvedBuildCounts, type BuildActivitySource } from './build-activity.js';
import { originOf } from './mirrors.js';
import { designFollowers } from '../federation/tables.js';

/** Fork chains deeper than this are cut (and reported as truncated). */
export const maxLineageDepth = 32;
/** At most this many designs in one family tree. */
export const maxLineageSize = 500;

/** Who follows a design across the network, and from which instances. */
export interface LineageFollowers {
  count: number;
  instances: string[];
}

/** At most this many instances are named per design. */
export const maxFollowerInstances = 1000;

export interface LineageVersion {
  version: string;
  state: string;
  publishedAt: string;
  approvedBuilds: number;
}

export interface LineageNode {
  owner: string;
  slug: string;
  title: string;
  /** the upstream version this design was forked from, `owner/slug@version` */
  forkedFrom: string | null;
  /** that version's number (what the web shows on the branch) */
  fromVersion: string | null;
  /** a design that lives on another instance (a mirror here): its web page at home */
  url?: string;
  /** …and its home instance's name */
  instance?: string;
  hidden?: true;
  versions: LineageVersion[];
  approvedBuilds: number;
  followers: LineageFollowers;
  children: LineageNode[];
}

export interface Parent {
  design: DesignRow;
  version: { id: string; version: string };
}

/** The design and version a design was forked from, whatever their visibility. */
export async function parentOf(
  db: Executor,
  design: Pick<DesignRow, 'forkedFromVersionId'>,
): Promise<Parent | undefined> {
  if (!design.forkedFromVersionId) return undefined;
  const [row] = await db
    .select({ design: designs, version: { id: designVersions.id, version: designVersions.version } })
    .from(designVersions)
    .innerJoin(designs, eq(designs.id, designVersions.designId))
    .where(eq(designVersions.id, design.forkedFromVersionId))
    .limit(1);
  return row;
}

/** Ancestors nearest first, up to the root or the depth bound. */
export async function ancestorsOf(db: Executor, design: DesignRow): Promise<{ chain: Parent[]; truncated: boolean }> {
  const chain: Parent[] = [];
  let at: DesignRow = design;
  for (let depth = 0; depth < maxLineageDepth; depth++) {
    const up = await parentOf(db, at);
    if (!up) return { chain, truncated: false };
    chain.push(up);
    at = up.design;
  }
  return { chain, truncated: !!at.forkedFromVersionId };
}

export async function rootOf(db: Executor, design: DesignRow): Promise<DesignRow> {
  const { chain } = await ancestorsOf(db, design);
  return chain.length ? chain[chain.length - 1].design : design;
}

/** Both designs have the same root: one may compare or propose to the other. */
export async function inSameFamily(db: Executor, a: DesignRow, b: DesignRow): Promise<boolean> {
  if (a.id === b.id) return true;
  return (await rootOf(db, a)).id === (await rootOf(db, b)).id;
}

/** Every design below `root` level by level, with the version each was forked from; bounded. */
export async function descendantsOf(
  db: Executor,
  root: DesignRow,
): Promise<{ rows: { design: DesignRow; parentId: string; fromVersion: string }[]; truncated: boolean }> {
  const rows: { design: DesignRow; parentId: string; fromVersion: string }[] = [];
  let level = [root.id];
  for (let depth = 0; depth < maxLineageDepth && level.length; depth++) {
    const found = await db
      .select({ design: designs, parentId: designVersions.designId, fromVersion: designVersions.version })
      .from(designs)
      .innerJoin(designVersions, eq(designVersions.id, designs.forkedFromVersionId))
      .where(inArray(designVersions.designId, level))
      .orderBy(asc(designs.createdAt), asc(designs.id))
      .limit(maxLineageSize + 1 - rows.length);
    rows.push(...found);
    if (rows.length > maxLineageSize) return { rows: rows.slice(0, maxLineageSize), truncated: true };
    level = found.map((r) => r.design.id);
  }
  return { rows, truncated: level.length > 0 };
}

const followerHost = designFollowers.instance;
const hostsAgg = sql<string[]>`array_agg(distinct ${followerHost} order by ${followerHost})`;

/**
 * A local design's followers are the remote actors in design_followers; a mirror's are what its home said when its
 * actor was last read (origin_followers).
 */
async function followersOfDesigns(db: Executor, all: DesignRow[]): Promise<Map<string, LineageFollowers>> {
  const local = all.filter((d) => !d.originActor).map((d) => d.id);
  const rows = local.length
    ? await db
        .select({
          designId: designFollowers.designId,
          count: countDistinct(designFollowers.actorUri),
          instances: hostsAgg,
        })
        .from(designFollowers)
        .where(inArray(designFollowers.designId, local))
        .groupBy(designFollowers.designId)
    : [];
  const byDesign = new Map<string, LineageFollowers>();
  for (const r of rows)
    byDesign.set(r.designId, { count: Number(r.count), instances: r.instances.slice(0, maxFollowerInstances) });
  for (const d of all) if (d.originActor && d.originFollowers) byDesign.set(d.id, d.originFollowers);
  return byDesign;
}

const noFollowers: LineageFollowers = { count: 0, instances: [] };

const visibleTo = (d: DesignRow, caller?: Caller) =>
  !d.hidden || (!!caller && (caller.isAdmin || caller.id === d.ownerId));

/** The lineage document: `{design, root, ancestors, truncated}`; `root` is the family tree with versions and build counts. */
export async function lineageOf(
  db: Executor,
  design: DesignRow,
  caller: Caller | undefined,
  builds: readonly BuildActivitySource[],
) {
  const up = await ancestorsOf(db, design);
  const root = up.chain.length ? up.chain[up.chain.length - 1].design : design;
  const down = await descendantsOf(db, root);
  const all = [root, ...down.rows.map((r) => r.design)];
  const versions = await db
    .select({
      id: designVersions.id,
      designId: designVersions.designId,
      version: designVersions.version,
      state: designVersions.state,
      publishedAt: designVersions.publishedAt,
    })
    .from(designVersions)
    .where(
      inArray(
        designVersions.designId,
        all.map((d) => d.id),
      ),
    );
  const counts = await approvedBuildCounts(
    db,
    builds,
    versions.map((v) => v.id),
  );
  const followers = await followersOfDesigns(db, all);
  const refOf = new Map<string, string>();
  for (const r of down.rows) {
    const parent = all.find((d) => d.id === r.parentId)!;
    refOf.set(r.design.id, `${parent.ownerHandle}/${parent.slug}@${r.fromVersion}`);
  }
  const rootParent = up.truncated ? await parentOf(db, root) : undefined;
  const nodes = new Map<string, LineageNode>();
  for (const d of all) {
    const own = versions
      .filter((v) => v.designId === d.id)
      .sort((a, b) => semver.compare(a.version, b.version))
      .map((v) => ({
        version: v.version,
        state: v.state,
        publishedAt: v.publishedAt.toISOString(),
        approvedBuilds: counts.get(v.id) ?? 0,
      }));
    const forkedFrom =
      refOf.get(d.id) ??
      (d.id === root.id && rootParent
        ? `${rootParent.design.ownerHandle}/${rootParent.design.slug}@${rootParent.version.version}`
        : null);
    const shown = visibleTo(d, caller);
    nodes.set(d.id, {
      owner: d.ownerHandle,
      slug: d.slug,
      title: shown ? d.title : '(hidden)',
      forkedFrom,
      fromVersion: forkedFrom ? forkedFrom.slice(forkedFrom.lastIndexOf('@') + 1) : null,
      ...originOf(d),
      ...(d.hidden ? { hidden: true as const } : {}),
      versions: shown ? own : [],
      approvedBuilds: own.reduce((n, v) => n + v.approvedBuilds, 0),
      followers: shown ? (followers.get(d.id) ?? noFollowers) : noFollowers,
      children: [],
    });
  }
  for (const r of down.rows) {
    // a hidden fork disappears with its branch for other people; hidden ancestors stay as placeholders so the chain holds
    if (!visibleTo(r.design, caller) && r.design.id !== design.id) continue;
    nodes.get(r.parentId)?.children.push(nodes.get(r.design.id)!);
  }
  const ancestors = up.chain.map((p) => {
    const node = nodes.get(p.design.id);
    if (!node)
      return {
        owner: p.design.ownerHandle,
        slug: p.design.slug,
        title: p.design.title,
        forkedFrom: null,
        fromVersion: null,
        ...originOf(p.design),
        versions: [],
        approvedBuilds: 0,
        followers: noFollowers,
      };
    const { children: _children, ...rest } = node;
    return rest;
  });
  return {
    design: `${design.ownerHandle}/${design.slug}`,
    root: nodes.get(root.id)!,
    ancestors,
    size: all.length,
    truncated: up.truncated || down.truncated,
  };
}
