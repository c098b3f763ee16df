// What crosses to and from the detection thread. A TOML date is a TomlDate (it keeps whether it had a date, a time,
// an offset); structured cloning would make it a plain Date, so it crosses as its own text and is rebuilt.
import { TomlDate } from 'smol-toml';
import type { ManifestKind } from './detect.js';

export interface Candidate {
  path: string;
  bytes: Uint8Array;
}

/** A candidate's answer: its kind and document when it is a manifest. */
export interface Detection {
  path: string;
  kind?: ManifestKind;
  doc?: Record<string, unknown>;
}

const tomlDateKey = '$andechaTomlDate';

function mapDates(v: unknown, f: (v: unknown) => unknown): unknown {
  const mapped = f(v);
  if (mapped !== v) return mapped;
  if (Array.isArray(v)) return v.map((x) => mapDates(x, f));
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    // defined, not assigned: a key named __proto__ stays a key
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, { value: mapDates(x, f), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

export const packDoc = (doc: Record<string, unknown>) =>
  mapDates(doc, (v) => (v instanceof TomlDate ? { [tomlDateKey]: v.toISOString() } : v)) as Record<string, unknown>;

export const unpackDoc = (doc: Record<string, unknown>) =>
  mapDates(doc, (v) =>
    v && typeof v === 'object' && tomlDateKey in v ? new TomlDate((v as Record<string, string>)[tomlDateKey]) : v,
  ) as Record<string, unknown>;
