// Export: a version as an OKH-LOSH okh.toml. Standard fields carry what OKH can say; an [andecha] table carries
// what it cannot (or says lossily), so an import of the export gives the same manifest back.
import { stringify } from 'smol-toml';
import { extensionTable, keptLoshFields, mapManifestRefs, readOkhLosh } from './okh-losh.js';
import { noAssertion, normaliseLicenses } from './import.js';
import { isWebUrl } from './project.js';

export const okhVersion = 'OKH-LOSHv1.0';

export interface OkhExportInput {
  owner: string;
  slug: string;
  designTitle: string;
  designSummary: string;
  version: string;
  manifest: Record<string, unknown>;
  filePaths: string[];
  hasBom: boolean;
  /** the upstream of a fork, owner/slug@version */
  forkedFrom?: string | null;
  publicUrl: string;
}

export interface OkhExportOptions {
  /** folder the version's files sit in, relative to okh.toml ("files/" inside the version archive) */
  base?: string;
  /** where the BOM sits relative to okh.toml; bom.csv (or bom/bom.csv when a file already has that path) by default */
  bomPath?: string;
}

/** Where the BOM goes next to the files of an export folder without overwriting one of them. */
export function bomExportPath(filePaths: string[]): string {
  return filePaths.includes('bom.csv') ? '_bom/bom.csv' : 'bom.csv';
}

const lengthInMm: Record<string, number> = { mm: 1, cm: 10, m: 1000, in: 25.4, ft: 304.8 };
const massInG: Record<string, number> = { g: 1, kg: 1000, t: 1e6, lb: 453.59237, oz: 28.349523125 };

/** JSON with sorted keys: equality of manifest values whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}

/** TOML has no null: drop null values (and undefined) at any depth. */
function tomlSafe(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(tomlSafe);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null && x !== undefined)
        .map(([k, x]) => [k, tomlSafe(x)]),
    );
  return v;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** The okh.toml document of a version, as an object. */
export function okhDocument(input: OkhExportInput, options: OkhExportOptions = {}): Record<string, unknown> {
  const m = input.manifest;
  const licenses = (m.licenses && typeof m.licenses === 'object' ? m.licenses : {}) as Record<string, string>;
  const readiness = (m.readiness && typeof m.readiness === 'object' ? m.readiness : {}) as Record<string, unknown>;
  const designUrl = `${input.publicUrl.replace(/\/$/, '')}/${input.owner}/${input.slug}`;
  const out: Record<string, unknown> = {
    okhv: okhVersion,
    name: m.title ?? input.designTitle,
    repo: m.repo ?? designUrl,
    version: input.version,
    license: licenses.hardware ?? licenses.documentation ?? licenses.software ?? noAssertion,
    licensor: m.licensor ?? input.owner,
    function: m.function ?? (m.summary || input.designSummary || input.designTitle),
  };
  if (m.readme ?? input.filePaths.includes('README.md')) out.readme = m.readme ?? 'README.md';
  if (typeof readiness.technology === 'string') out['technology-readiness-level'] = readiness.technology;
  if (typeof readiness.documentation === 'string') out['documentation-readiness-level'] = readiness.documentation;
  if (m['fork-of'] ?? input.forkedFrom)
    out['fork-of'] = m['fork-of'] ?? `${input.publicUrl.replace(/\/$/, '')}/${input.forkedFrom!.replace('@', '/')}`;
  const dims = m['outer-dimensions'] as Record<string, unknown> | undefined;
  if (dims && typeof dims === 'object' && ['width', 'depth', 'height'].every((k) => typeof dims[k] === 'number')) {
    const f = lengthInMm[String(dims.unit ?? 'mm')] ?? 1;
    out['outer-dimensions'] = {
      width: round((dims.width as number) * f),
      depth: round((dims.depth as number) * f),
      height: round((dims.height as number) * f),
    };
  }
  const mass = m.mass as Record<string, unknown> | number | undefined;
  if (typeof mass === 'number') out.mass = mass;
  else if (mass && typeof mass === 'object' && typeof mass.value === 'number')
    out.mass = round(mass.value * (massInG[String(mass.unit ?? 'g')] ?? 1));
  if (m['standard-compliance'] !== undefined) out['standard-compliance'] = m['standard-compliance'];
  for (const k of keptLoshFields) if (m[k] !== undefined && out[k] === undefined) out[k] = m[k];
  if (input.hasBom) out.bom = options.bomPath ?? bomExportPath(input.filePaths);

  // What an import of these standard fields would give back, compared with the manifest: every difference,
  // and every Andecha-only field, goes in the extension table; fields made up here are listed as generated.
  const back = readOkhLosh(tomlSafe(out) as Record<string, unknown>);
  const backManifest: Record<string, unknown> = { ...back.manifest };
  const backLicenses = normaliseLicenses(back.licenses, []);
  if (Object.keys(backLicenses).length) backManifest.licenses = backLicenses;
  const ext: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === 'version' || v === null || v === undefined) continue;
    if (canonical(backManifest[k]) !== canonical(v)) ext[k] = v;
  }
  const generated = Object.keys(backManifest).filter((k) => m[k] === undefined || m[k] === null);
  if (generated.length) ext.generated = generated;
  if (options.base) {
    Object.assign(
      out,
      mapManifestRefs(out, (r) => (isWebUrl(r) || r === out.bom ? r : options.base + r)),
    );
    ext.base = options.base;
  }
  if (Object.keys(ext).length) out[extensionTable] = ext;
  return tomlSafe(out) as Record<string, unknown>;
}

/** The okh.toml text of a version. */
export function exportOkhToml(input: OkhExportInput, options: OkhExportOptions = {}): string {
  return (
    `# Open Know-How manifest (OKH-LOSH), exported by Andecha from ${input.owner}/${input.slug}@${input.version}\n` +
    stringify(okhDocument(input, options)) +
    '\n'
  );
}
