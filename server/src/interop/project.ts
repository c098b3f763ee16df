// The normalised shape every foreign manifest (OKH-LOSH, OKH v1, Kitspace) is read into before it becomes a design.
import type { Detail } from '../errors.js';

/** One design to create from a foreign manifest, before files are matched and the version is published. */
export interface ImportedProject {
  /** which format it came from, for messages */
  source: 'okh-losh' | 'okh-v1' | 'kitspace';
  /** the title given by the file; the importer falls back to the file or folder name */
  title?: string;
  /** a slug hint (a Kitspace project key); otherwise the title is slugified */
  slug?: string;
  /** the version as written, before semver normalisation */
  version?: string;
  /** SPDX expressions as written, before validation */
  licenses: { hardware?: string; documentation?: string; software?: string };
  /** the Andecha manifest fields this format maps to, and every unknown field kept as it was */
  manifest: Record<string, unknown>;
  /** path of the BOM the manifest names, relative to the project folder */
  bom?: string;
  /**
   * The other files and folders (ending in "/") the manifest names, relative to its folder: a manifest uploaded
   * without them still describes a project, and the importer says which ones were not uploaded.
   */
  named?: string[];
  /**
   * Folder (relative to the manifest's folder, '' = that folder) whose files belong to this project.
   * Kitspace multi-projects each own a sub-folder; single projects own the whole folder.
   */
  base: string;
  /** the folder ("hardware/gerbers/") a Kitspace project names for its board, relative to the manifest's folder */
  gerbers?: string;
  /** only the files named in `extraPaths` (paths, or folders ending in "/") belong to it, not all of `base` */
  onlyNamed?: boolean;
  extraPaths: string[];
  /** what could not be mapped or had to be guessed, in words a maker can act on (worded in the reply's language) */
  warnings: Detail[];
}

export const isWebUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/**
 * A path reference from a manifest made relative to the project folder: OKH-LOSH writes repo-absolute
 * paths with a leading "/", others write "./x". URLs are returned unchanged.
 */
export function normaliseRef(ref: string): string {
  if (isWebUrl(ref)) return ref;
  let p = ref.trim().replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p.replace(/^\/+/, '');
}

export const asString = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined;

export function asStringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = (Array.isArray(v) ? v : [v]).map(asString).filter((s): s is string => !!s);
  return list.length ? list : undefined;
}

/** A person as OKH writes it ("Jane <j@x>", or {name, email, affiliation}) → "Jane <j@x>". */
export function personName(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const name = asString(o.name);
    const email = asString(o.email);
    if (name && email) return `${name} <${email}>`;
    return name ?? email;
  }
  return undefined;
}

/** First sentence of a description, for a design summary (at most 2000 characters). */
export function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.replace(/\s+/g, ' ').trim();
  const m = /^(.{20,}?[.!?])(\s|$)/.exec(t);
  return (m ? m[1] : t).slice(0, 2000);
}

/** Copies a record without undefined values (TOML and JSON both prefer them absent). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A design slug from a title or folder name: lowercase ASCII words joined by hyphens. */
export function slugify(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  return s || 'imported-design';
}
