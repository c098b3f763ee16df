// What the field says about a version: counts of every report, and from approved reports only outcomes, median
// hours and cost (exact decimals), substitutions per BOM line, by country, and the regional substitution sets.
import { and, eq } from 'drizzle-orm';
import DecimalModule from 'decimal.js';
import type { Decimal as DecimalClass } from 'decimal.js';
import type { Executor } from '../db/client.js';
import { loadBom } from '../bom/store.js';
import { bomView } from '../bom/kernel/view.js';
import type { BomLine } from '../bom/kernel/model.js';
import { buildReports, workshops } from './tables.js';

const Decimal = (DecimalModule as unknown as typeof DecimalClass).clone({ precision: 60, toExpNeg: -60, toExpPos: 60 });
type Dec = DecimalClass;

interface FieldReport {
  state: string;
  outcome: string;
  hours: string | null;
  unitsBuilt: number | null;
  costAmount: string | null;
  costCurrency: string | null;
  country: string;
  lines: Record<string, unknown>[];
  workshop: { slug: string; name: string; remoteInstance: string | null };
}

interface LineInfo {
  name: string;
  partNumber?: string;
}

/** The exact median: the middle value, or the mean of the two middle ones. Null for no values. */
export function median(values: readonly Dec[]): Dec | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : sorted[mid - 1].plus(sorted[mid]).div(2);
}

function outcomes(rs: readonly FieldReport[]) {
  const by = { success: 0, partial: 0, failed: 0 };
  for (const r of rs) by[r.outcome as keyof typeof by]++;
  return by;
}

function hoursOf(rs: readonly FieldReport[]) {
  const m = median(rs.filter((r) => r.hours !== null).map((r) => new Decimal(r.hours!)));
  return { median: m === null ? null : m.toNumber(), reports: rs.filter((r) => r.hours !== null).length };
}

/**
 * Median total cost per currency (never converted: rates would make the field data move on their own), and the
 * median per unit built, rounded to the cent as money is.
 */
function costsOf(rs: readonly FieldReport[]) {
  const byCurrency = new Map<string, FieldReport[]>();
  for (const r of rs)
    if (r.costAmount !== null && r.costCurrency)
      byCurrency.set(r.costCurrency, [...(byCurrency.get(r.costCurrency) ?? []), r]);
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, list]) => ({
      currency,
      median: median(list.map((r) => new Decimal(r.costAmount!)))!.toFixed(),
      medianPerUnit: median(list.map((r) => new Decimal(r.costAmount!).div(r.unitsBuilt ?? 1)))!
        .toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN)
        .toFixed(2),
      reports: list.length,
    }));
}

interface SubstitutionGroup {
  position: string;
  substitute: Record<string, unknown> & { name: string };
  count: number;
  countries: Map<string, number>;
}

/** (line, substitute) pairs across reports, the same substitute spelt with other case or spaces counted once. */
function substitutionGroups(rs: readonly FieldReport[]): SubstitutionGroup[] {
  const groups = new Map<string, SubstitutionGroup>();
  for (const r of rs) {
    const seen = new Set<string>();
    for (const l of r.lines) {
      const sub = l.substitute as (Record<string, unknown> & { name: string }) | undefined;
      if (l.status !== 'substituted' || !sub?.name) continue;
      const key = `${String(l.position)}\u0000${sub.name.trim().replace(/\s+/g, ' ').toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const g = groups.get(key) ?? { position: String(l.position), substitute: sub, count: 0, countries: new Map() };
      g.count++;
      g.countries.set(r.country, (g.countries.get(r.country) ?? 0) + 1);
      groups.set(key, g);
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.count - a.count ||
      comparePositions(a.position, b.position) ||
      a.substitute.name.localeCompare(b.substitute.name),
  );
}

/** "1.10" after "1.9": positions compare part by part as numbers where they are numbers. */
function comparePositions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const d = Number(pa[i]) - Number(pb[i]);
    if (Number.isFinite(d) && d !== 0) return d;
    if (!Number.isFinite(d) && pa[i] !== pb[i]) return pa[i].localeCompare(pb[i]);
  }
  return 0;
}

async function bomLineInfo(db: Executor, versionId: string) {
  const bom = await loadBom(db, versionId);
  const info = new Map<string, LineInfo>();
  const walk = (lines: readonly BomLine[]) => {
    for (const l of lines) {
      info.set(l.position, { name: l.name, ...(l.partNumber ? { partNumber: l.partNumber } : {}) });
      if (l.children) walk(l.children);
    }
  };
  walk(bom?.lines ?? []);
  return { info, estimate: bom ? bomView(bom.lines).totals.byCurrency : null };
}

function describeGroup(g: SubstitutionGroup, of: number, info: Map<string, LineInfo>) {
  const line = info.get(g.position);
  return {
    position: g.position,
    ...(line?.partNumber ? { partNumber: line.partNumber } : {}),
    name: line?.name ?? null,
    substitute: g.substitute,
    count: g.count,
    of,
    countries: Object.fromEntries([...g.countries.entries()].sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** For each BOM line, the substitute most builds in the country used: the set a workshop there can apply. */
function regionalSet(rs: readonly FieldReport[], country: string, info: Map<string, LineInfo>) {
  const local = rs.filter((r) => r.country === country);
  const best = new Map<string, SubstitutionGroup>();
  for (const g of substitutionGroups(local)) if (!best.has(g.position)) best.set(g.position, g);
  const substitutions = [...best.values()]
    .sort((a, b) => comparePositions(a.position, b.position))
    .map((g) => {
      const line = info.get(g.position);
      const label = line ? `line ${g.position} "${line.name}"` : `line ${g.position}`;
      return {
        position: g.position,
        ...(line?.partNumber ? { partNumber: line.partNumber } : {}),
        name: line?.name ?? null,
        substitute: g.substitute,
        count: g.count,
        of: local.length,
        sentence: `in ${g.count} of ${local.length} builds in ${country}, ${label} became "${g.substitute.name}"`,
      };
    });
  return { country, builds: local.length, substitutions };
}

async function reportsOf(db: Executor, versionId: string): Promise<FieldReport[]> {
  return db
    .select({
      state: buildReports.state,
      outcome: buildReports.outcome,
      hours: buildReports.hours,
      unitsBuilt: buildReports.unitsBuilt,
      costAmount: buildReports.costAmount,
      costCurrency: buildReports.costCurrency,
      country: buildReports.country,
      lines: buildReports.lines,
      workshop: { slug: workshops.slug, name: workshops.name, remoteInstance: workshops.remoteInstance },
    })
    .from(buildReports)
    .innerJoin(workshops, eq(workshops.id, buildReports.workshopId))
    .where(and(eq(buildReports.versionId, versionId), eq(buildReports.hidden, false)));
}

/**
 * The workshops whose approved builds these figures come from, most builds first: one of another instance is named as
 * it is there and marked with its instance.
 */
function workshopsOf(rs: readonly FieldReport[]) {
  const by = new Map<string, { slug: string; name: string; instance?: string; country: string; approved: number }>();
  for (const r of rs) {
    const w = r.workshop;
    const known = by.get(w.slug);
    if (known) known.approved++;
    else
      by.set(w.slug, {
        slug: w.remoteInstance ? w.slug.slice(0, -(w.remoteInstance.length + 1)) : w.slug,
        name: w.name,
        ...(w.remoteInstance ? { instance: w.remoteInstance } : {}),
        country: r.country,
        approved: 1,
      });
  }
  return [...by.values()].sort((a, b) => b.approved - a.approved || a.name.localeCompare(b.name));
}

/**
 * The regional substitution set of a version in one country (ISO 3166 alpha-2), from approved reports: for each BOM
 * line the substitute most builds there used, with how many of the country's builds did. For `bom?region=`.
 */
export async function regionalSubstitutions(db: Executor, versionId: string, country: string) {
  const approved = (await reportsOf(db, versionId)).filter((r) => r.state === 'approved');
  return regionalSet(approved, country.toUpperCase(), (await bomLineInfo(db, versionId)).info);
}

/** GET …/versions/{version}/field: `total` counts every report; everything else approved reports only (hidden ones never). */
export async function fieldData(db: Executor, versionId: string) {
  const all = await reportsOf(db, versionId);
  const approved = all.filter((r) => r.state === 'approved');
  const { info, estimate } = await bomLineInfo(db, versionId);
  const countries = [...new Set(approved.map((r) => r.country))].sort();
  return {
    builds: { total: all.length, approved: approved.length, byOutcome: outcomes(approved) },
    hours: hoursOf(approved),
    cost: costsOf(approved),
    /** what the BOM says one unit costs, per currency: the figure the field cost stands beside */
    bomEstimate: estimate,
    substitutions: substitutionGroups(approved).map((g) => describeGroup(g, approved.length, info)),
    workshops: workshopsOf(approved),
    byCountry: countries.map((country) => {
      const local = approved.filter((r) => r.country === country);
      return {
        country,
        total: all.filter((r) => r.country === country).length,
        approved: local.length,
        byOutcome: outcomes(local),
        hours: hoursOf(local),
        cost: costsOf(local),
        substitutions: regionalSet(approved, country, info).substitutions,
      };
    }),
  };
}
