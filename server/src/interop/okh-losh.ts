// OKH-LOSH (okh.toml): the 1.x field names (okhv = "OKH-LOSHv1.0", outer-dimensions-mm, mass-g) and the 2.x ones
// ([outer-dimensions] in mm, mass in g, [[image]] tables, fork-of) → the normalised ImportedProject.
import { msg, type Detail } from '../errors.js';
import {
  asString,
  asStringList,
  compact,
  isWebUrl,
  normaliseRef,
  personName,
  type ImportedProject,
} from './project.js';

/** The table an Andecha export adds so its own fields survive a round trip; other tools ignore it. */
export const extensionTable = 'andecha';

/** OKH-LOSH fields kept in the Andecha manifest under their own names and written back on export. */
export const keptLoshFields = [
  'repo',
  'release',
  'licensor',
  'organization',
  'documentation-language',
  'manufacturing-instructions',
  'user-manual',
  'image',
  'part',
  'standard-compliance',
  'cpc-patent-class',
  'tsdc',
  'attestation',
  'publication',
  'contribution-guide',
  'software',
  'source',
  'export',
  'auxiliary',
] as const;

/** Fields whose values are file references (relative to the project folder, or URLs). */
const pathFields = [
  'readme',
  'bom',
  'manufacturing-instructions',
  'user-manual',
  'image',
  'source',
  'export',
  'auxiliary',
  'contribution-guide',
];
const partPathFields = ['source', 'export', 'auxiliary', 'image'];

/** Applies `fn` to every path in a reference value: a string, a list, or [[image]] tables with `location`. */
export function mapRefs(value: unknown, fn: (ref: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, fn));
  if (value && typeof value === 'object') {
    const o = { ...(value as Record<string, unknown>) };
    if (typeof o.location === 'string') o.location = fn(o.location);
    if (typeof o.path === 'string') o.path = fn(o.path);
    return o;
  }
  return value;
}

/** Applies `fn` to every path of a manifest's OKH path fields and of its parts. */
export function mapManifestRefs(m: Record<string, unknown>, fn: (ref: string) => string): Record<string, unknown> {
  const out = { ...m };
  for (const f of pathFields) if (out[f] !== undefined) out[f] = mapRefs(out[f], fn);
  if (Array.isArray(out.part)) {
    out.part = out.part.map((p) => {
      if (!p || typeof p !== 'object') return p;
      const q = { ...(p as Record<string, unknown>) };
      for (const f of partPathFields) if (q[f] !== undefined) q[f] = mapRefs(q[f], fn);
      return q;
    });
  }
  return out;
}

/** "OTLR-5" (a spelling in LOSH's own samples), "otrl 5" or 5 → "OTRL-5". */
export function normaliseReadiness(value: unknown, kind: 'OTRL' | 'ODRL'): string | undefined {
  const s = asString(value);
  if (!s) return undefined;
  const m = /^(?:O[TD][RL][LR])?[\s-]*(\d)(\*?)$/i.exec(s.trim());
  return m ? `${kind}-${m[1]}${m[2]}` : s;
}

/** `cube(size = [400,350,150]` or `cube([400, 350, 150])` → the three sizes; other primitives → undefined. */
export function parseOpenScadCube(text: string): [number, number, number] | undefined {
  const m = /cube\s*\(\s*(?:size\s*=\s*)?\[\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*\]/i.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function outerDimensions(doc: Record<string, unknown>, warnings: Detail[]): Record<string, unknown> | undefined {
  const table = doc['outer-dimensions'];
  if (table && typeof table === 'object' && !Array.isArray(table)) {
    const t = table as Record<string, unknown>;
    const [width, depth, height] = [t.width, t.depth, t.height].map(Number);
    if ([width, depth, height].every(Number.isFinite))
      return compact({ ...t, width, depth, height, unit: asString(t.unit) ?? 'mm' });
    warnings.push(msg('importWarnings.outerDimensionsIncomplete'));
    return t;
  }
  // 1.x: outer-dimensions-mm / -cm = an OpenSCAD primitive; the 2.0 draft: outer-dimension + outer-dimension-dim
  for (const [key, unit] of [
    ['outer-dimensions-mm', 'mm'],
    ['outer-dimensions-cm', 'cm'],
    ['outer-dimensions-m', 'm'],
    ['outer-dimension', asString(doc['outer-dimension-dim']) ?? 'mm'],
  ] as const) {
    const text = asString(doc[key]);
    if (!text) continue;
    const cube = parseOpenScadCube(text);
    if (cube) return { width: cube[0], depth: cube[1], height: cube[2], unit };
    warnings.push(msg('importWarnings.notACube', { field: key, text: text.slice(0, 60) }));
    return { openscad: text, unit };
  }
  return undefined;
}

function mass(doc: Record<string, unknown>): Record<string, unknown> | undefined {
  const m = doc.mass ?? doc['mass-g'];
  if (typeof m === 'number') return { value: m, unit: 'g' };
  if (typeof m === 'string' && Number.isFinite(Number(m))) return { value: Number(m), unit: 'g' };
  if (m && typeof m === 'object') return m as Record<string, unknown>;
  return undefined;
}

const consumed = new Set([
  'okhv',
  'name',
  'title',
  'version',
  'license',
  'licensor',
  'organisation',
  'function',
  'technology-readiness-level',
  'documentation-readiness-level',
  'bom',
  'readme',
  'fork-of',
  'forkOf',
  'outer-dimensions',
  'outer-dimensions-mm',
  'outer-dimensions-cm',
  'outer-dimensions-m',
  'outer-dimension',
  'outer-dimension-dim',
  'mass',
  'mass-g',
  'standard-compliance',
  extensionTable,
]);

export function readOkhLosh(doc: Record<string, unknown>): ImportedProject {
  const warnings: Detail[] = [];
  const okhv = asString(doc.okhv);
  if (!okhv) warnings.push(msg('importWarnings.okhvMissing'));
  const title = asString(doc.name) ?? asString(doc.title);
  const licenses: ImportedProject['licenses'] = {};
  if (typeof doc.license === 'string') licenses.hardware = doc.license.trim();
  else if (doc.license && typeof doc.license === 'object') {
    const l = doc.license as Record<string, unknown>;
    Object.assign(
      licenses,
      compact({
        hardware: asString(l.hardware),
        documentation: asString(l.documentation),
        software: asString(l.software),
      }),
    );
  }

  const manifest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!consumed.has(k)) manifest[k] = v; // unknown and kept fields, as written
  if (title) manifest.title = title;
  const fn = asString(doc.function);
  if (fn) manifest.function = fn;
  const licensor = Array.isArray(doc.licensor)
    ? doc.licensor.map(personName).filter(Boolean)
    : personName(doc.licensor);
  if (licensor && (!Array.isArray(licensor) || licensor.length)) manifest.licensor = licensor;
  const organisation = doc.organization ?? doc.organisation;
  if (organisation !== undefined)
    manifest.organization = Array.isArray(organisation)
      ? organisation.map(personName)
      : (personName(organisation) ?? organisation);
  const readiness = compact({
    technology: normaliseReadiness(doc['technology-readiness-level'], 'OTRL'),
    documentation: normaliseReadiness(doc['documentation-readiness-level'], 'ODRL'),
  });
  if (Object.keys(readiness).length) manifest.readiness = readiness;
  const readme = asStringList(doc.readme);
  if (readme) {
    manifest.readme = normaliseRef(readme[0]);
    if (readme.length > 1) warnings.push(msg('importWarnings.readmeMany', { count: readme.length, shown: readme[0] }));
  }
  const forkOf = asString(doc['fork-of']) ?? asString(doc.forkOf);
  if (forkOf) manifest['fork-of'] = forkOf;
  const dims = outerDimensions(doc, warnings);
  if (dims) manifest['outer-dimensions'] = dims;
  const m = mass(doc);
  if (m) manifest.mass = m;
  const standards = asStringList(doc['standard-compliance']);
  if (standards) manifest['standard-compliance'] = standards;

  let normalised = mapManifestRefs(manifest, normaliseRef);
  let bom = asString(doc.bom);
  if (Array.isArray(doc.bom)) {
    bom = asString(doc.bom[0]);
    if (doc.bom.length > 1) warnings.push(msg('importWarnings.bomMany', { count: doc.bom.length, used: bom ?? '' }));
  }
  let version = asString(doc.version);
  let base = '';

  // An Andecha export: its own fields override, and standard fields the exporter made up are dropped again.
  const ext = doc[extensionTable];
  if (ext && typeof ext === 'object' && !Array.isArray(ext)) {
    const { generated, base: extBase, licenses: extLicenses, ...fields } = ext as Record<string, unknown>;
    for (const g of asStringList(generated) ?? []) delete normalised[g]; // Andecha manifest keys the exporter made up
    // an export inside a version archive points into its files/ folder: that folder is the version's root
    if (typeof extBase === 'string' && extBase) {
      base = normaliseRef(extBase).replace(/\/?$/, '/');
      const strip = (r: string) => (r.startsWith(base) ? r.slice(base.length) : r);
      normalised = mapManifestRefs(normalised, strip);
    }
    if (extLicenses && typeof extLicenses === 'object') {
      for (const k of ['hardware', 'documentation', 'software'] as const) delete licenses[k];
      Object.assign(licenses, extLicenses);
    }
    Object.assign(normalised, fields);
    if (typeof fields.version === 'string') version = fields.version;
  } else {
    for (const f of [
      'function',
      'licensor',
      'documentation-language',
      'technology-readiness-level',
      'documentation-readiness-level',
      'bom',
      'manufacturing-instructions',
      'image',
    ] as const) {
      if (doc[f] === undefined) warnings.push(msg('importWarnings.fieldMissing', { field: f }));
    }
  }
  return {
    source: 'okh-losh',
    title,
    version,
    licenses,
    manifest: normalised,
    bom: bom && !isWebUrl(bom) ? normaliseRef(bom) : undefined,
    base,
    extraPaths: [],
    warnings,
  };
}
