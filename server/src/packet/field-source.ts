// Field data for the packet from the builds domain, when this instance has it: loaded lazily so a registry
// without server/src/builds/field.ts still prints packets (with "no approved builds yet").
import { createHash } from 'node:crypto';
import type { Executor } from '../db/client.js';

/** The part of the builds domain's field data the packet prints. */
export interface FieldNotes {
  builds: { total: number; approved: number; byOutcome: { success: number; partial: number; failed: number } };
  hours: { median: number | null; reports?: number };
  cost: { currency: string; median: string; medianPerUnit?: string; reports?: number }[];
  substitutions: {
    position: string;
    name: string | null;
    substitute: { name: string };
    count: number;
    of: number;
    countries?: Record<string, number>;
  }[];
  /** where the approved builds were made; a workshop of another instance carries it */
  workshops?: { slug: string; name: string; instance?: string; country: string; approved: number }[];
}

export interface RegionalSet {
  country: string;
  builds: number;
  substitutions: {
    position: string;
    name: string | null;
    substitute: { name: string };
    count: number;
    of: number;
    sentence?: string;
  }[];
}

interface FieldModule {
  fieldData?: (db: Executor, versionId: string) => Promise<FieldNotes>;
  regionalSubstitutions?: (db: Executor, versionId: string, country: string) => Promise<RegionalSet>;
}

// a variable, not a literal: the builds domain is optional to this module and to the type checker
const fieldModulePath = '../builds/field.js';
let loaded: Promise<FieldModule | null> | undefined;

function fieldModule(): Promise<FieldModule | null> {
  loaded ??= (import(fieldModulePath) as Promise<FieldModule>).catch(() => null);
  return loaded;
}

/** Field notes of a version, or null when this instance has no builds domain. */
export async function loadFieldNotes(db: Executor, versionId: string): Promise<FieldNotes | null> {
  const m = await fieldModule();
  return m?.fieldData ? m.fieldData(db, versionId) : null;
}

/** The regional substitution set for a country, or null when the builds domain cannot give one. */
export async function loadRegionalSet(db: Executor, versionId: string, country: string): Promise<RegionalSet | null> {
  const m = await fieldModule();
  return m?.regionalSubstitutions ? m.regionalSubstitutions(db, versionId, country) : null;
}

/** A short digest of what the field says, part of a packet's cache key: new approved builds make a new packet. */
export async function fieldStamp(db: Executor, versionId: string, region?: string): Promise<string> {
  const notes = await loadFieldNotes(db, versionId);
  const regional = region ? await loadRegionalSet(db, versionId, region) : null;
  if (!notes && !regional) return 'none';
  const relevant = notes
    ? {
        approved: notes.builds.approved,
        byOutcome: notes.builds.byOutcome,
        hours: notes.hours.median,
        cost: notes.cost,
        subs: notes.substitutions.map((s) => [s.position, s.substitute.name, s.count]),
      }
    : null;
  return createHash('sha256')
    .update(JSON.stringify([relevant, regional]))
    .digest('hex')
    .slice(0, 16);
}
